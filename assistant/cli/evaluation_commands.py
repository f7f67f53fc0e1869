"""A programme's meetings and evaluation on the command line: ``meetings`` and ``evaluation``.

``assistant meetings --programme NAME`` lists each published tandem (by the mentee's and the
mentor's pseudonymous ids, as ``assistant match`` does) with counts and dates only: meetings,
minutes, last date, agreement confirmed, rhythm overdue; no notes, no texts, no progress.
``assistant evaluation --programme NAME [--out report.pdf]`` prints one JSON object with the
aggregates under the k rule (fields in the README) and writes the PDF report. Both act as the
operator through the ``Assistant`` and are audited.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from assistant import texts
from assistant.cli import messages
from assistant.cli.common import UsageError, emit, engine, me

__all__ = ["cmd_evaluation", "cmd_meetings"]


def cmd_meetings(args: argparse.Namespace, out: TextIO) -> int:
    """Print each published tandem's meeting counts (JSON: one object with a list)."""
    if not args.programme:
        raise UsageError(messages.NEEDS_PROGRAMME.format(command="meetings"))
    facts = engine().meeting_counts(me(), args.programme)
    data = {"programme": args.programme, "tandems": [f.as_dict() for f in facts]}
    if args.json:
        emit(data, out)
        return 0
    if not facts:
        out.write(texts.EVAL_NO_TANDEMS + "\n")
        return 0
    for item in data["tandems"]:
        out.write(
            messages.MEETINGS_LINE.format(
                mentee=item["mentee"],
                mentor=item["mentor"],
                meetings=item["meetings"],
                expected=item["expected_meetings"],
                minutes=item["minutes"],
                last=item["last_meeting"] or "-",
                confirmed="yes" if item["agreement_confirmed"] else "no",
                overdue="yes" if item["overdue"] else "no",
            )
        )
    return 0


def cmd_evaluation(args: argparse.Namespace, out: TextIO) -> int:
    """Print the programme's evaluation (one JSON object); ``--out``: write the PDF report."""
    if not args.programme:
        raise UsageError(messages.NEEDS_PROGRAMME.format(command="evaluation"))
    path = Path(args.out) if args.out else None
    if path is not None and path.suffix.lower() != ".pdf":
        raise UsageError(messages.EVALUATION_BAD_FORMAT.format(path=path))
    assistant, who = engine(), me()
    if path is None:
        found = assistant.evaluation(who, args.programme)
    else:
        found, pdf = assistant.evaluation_report(who, args.programme)
        try:
            path.write_bytes(pdf)
        except OSError as err:
            raise UsageError(
                messages.TANDEM_CANNOT_WRITE.format(path=path, reason=err.strerror or err)
            ) from err
    data = found.as_dict()
    if path is not None:
        data["out"] = str(path)
    if args.json:
        emit(data, out)
    else:
        _print(data, out)
    return 0


def _print(data: dict[str, object], out: TextIO) -> None:
    """Write the same fields as the JSON, one per line."""
    for key, value in data.items():
        out.write(f"{key}: {value}\n")
