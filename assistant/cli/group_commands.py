"""A peer group's sessions on the command line: ``group sessions``.

Stages, dates, titles, check-in counts and the mean value from k check-ins on, as the group's
moderator sees them; never a note or a reflection. The ``Assistant`` checks and audits
``group.sessions``.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from assistant import texts
from assistant.cli.common import emit, engine, me

__all__ = ["cmd_group"]


def cmd_group(args: argparse.Namespace, out: TextIO) -> int:
    """List a group's sessions by stage with check-in counts."""
    view = engine().group_sessions(me(), args.group, args.programme)
    if args.json:
        emit(
            {
                "programme": view.programme,
                "group": view.group,
                "k": view.k,
                "sessions": [
                    {
                        "id": r.session.id,
                        "stage": r.session.stage,
                        "held_on": r.session.held_on.isoformat(),
                        "title": r.session.title,
                        "topic": r.session.topic_id,
                        "checkins": r.checkins,
                        "mean": r.mean,
                    }
                    for r in view.sessions
                ],
            },
            out,
        )
        return 0
    header = texts.CLI_GROUP_SESSIONS_HEADER.format(group=view.group, programme=view.programme)
    out.write(header + "\n")
    if not view.sessions:
        out.write(texts.CLI_GROUP_SESSIONS_NONE + "\n")
    for r in view.sessions:
        mean = "" if r.mean is None else texts.CLI_GROUP_SESSION_MEAN.format(mean=r.mean)
        line = texts.CLI_GROUP_SESSION_LINE.format(
            date=r.session.held_on.isoformat(),
            stage=texts.STAGES.get(r.session.stage, r.session.stage),
            title=r.session.title,
            n=r.checkins,
            mean=mean,
        )
        out.write(line + "\n")
    return 0
