"""The parser of the ``assistant`` command: subcommands, options, help texts."""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn

from assistant.cli import commands
from assistant.policy import ROLES

__all__ = ["build_parser"]


def _add_privacy_commands(sub: Any) -> None:
    user = sub.add_parser("user", help="local accounts and roles (as the operator)")
    user_sub = user.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    add = user_sub.add_parser("add", help="create an account; prints its password once")
    role = user_sub.add_parser("role", help="change an account's role and scope")
    for cmd in (add, role):
        cmd.add_argument("username")
        cmd.add_argument("--role", required=True, choices=list(ROLES))
        cmd.add_argument("--programme", action="append", help="a coordinator's programme")
        cmd.add_argument(
            "--group", action="append", metavar="PROGRAMME:GROUP", help="a moderator's group"
        )
        cmd.add_argument("--json", action="store_true", help="machine-readable output")
        cmd.set_defaults(run=commands.cmd_user)
    add.add_argument("--participant", help="the participant id a participant account speaks for")
    add.add_argument("--oidc-subject", help="e-mail or subject of the identity provider")
    listing = user_sub.add_parser("list", help="list accounts (no passwords)")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(run=commands.cmd_user)
    for name, text in (
        ("disable", "no sign-in; open sessions end"),
        ("enable", "allow sign-in again"),
        ("delete", "delete the account (a participant's data stays: see erase)"),
    ):
        change = user_sub.add_parser(name, help=text)
        change.add_argument("username")
        change.add_argument("--json", action="store_true", help="machine-readable output")
        change.set_defaults(run=commands.cmd_user)

    consent = sub.add_parser("consent", help="change a participant's consents on their request")
    consent.add_argument("participant")
    consent.add_argument("--analysis", choices=["yes", "no"])
    consent.add_argument("--matching", choices=["yes", "no"])
    consent.add_argument("--json", action="store_true", help="machine-readable output")
    consent.set_defaults(run=commands.cmd_consent)

    export = sub.add_parser("export", help="all data about a participant as JSON")
    export.add_argument("participant")
    export.add_argument("--json", action="store_true", help="accepted; the export is JSON")
    export.set_defaults(run=commands.cmd_export)

    audit = sub.add_parser("audit", help="the audit log, newest first")
    audit.add_argument("--limit", type=int)
    audit.add_argument("--json", action="store_true", help="machine-readable output")
    audit.set_defaults(run=commands.cmd_audit)
    audit_sub = audit.add_subparsers(dest="audit_command", parser_class=_Parser)
    verify = audit_sub.add_parser("verify", help="check the chain of keyed hashes (exit 1: broken)")
    verify.add_argument("--json", action="store_true", help="machine-readable output")
    verify.set_defaults(run=commands.cmd_audit)

    roster = sub.add_parser("roster", help="confirm that a programme's people are genuine")
    roster_sub = roster.add_subparsers(dest="roster_command", required=True, parser_class=_Parser)
    confirm = roster_sub.add_parser(
        "confirm", help="its people count toward k (imported by a coordinator, not signed in)"
    )
    confirm.add_argument("--programme", required=True)
    confirm.add_argument("--json", action="store_true", help="machine-readable output")
    confirm.set_defaults(run=commands.cmd_roster)

    retention = sub.add_parser("retention", help="delete entries past their retention date")
    retention_sub = retention.add_subparsers(
        dest="retention_command", required=True, parser_class=_Parser
    )
    run = retention_sub.add_parser("run", help="delete (or with --dry-run: list) what is due")
    run.add_argument("--dry-run", action="store_true", help="report only, delete nothing")
    run.add_argument("--today", help="YYYY-MM-DD instead of today (for planning)")
    run.add_argument("--json", action="store_true", help="machine-readable output")
    run.set_defaults(run=commands.cmd_retention)


