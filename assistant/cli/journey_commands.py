"""A tandem's documents on the command line: ``tandem guide`` and ``tandem agreement``.

The operator's tool to print a published tandem's first-meeting guide (PDF) or goal agreement
(PDF or DOCX, chosen by the extension of ``--out``) on the tandem's request, like ``export``:
the ``Assistant`` checks ``tandem.print`` and audits each print with the format, never the
text. The agreement is the version both partners confirmed last, else the draft marked
"Entwurf". Exit 2 for a wrong extension, 1 for a programme or person without a tandem.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Literal, TextIO

from assistant.cli import messages
from assistant.cli.common import UsageError, emit, engine, me

__all__ = ["FORMATS", "cmd_tandem"]

FORMATS = {"guide": (".pdf",), "agreement": (".pdf", ".docx")}
"""Extensions ``--out`` may have, per document."""


def cmd_tandem(args: argparse.Namespace, out: TextIO) -> int:
    """Write a tandem's guide or agreement to ``--out``; print what was written."""
    document = args.tandem_command
    path = Path(args.out)
    suffix = path.suffix.lower()
    if suffix not in FORMATS[document]:
        allowed = " or ".join(FORMATS[document])
        raise UsageError(
            messages.TANDEM_BAD_FORMAT.format(document=document, allowed=allowed, path=path)
        )
    fmt: Literal["pdf", "docx"] = "pdf" if suffix == ".pdf" else "docx"
    data = engine().tandem_document(me(), args.programme, document, fmt, args.mentee)
    try:
        path.write_bytes(data)
    except OSError as err:
        raise UsageError(
            messages.TANDEM_CANNOT_WRITE.format(path=path, reason=err.strerror or err)
        ) from err
    result = {
        "programme": args.programme,
        "mentee": args.mentee,
        "document": document,
        "format": fmt,
        "out": str(path),
        "bytes": len(data),
    }
    if args.json:
        emit(result, out)
    else:
        out.write(
            messages.TANDEM_WRITTEN.format(
                document=document.capitalize(),
                mentee=args.mentee,
                programme=args.programme,
                path=path,
                size=len(data),
            )
        )
    return 0
