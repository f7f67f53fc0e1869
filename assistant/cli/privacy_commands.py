"""Commands on rights, accounts and the log: erase, user, consent, export, audit, retention.

The operator carries them out on a person's request; each goes through the same policy and
audit log as the app.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from assistant import texts
from assistant.cli import messages
from assistant.cli.common import UsageError, emit, engine, iso_date, me, parse_group, yes_no

__all__ = [
    "cmd_audit",
    "cmd_consent",
    "cmd_erase",
    "cmd_export",
    "cmd_retention",
    "cmd_roster",
    "cmd_user",
]


def cmd_erase(args: argparse.Namespace, out: TextIO) -> int:
    """Erase a participant everywhere."""
    counts = engine().erase(me(), args.participant)
    if args.json:
        emit({"participant": args.participant, "removed": counts}, out)
    else:
        listed = ", ".join(f"{k}: {v}" for k, v in counts.items())
        out.write(texts.CLI_ERASED.format(participant=args.participant, counts=listed) + "\n")
    return 0


def cmd_user(args: argparse.Namespace, out: TextIO) -> int:
    """Add or list accounts, or change an account's role."""
    assistant = engine()
    if args.user_command in ("disable", "enable", "delete"):
        if args.user_command == "delete":
            assistant.delete_user(me(), args.username)
        else:
            assistant.set_disabled(me(), args.username, args.user_command == "disable")
        if args.json:
            emit({"username": args.username, "done": args.user_command}, out)
        else:
            text = texts.CLI_USER_CHANGED[args.user_command].format(username=args.username)
            out.write(text + "\n")
        return 0
    if args.user_command == "list":
        users = assistant.users(me())
        if args.json:
            emit({"users": users}, out)
        else:
            for u in users:
                scope = u["participant"] or ", ".join(u["programmes"] + u["groups"]) or "–"
                out.write(f"{u['username']}  {u['role']}  {scope}\n")
        return 0
    groups = [parse_group(g) for g in args.group or []]
    if args.user_command == "role":
        assistant.set_role(
            me(), args.username, args.role, programmes=args.programme or [], groups=groups
        )
        if args.json:
            emit({"username": args.username, "role": args.role}, out)
        else:
            out.write(texts.CLI_ROLE_CHANGED.format(username=args.username, role=args.role) + "\n")
        return 0
    password = assistant.add_user(
        me(),
        args.username,
        args.role,
        participant_id=args.participant,
        programmes=args.programme or [],
        groups=groups,
        oidc_subject=args.oidc_subject,
    )
    if args.json:
        emit({"username": args.username, "role": args.role, "password": password}, out)
    else:
        text = texts.CLI_USER_ADDED.format(
            username=args.username, role=args.role, password=password
        )
        out.write(text + "\n")
    return 0


def cmd_consent(args: argparse.Namespace, out: TextIO) -> int:
    """Change a participant's consents on their request."""
    if args.analysis is None and args.matching is None:
        raise UsageError(messages.CONSENT_NEEDS_ONE)
    person = engine().set_consent(
        me(), args.participant, analysis=yes_no(args.analysis), matching=yes_no(args.matching)
    )
    if args.json:
        emit(
            {
                "participant": person.id,
                "analysis": person.consent_analysis,
                "matching": person.consent_matching,
            },
            out,
        )
        return 0
    text = texts.CLI_CONSENT.format(
        participant=person.id,
        analysis=texts.CLI_YES if person.consent_analysis else texts.CLI_NO,
        matching=texts.CLI_YES if person.consent_matching else texts.CLI_NO,
    )
    out.write(text + "\n")
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    """Print all data about a participant as JSON (always JSON: it is a data export)."""
    emit(engine().export(me(), args.participant), out)
    return 0


def cmd_audit(args: argparse.Namespace, out: TextIO) -> int:
    """Show the audit log, newest first."""
    if getattr(args, "audit_command", None) == "verify":
        return _verify_audit(args, out)
    if args.limit is not None and args.limit < 1:
        raise UsageError(messages.LIMIT_AT_LEAST_ONE)
    rows = engine().audit_log(me(), limit=args.limit)
    if args.json:
        emit({"audit": [r.as_dict() for r in rows]}, out)
        return 0
    for r in rows:
        scope = " ".join(x for x in (r.programme, r.group, r.subject) if x)
        out.write(f"{r.at.isoformat()}  {r.actor}  {r.action}  {r.outcome}  {scope}\n")
    return 0


def cmd_roster(args: argparse.Namespace, out: TextIO) -> int:
    """Confirm a programme's people as genuine: they count toward k from now on."""
    confirmed = engine().confirm_roster(me(), args.programme)
    if args.json:
        emit({"programme": args.programme, "confirmed": confirmed}, out)
    else:
        out.write(texts.CLI_ROSTER.format(programme=args.programme, n=confirmed) + "\n")
    return 0


def _verify_audit(args: argparse.Namespace, out: TextIO) -> int:
    check = engine().verify_audit(me())
    if args.json:
        emit(
            {
                "intact": check.intact,
                "rows": check.rows,
                "first_broken": check.first_broken,
                "reason": check.reason or None,
            },
            out,
        )
    elif check.intact:
        out.write(texts.CLI_AUDIT_INTACT.format(rows=check.rows) + "\n")
    if not check.intact:
        sys.stderr.write(messages.AUDIT_BROKEN.format(row=check.first_broken, reason=check.reason))
        return 1
    return 0


def cmd_retention(args: argparse.Namespace, out: TextIO) -> int:
    """Delete entries of programmes past their retention date."""
    today = iso_date(args.today, "--today", "2027-01-31") if args.today else None
    report = engine().run_retention(me(), today=today, dry_run=args.dry_run)
    if args.json:
        emit(report, out)
        return 0
    verb = texts.CLI_RETENTION_DRY if args.dry_run else texts.CLI_RETENTION_DONE
    if not report["programmes"]:
        out.write(texts.CLI_RETENTION_NONE + "\n")
    for p in report["programmes"]:
        line = texts.CLI_RETENTION_LINE.format(
            programme=p["programme"], entries=p["entries"], verb=verb, deadline=p["delete_after"]
        )
        out.write(line + "\n")
    return 0