def _add_matching_commands(sub: Any) -> None:
    json_help = "machine-readable output"
    match = sub.add_parser("match", help="tandems of a cross, reverse or tandem programme")
    match.add_argument("--programme", help="the programme (required)")
    match.add_argument("--recompute", action="store_true", help="a new draft (published stay)")
    match.add_argument("--json", action="store_true", help=json_help)
    match.set_defaults(run=commands.cmd_match)
    match_sub = match.add_subparsers(dest="match_command", parser_class=_Parser)
    for name, text in (
        ("lock", "fix a tandem; the draft is recomputed around it"),
        ("exclude", "never form this tandem; the draft is recomputed"),
        ("rematch", "another mentor for one mentee, keeping the other tandems"),
        ("publish", "publish the draft: participants see their partner"),
    ):
        step = match_sub.add_parser(name, help=text)
        step.add_argument("--programme", required=True)
        if name != "publish":
            step.add_argument("--mentee", required=True)
        if name in ("lock", "exclude"):
            step.add_argument("--mentor", required=True)
        step.add_argument("--json", action="store_true", help=json_help)
    enter = match_sub.add_parser(
        "enter", help="enter a pair formed elsewhere: published as a tandem at once"
    )
    enter.add_argument("--programme", required=True)
    enter.add_argument("mentee", metavar="MENTEE")
    enter.add_argument("mentor", metavar="MENTOR")
    enter.add_argument("--json", action="store_true", help=json_help)
    end = match_sub.add_parser(
        "end", help="end a published tandem (its agreement and meetings stay stored)"
    )
    end.add_argument("--programme", required=True)
    end.add_argument("mentee", metavar="MENTEE")
    end.add_argument("--json", action="store_true", help=json_help)

    size_help = "smallest and largest group size, MIN-MAX (default 5-8)"
    groups = sub.add_parser("groups", help="peer groups of a peer_group programme")
    groups.add_argument("--programme", help="the programme (required)")
    groups.add_argument("--size", metavar="MIN-MAX", help=size_help)
    groups.add_argument("--recompute", action="store_true", help="a new draft (groups stay)")
    groups.add_argument("--json", action="store_true", help=json_help)
    groups.set_defaults(run=commands.cmd_groups)
    groups_sub = groups.add_subparsers(dest="groups_command", parser_class=_Parser)
    for name, text in (
        ("lock", "put a person into a group; the draft is recomputed around it"),
        ("exclude", "keep a person out of a group; the draft is recomputed"),
        ("publish", "publish the draft: the programme's groups are created"),
    ):
        step = groups_sub.add_parser(name, help=text)
        step.add_argument("--programme", required=True)
        if name != "publish":
            step.add_argument("--participant", required=True)
            step.add_argument("--group", required=True)
            step.add_argument("--size", metavar="MIN-MAX", help=size_help)
        step.add_argument("--json", action="store_true", help=json_help)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"error: {message}\n")


def _add_tandem_commands(sub: Any) -> None:
    tandem = sub.add_parser(
        "tandem", help="print a published tandem's documents on its request (audited)"
    )
    tandem_sub = tandem.add_subparsers(dest="tandem_command", required=True, parser_class=_Parser)
    for name, text, out in (
        ("guide", "the first-meeting guide (Leitfaden) as PDF", "FILE.pdf"),
        (
            "agreement",
            "the goal agreement (Zielvereinbarung): the version both confirmed, else the "
            "draft marked Entwurf",
            "FILE.pdf|FILE.docx",
        ),
    ):
        step = tandem_sub.add_parser(name, help=text)
        step.add_argument("--programme", required=True)
        step.add_argument("mentee", help="the tandem's mentee (or mentor)")
        step.add_argument("--out", required=True, metavar=out, help="format from the extension")
        step.add_argument("--json", action="store_true", help="machine-readable output")
        step.set_defaults(run=commands.cmd_tandem)


def _add_group_commands(sub: Any) -> None:
    """``group sessions``: a peer group's sessions by stage with check-in counts."""
    group = sub.add_parser("group", help="a peer group's sessions through the four stages")
    group_sub = group.add_subparsers(dest="group_command", required=True, parser_class=_Parser)
    sessions = group_sub.add_parser(
        "sessions", help="sessions by stage with check-in counts (mean from k; no notes)"
    )
    sessions.add_argument("--programme", required=True)
    sessions.add_argument("group", help="the group's name")
    sessions.add_argument("--json", action="store_true", help="machine-readable output")
    sessions.set_defaults(run=commands.cmd_group)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``assistant`` command."""
    parser = _Parser(prog="assistant", description="Mentoring assistant (Mentoring-Assistent).")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    suggest = sub.add_parser("suggest", help="suggest pool topics for a text")
    suggest.add_argument("text", nargs="?", help="the text (quote it)")
    suggest.add_argument("--file", help='JSONL file of {"id", "text"} lines, or - for stdin')
    suggest.add_argument("--top", type=int, default=3, help="at most this many topics (3)")
    suggest.add_argument("--json", action="store_true", help="machine-readable output")
    suggest.set_defaults(run=commands.cmd_suggest)

    pool = sub.add_parser("pool", help="validate or show a topic pool")
    pool_sub = pool.add_subparsers(dest="pool_command", required=True, parser_class=_Parser)
    for name, text in (("validate", "check a pool file"), ("show", "list the topics")):
        cmd = pool_sub.add_parser(name, help=text)
        cmd.add_argument("path", nargs="?", help="pool YAML (default: the configured pool)")
        cmd.add_argument("--json", action="store_true", help="machine-readable output")
        cmd.set_defaults(run=commands.cmd_pool)

    imp = sub.add_parser("import", help="import a CSV, JSONL or XLSX file of entries")
    imp.add_argument("file")
    imp.add_argument(
        "--programme",
        help="programme of rows with an empty programme cell; other names are rejected",
    )
    imp.add_argument(
        "--kind",
        default="tandem",
        choices=["reverse", "cross", "peer_group", "tandem"],
        help="kind of a programme this import creates (tandem)",
    )
    imp.add_argument("--skip-invalid", action="store_true", help="import the valid rows only")
    imp.add_argument("--rejects", help="CSV for rejected rows with reasons")
    imp.add_argument(
        "--ends-on", help="YYYY-MM-DD: end of the file's programmes (retention counts from it)"
    )
    imp.add_argument(
        "--mapping",
        help="column mapping: auto (German/English headers), forms, limesurvey or a YAML file "
        "(README: Column mapping)",
    )
    imp.add_argument(
        "--dry-run",
        action="store_true",
        help="print the rows as mapped and validated; write nothing (exit 1 if rows are invalid)",
    )
    imp.add_argument("--json", action="store_true", help="machine-readable output")
    imp.add_argument(
        "--ray",
        metavar="ADDRESS",
        help="embed the texts as a Ray job: local (Ray on this machine), auto (the running "
        "cluster here) or ray://host:port; default: this process (README: Scale)",
    )
    imp.set_defaults(run=commands.cmd_import)

    programme = sub.add_parser("programme", help="settings of a programme")
    programme_sub = programme.add_subparsers(
        dest="programme_command", required=True, parser_class=_Parser
    )
    end = programme_sub.add_parser("end", help="set the end retention counts from")
    end.add_argument("--programme", required=True)
    end.add_argument("--on", required=True, help="YYYY-MM-DD, or 'none' to clear it")
    end.add_argument("--json", action="store_true", help="machine-readable output")
    end.set_defaults(run=commands.cmd_programme)

    prepare = sub.add_parser(
        "prepare",
        help="before the app serves: model, topic suggesters, demo on an empty database (make run)",
    )
    prepare.add_argument("--json", action="store_true", help="machine-readable output")
    prepare.add_argument(
        "--seed",
        action="store_true",
        help="only fit the bundled pool's topic suggester into models/fits/ (make install)",
    )
    prepare.set_defaults(run=commands.cmd_prepare)

    demo = sub.add_parser("demo", help="load the fictional demo programmes")
    demo.add_argument("--json", action="store_true", help="machine-readable output")
    demo.set_defaults(run=commands.cmd_demo)

    peers = sub.add_parser("peers", help="matching peers of a participant")
    peers.add_argument("participant")
    peers.add_argument("--programme")
    peers.add_argument("--top", type=int, default=5)
    peers.add_argument("--mode", choices=["similar", "need-offer"], default="similar")
    peers.add_argument("--json", action="store_true", help="machine-readable output")
    peers.set_defaults(run=commands.cmd_peers)

    themes = sub.add_parser("themes", help="theme clusters of a programme")
    themes.add_argument("--programme", required=True)
    themes.add_argument("--period", choices=["month", "quarter"], help="add themes over time")
    themes.add_argument("--json", action="store_true", help="machine-readable output")
    themes.set_defaults(run=commands.cmd_themes)

    forum = sub.add_parser("forum", help="forum topics of a peer group")
    forum_sub = forum.add_subparsers(dest="forum_command", parser_class=_Parser)
    for target in (forum,):
        target.add_argument("--group", required=False)
        target.add_argument("--programme")
        target.add_argument("--json", action="store_true", help="machine-readable output")
    choose = forum_sub.add_parser("choose", help="record a topic for a forum date")
    choose.add_argument("--group", required=True)
    choose.add_argument("--programme")
    choose.add_argument("--topic", required=True)
    choose.add_argument("--date", required=True, help="YYYY-MM-DD")
    choose.add_argument("--json", action="store_true", help="machine-readable output")
    forum.set_defaults(run=commands.cmd_forum)

    erase = sub.add_parser("erase", help="erase a participant and all their data")
    erase.add_argument("participant")
    erase.add_argument("--json", action="store_true", help="machine-readable output")
    erase.set_defaults(run=commands.cmd_erase)

    reprocess = sub.add_parser("reprocess", help="analyse entries left pending by a crash")
    reprocess.add_argument("--json", action="store_true", help="machine-readable output")
    reprocess.set_defaults(run=commands.cmd_reprocess)

    info = sub.add_parser("info", help="embedder, pool and database in use")
    info.add_argument("--json", action="store_true", help="machine-readable output")
    info.set_defaults(run=commands.cmd_info)
    _add_matching_commands(sub)
    _add_tandem_commands(sub)
    _add_privacy_commands(sub)
    _add_group_commands(sub)
    _add_evaluation_commands(sub)
    return parser


def _add_evaluation_commands(sub: Any) -> None:
    meetings = sub.add_parser(
        "meetings", help="meeting counts per published tandem (no notes, no texts; audited)"
    )
    meetings.add_argument("--programme", help="the programme (required)")
    meetings.add_argument("--json", action="store_true", help="machine-readable output")
    meetings.set_defaults(run=commands.cmd_meetings)
    evaluation = sub.add_parser(
        "evaluation", help="a programme's evaluation under the k rule (aggregates only; audited)"
    )
    evaluation.add_argument("--programme", help="the programme (required)")
    evaluation.add_argument("--out", metavar="FILE.pdf", help="also write the PDF report")
    evaluation.add_argument("--json", action="store_true", help="machine-readable output")
    evaluation.set_defaults(run=commands.cmd_evaluation)
