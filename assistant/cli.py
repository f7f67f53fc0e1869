"""The ``assistant`` command line; every read command has ``--json`` (a stable contract).

Exit codes: 0 success; 1 an error the message explains (bad input, config, pool, storage);
2 wrong usage (unknown command or option).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from assistant.config import load_settings
from assistant.domain import SuggestionResult, TopicPool
from assistant.errors import AssistantError, InvalidEntryError
from assistant.policy import ROLES, Principal

PROGRESS_MIN_ITEMS = 20


class UsageError(AssistantError):
    """Wrong use of the command line (exit code 2)."""


def _emit(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, ensure_ascii=False) + "\n")


def _suggestion_json(result: SuggestionResult) -> list[dict[str, Any]]:
    return [
        {
            "id": s.topic_id,
            "label": s.label,
            "score": s.score,
            "evidence": list(s.evidence),
            "keywords": list(s.keywords),
        }
        for s in result.topics
    ]


def _print_suggestion(result: SuggestionResult, out: TextIO) -> None:
    out.write(f"Sprache: {result.language}\n")
    if result.no_fit:
        out.write("Kein Thema des Themenpools passt zu diesem Text.\n")
        return
    for rank, s in enumerate(result.topics, 1):
        out.write(f"{rank}. {s.label} [{s.topic_id}]  Wert {s.score:.2f}\n")
        for sentence in s.evidence:
            out.write(f"   Beleg: {sentence}\n")
        if s.keywords:
            out.write(f"   Stichworte: {', '.join(s.keywords)}\n")


def _read_jsonl(path: str) -> list[tuple[str, str]]:
    """Read ``{"id", "text"}`` lines; report every bad line at once, or return them all."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as err:
        raise InvalidEntryError(f"Cannot read {path}: {err.strerror}.", "unreadable") from None
    items: list[tuple[str, str]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(raw.split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError as err:
            problems.append(f"line {number}: not valid UTF-8 (byte {err.start + 1} of the line)")
            continue
        except json.JSONDecodeError as err:
            problems.append(f"line {number}: not valid JSON ({err.msg})")
            continue
        if not isinstance(record, dict) or "text" not in record or "id" not in record:
            problems.append(f'line {number}: expected an object with "id" and "text"')
            continue
        ident = str(record["id"])
        if ident in seen:
            problems.append(f"line {number}: duplicate id '{ident}'")
            continue
        seen.add(ident)
        items.append((ident, record["text"]))
    if problems:
        raise InvalidEntryError(
            f"{path}: {len(problems)} invalid line(s), nothing processed:\n" + "\n".join(problems),
            "bad_file",
        )
    return items


def cmd_suggest(args: argparse.Namespace, out: TextIO) -> int:
    """Suggest pool topics for one text or a JSONL file."""
    if args.file and args.text:
        raise UsageError("Give either TEXT or --file, not both.")
    if not args.file and args.text is None:
        raise UsageError("Give a TEXT to analyse, or --file IN.jsonl.")
    if args.top < 1:
        raise UsageError("--top must be at least 1.")
    items = _read_jsonl(args.file) if args.file else None
    from assistant.factory import build_assistant

    assistant = build_assistant(load_settings(), storage=False)
    if items is None:
        result = assistant.suggest(args.text, k=args.top)
        if args.json:
            _emit(
                {
                    "language": result.language,
                    "topics": _suggestion_json(result),
                    "no_fit": result.no_fit,
                },
                out,
            )
        else:
            _print_suggestion(result, out)
        return 0

    from tqdm import tqdm

    failed = 0
    with tqdm(
        total=len(items),
        file=sys.stderr,
        unit="Text",
        desc="Analyse",
        disable=len(items) < PROGRESS_MIN_ITEMS,
    ) as bar:
        batch = 64  # bounded memory and a live progress bar for large files
        for start in range(0, len(items), batch):
            chunk = items[start : start + batch]
            outcomes = assistant.suggest_many(
                [t for _, t in chunk], k=args.top, progress=bar.update
            )
            for (ident, _), outcome in zip(chunk, outcomes, strict=True):
                if outcome.error is not None:
                    failed += 1
                    _emit(
                        {
                            "id": ident,
                            "error": {"code": outcome.error.code, "message": str(outcome.error)},
                        },
                        out,
                    )
                    continue
                assert outcome.result is not None
                record: dict[str, Any] = {
                    "id": ident,
                    "language": outcome.result.language,
                    "topics": _suggestion_json(outcome.result),
                    "no_fit": outcome.result.no_fit,
                }
                if not args.json:
                    out.write(f"## {ident}\n")
                    _print_suggestion(outcome.result, out)
                else:
                    _emit(record, out)
    if failed:
        sys.stderr.write(f"error: {failed} of {len(items)} texts were invalid (see their lines)\n")
        return 1
    return 0


def _pool_json(pool: TopicPool) -> dict[str, Any]:
    return {
        "name": pool.name,
        "source": pool.source,
        "topics": [
            {
                "id": t.id,
                "label": t.label,
                "description": t.description,
                "keywords": {k: list(v) for k, v in t.keywords.items()},
                "examples": {k: len(v) for k, v in t.examples.items()},
                "reflection_questions": {k: list(v) for k, v in t.reflection_questions.items()},
                "forum_prompts": {k: list(v) for k, v in t.forum_prompts.items()},
            }
            for t in pool.topics
        ],
        "off_pool": {k: len(v) for k, v in pool.off_pool.items()},
    }


def cmd_pool(args: argparse.Namespace, out: TextIO) -> int:
    """Validate or show a topic pool."""
    from assistant.topics import load_topic_pool

    path = args.path or str(load_settings().pool_file)
    pool = load_topic_pool(path)
    if args.pool_command == "validate":
        if args.json:
            _emit({"valid": True, "source": pool.source, "topics": len(pool.topics)}, out)
        else:
            out.write(f"OK: {pool.source} ist gültig ({len(pool.topics)} Themen).\n")
        return 0
    if args.json:
        _emit(_pool_json(pool), out)
    else:
        out.write(f"{pool.name} ({pool.source}), {len(pool.topics)} Themen\n")
        for t in pool.topics:
            out.write(f"- {t.id}: {t.label['de']} – {t.description['de']}\n")
    return 0


def cmd_info(args: argparse.Namespace, out: TextIO) -> int:
    """Print the embedder, pool and database in use."""
    from assistant.factory import build_assistant

    info = build_assistant(load_settings(), storage=False).info()
    if args.json:
        _emit(info, out)
    else:
        emb = info["embedder"]
        out.write(f"Version: {info['version']}\n")
        out.write(f"Embedder: {emb['kind']} ({emb['model_id']}, {emb['dimension']} dim)\n")
        out.write(
            f"Themenpool: {info['pool']['name']} ({info['pool']['source']}), "
            f"{info['pool']['topics']} Themen\n"
        )
        out.write(f"Datenbank: {info['database_url']}\n")
    return 0


def _engine() -> Any:
    from assistant.factory import build_assistant

    return build_assistant(load_settings())


def _progress(total: int, desc: str) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total, file=sys.stderr, unit="Text", desc=desc, disable=total < PROGRESS_MIN_ITEMS
    )


def _report_json(report: Any) -> dict[str, Any]:
    return {
        "rows": report.rows,
        "imported": report.imported,
        "unchanged": report.unchanged,
        "rejected": [{"line": line, "reason": why} for line, why in report.rejected],
        "programmes": report.programmes,
        "participants": report.participants,
    }


def _print_report(report: Any, out: TextIO) -> None:
    out.write(
        f"{report.imported} Einträge importiert, {report.unchanged} unverändert, "
        f"{len(report.rejected)} abgelehnt ({report.participants} Teilnehmende, "
        f"Programme: {', '.join(report.programmes)}).\n"
    )


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    """Import a CSV, JSONL or XLSX file of programme entries."""
    from assistant.errors import ImportRejectedError
    from assistant.importer import parse_file

    total = len(parse_file(args.file, programme=args.programme).rows)
    rejects_path = args.rejects
    if args.skip_invalid and not rejects_path:
        rejects_path = str(Path(args.file).with_suffix("")) + ".rejects.csv"
    engine = _engine()
    try:
        with _progress(total, "Import") as bar:
            report = engine.import_file(
                args.file,
                programme=args.programme,
                kind=args.kind,
                skip_invalid=args.skip_invalid,
                rejects_path=rejects_path,
                progress=bar.update,
            )
    except ImportRejectedError as err:
        sys.stderr.write(f"error: {err}\n")
        for line, why in err.rejects:
            sys.stderr.write(f"  line {line}: {why}\n")
        if rejects_path:
            sys.stderr.write(f"  rejected rows written to {rejects_path}\n")
        return 1
    if args.json:
        _emit(
            {**_report_json(report), "rejects_file": rejects_path if report.rejected else None}, out
        )
    else:
        _print_report(report, out)
        if report.rejected:
            out.write(f"Abgelehnte Zeilen mit Grund: {rejects_path}\n")
    return 0


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    """Load the fictional demo programmes."""
    engine = _engine()
    with _progress(300, "Demo") as bar:
        report = engine.load_demo(progress=bar.update)
    if args.json:
        _emit(_report_json(report), out)
    else:
        _print_report(report, out)
    return 0


def cmd_peers(args: argparse.Namespace, out: TextIO) -> int:
    """Suggest matching peers for a participant."""
    if args.top < 1:
        raise UsageError("--top must be at least 1.")
    result = _engine().find_peers(
        args.participant, programme=args.programme, k=args.top, mode=args.mode
    )
    if args.json:
        _emit(
            {
                "participant": result.participant,
                "programme": result.programme,
                "mode": args.mode,
                "peers": [
                    {
                        "participant": m.participant_id,
                        "score": round(m.score, 4),
                        "shared_topics": list(m.shared_topics),
                        "reason": m.reason,
                    }
                    for m in result.peers
                ],
            },
            out,
        )
        return 0
    out.write(f"Passende Personen für {result.participant} ({result.programme}):\n")
    if not result.peers:
        out.write("Keine passenden Personen mit Einwilligung zum Matching gefunden.\n")
    for rank, m in enumerate(result.peers, 1):
        out.write(f"{rank}. {m.participant_id}  Wert {m.score:.2f} – {m.reason}\n")
    return 0


def cmd_themes(args: argparse.Namespace, out: TextIO) -> int:
    """Show the theme clusters of a programme."""
    engine = _engine()
    programme, result, run = engine.theme_clusters(args.programme)
    k = engine.min_cluster_participants
    clusters = [
        {
            "id": c.id,
            "label": c.label,
            "keywords": list(c.keywords),
            "size": c.size,
            "n_entries": c.n_entries,
            "topic": c.topic,
            "emerging": c.emerging,
            "entries": list(c.entry_ids),
            # Sentences only where enough people stand behind a cluster to hide each one.
            "sentences": list(c.sentences) if c.size >= k else [],
        }
        for c in result.clusters
    ]
    data: dict[str, Any] = {
        "programme": programme.name,
        "clusters": clusters,
        "n_entries": result.n_entries,
        "boilerplate": result.n_boilerplate,
        "duplicates": result.n_duplicates,
        "too_few": result.too_few,
        "message": "zu wenige Texte" if result.too_few else None,
        "computed": run["computed"],
    }
    if args.period:
        data["over_time"] = [
            {"period": p, "cluster": c, "entries": n}
            for p, c, n in engine.themes_over_time(programme.name, args.period)
        ]
    if args.json:
        _emit(data, out)
        return 0
    out.write(
        f"Themen in {programme.name} ({result.n_entries} Texte; "
        f"{result.n_boilerplate} Floskeln, {result.n_duplicates} Duplikate beiseitegelegt)\n"
    )
    if result.too_few:
        out.write("Zu wenige Texte für Themencluster.\n")
    for c in result.clusters:
        kind = "neu" if c.emerging else (c.topic or "–")
        out.write(f"- {c.label} [{c.id}, {kind}] {c.size} Personen: {', '.join(c.keywords)}\n")
    return 0


def cmd_forum(args: argparse.Namespace, out: TextIO) -> int:
    """Rank forum topics for a peer group, or record a chosen topic."""
    engine = _engine()
    if args.forum_command == "choose":
        from datetime import date

        try:
            when = date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(f"--date must look like 2026-03-31, got '{args.date}'.") from None
        added = engine.choose_forum_topic(args.group, args.topic, when, programme=args.programme)
        if args.json:
            _emit(
                {
                    "group": args.group,
                    "topic": args.topic,
                    "date": when.isoformat(),
                    "added": added,
                },
                out,
            )
        else:
            out.write(
                ("Vorgemerkt" if added else "War bereits vorgemerkt")
                + f": {args.topic} am {when.isoformat()} für {args.group}.\n"
            )
        return 0
    if not args.group:
        raise UsageError("forum needs --group NAME.")
    programme, topics = engine.forum_topics(args.group, programme=args.programme)
    if args.json:
        _emit(
            {
                "group": args.group,
                "programme": programme.name,
                "topics": [
                    {
                        "id": t.id,
                        "label": t.label,
                        "members": t.members,
                        "entries": t.entries,
                        "emerging": t.emerging,
                        "discussed": [d.isoformat() for d in t.discussed_on],
                        "prompts": list(t.prompts),
                    }
                    for t in topics
                ],
            },
            out,
        )
        return 0
    out.write(f"Forumsthemen für {args.group} ({programme.name}):\n")
    for rank, t in enumerate(topics, 1):
        seen = (
            f", besprochen am {', '.join(d.isoformat() for d in t.discussed_on)}"
            if t.discussed_on
            else ""
        )
        out.write(f"{rank}. {t.label} [{t.id}] – {t.members} Personen{seen}\n")
    return 0


def cmd_erase(args: argparse.Namespace, out: TextIO) -> int:
    """Erase a participant everywhere."""
    counts = _engine().erase_self(_operator(), args.participant)  # audited, as operator
    if args.json:
        _emit({"participant": args.participant, "removed": counts}, out)
    else:
        out.write(
            f"{args.participant} gelöscht: "
            + ", ".join(f"{k}: {v}" for k, v in counts.items())
            + "\n"
        )
    return 0


# -- accounts & data protection (issue #5) ----------------------------------------------------
# The CLI is the local operator's tool: it acts as an admin principal named after the OS user,
# so every command here goes through the same policy and audit log as the app.


def _operator() -> Principal:
    import getpass

    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        name = "unknown"
    return Principal(username=f"cli:{name}", role="admin")


def _yes_no(value: str | None) -> bool | None:
    return None if value is None else value == "yes"


def cmd_user(args: argparse.Namespace, out: TextIO) -> int:
    """Add or list accounts, or change an account's role."""
    from assistant.accounts import parse_group

    engine = _engine()
    if args.user_command == "list":
        users = engine.users_for(_operator())
        if args.json:
            _emit({"users": users}, out)
        else:
            for u in users:
                scope = u["participant"] or ", ".join(u["programmes"] + u["groups"]) or "–"
                out.write(f"{u['username']}  {u['role']}  {scope}\n")
        return 0
    groups = [parse_group(g) for g in args.group or []]
    if args.user_command == "role":
        engine.set_role_for(
            _operator(), args.username, args.role, programmes=args.programme or [], groups=groups
        )
        if args.json:
            _emit({"username": args.username, "role": args.role}, out)
        else:
            out.write(f"Rolle von {args.username}: {args.role}\n")
        return 0
    password = engine.add_user_for(
        _operator(),
        args.username,
        args.role,
        participant_id=args.participant,
        programmes=args.programme or [],
        groups=groups,
        oidc_subject=args.oidc_subject,
    )
    if args.json:
        _emit({"username": args.username, "role": args.role, "password": password}, out)
    else:
        out.write(
            f"Konto {args.username} ({args.role}) angelegt. Passwort (wird nur jetzt angezeigt): "
            f"{password}\n"
        )
    return 0


def cmd_consent(args: argparse.Namespace, out: TextIO) -> int:
    """Change a participant's consents on their request."""
    if args.analysis is None and args.matching is None:
        raise UsageError("Give --analysis yes|no and/or --matching yes|no.")
    person = _engine().set_consent(
        _operator(),
        args.participant,
        analysis=_yes_no(args.analysis),
        matching=_yes_no(args.matching),
    )
    if args.json:
        _emit(
            {
                "participant": person.id,
                "analysis": person.consent_analysis,
                "matching": person.consent_matching,
            },
            out,
        )
    else:
        out.write(
            f"{person.id}: Analyse {'ja' if person.consent_analysis else 'nein'}, "
            f"Matching {'ja' if person.consent_matching else 'nein'}\n"
        )
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    """Print all data about a participant as JSON (always JSON: it is a data export)."""
    _emit(_engine().export_self(_operator(), args.participant), out)
    return 0


def cmd_audit(args: argparse.Namespace, out: TextIO) -> int:
    """Show the audit log, newest first."""
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be at least 1.")
    rows = _engine().audit_log(_operator(), limit=args.limit)
    if args.json:
        _emit({"audit": rows}, out)
        return 0
    for r in rows:
        scope = " ".join(x for x in (r["programme"], r["group"], r["subject"]) if x)
        out.write(f"{r['at']}  {r['actor']}  {r['action']}  {r['outcome']}  {scope}\n")
    return 0


def cmd_retention(args: argparse.Namespace, out: TextIO) -> int:
    """Delete entries of programmes past their retention date."""
    from datetime import date

    try:
        today = date.fromisoformat(args.today) if args.today else None
    except ValueError:
        raise UsageError(f"--today must look like 2027-01-31, got '{args.today}'.") from None
    report = _engine().run_retention(_operator(), today=today, dry_run=args.dry_run)
    if args.json:
        _emit(report, out)
        return 0
    verb = "würden gelöscht" if args.dry_run else "gelöscht"
    if not report["programmes"]:
        out.write("Keine Programme über ihrer Aufbewahrungsfrist.\n")
    for p in report["programmes"]:
        out.write(f"{p['programme']}: {p['entries']} Einträge {verb} (Frist {p['delete_after']})\n")
    return 0


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
        cmd.set_defaults(run=cmd_user)
    add.add_argument("--participant", help="the participant id a participant account speaks for")
    add.add_argument("--oidc-subject", help="e-mail or subject of the identity provider")
    listing = user_sub.add_parser("list", help="list accounts (no passwords)")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(run=cmd_user)

    consent = sub.add_parser("consent", help="change a participant's consents on their request")
    consent.add_argument("participant")
    consent.add_argument("--analysis", choices=["yes", "no"])
    consent.add_argument("--matching", choices=["yes", "no"])
    consent.add_argument("--json", action="store_true", help="machine-readable output")
    consent.set_defaults(run=cmd_consent)

    export = sub.add_parser("export", help="all data about a participant as JSON")
    export.add_argument("participant")
    export.add_argument("--json", action="store_true", help="accepted; the export is JSON")
    export.set_defaults(run=cmd_export)

    audit = sub.add_parser("audit", help="the audit log, newest first")
    audit.add_argument("--limit", type=int)
    audit.add_argument("--json", action="store_true", help="machine-readable output")
    audit.set_defaults(run=cmd_audit)

    retention = sub.add_parser("retention", help="delete entries past their retention date")
    retention_sub = retention.add_subparsers(
        dest="retention_command", required=True, parser_class=_Parser
    )
    run = retention_sub.add_parser("run", help="delete (or with --dry-run: list) what is due")
    run.add_argument("--dry-run", action="store_true", help="report only, delete nothing")
    run.add_argument("--today", help="YYYY-MM-DD instead of today (for planning)")
    run.add_argument("--json", action="store_true", help="machine-readable output")
    run.set_defaults(run=cmd_retention)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"error: {message}\n")


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
    suggest.set_defaults(run=cmd_suggest)

    pool = sub.add_parser("pool", help="validate or show a topic pool")
    pool_sub = pool.add_subparsers(dest="pool_command", required=True, parser_class=_Parser)
    for name, text in (("validate", "check a pool file"), ("show", "list the topics")):
        cmd = pool_sub.add_parser(name, help=text)
        cmd.add_argument("path", nargs="?", help="pool YAML (default: the configured pool)")
        cmd.add_argument("--json", action="store_true", help="machine-readable output")
        cmd.set_defaults(run=cmd_pool)

    imp = sub.add_parser("import", help="import a CSV, JSONL or XLSX file of entries")
    imp.add_argument("file")
    imp.add_argument("--programme", help="programme name for every row (else the column)")
    imp.add_argument(
        "--kind",
        default="tandem",
        choices=["reverse", "cross", "peer_group", "tandem"],
        help="kind of a programme this import creates (tandem)",
    )
    imp.add_argument("--skip-invalid", action="store_true", help="import the valid rows only")
    imp.add_argument("--rejects", help="CSV for rejected rows with reasons")
    imp.add_argument("--json", action="store_true", help="machine-readable output")
    imp.set_defaults(run=cmd_import)

    demo = sub.add_parser("demo", help="load the fictional demo programmes")
    demo.add_argument("--json", action="store_true", help="machine-readable output")
    demo.set_defaults(run=cmd_demo)

    peers = sub.add_parser("peers", help="matching peers of a participant")
    peers.add_argument("participant")
    peers.add_argument("--programme")
    peers.add_argument("--top", type=int, default=5)
    peers.add_argument("--mode", choices=["similar", "need-offer"], default="similar")
    peers.add_argument("--json", action="store_true", help="machine-readable output")
    peers.set_defaults(run=cmd_peers)

    themes = sub.add_parser("themes", help="theme clusters of a programme")
    themes.add_argument("--programme", required=True)
    themes.add_argument("--period", choices=["month", "quarter"], help="add themes over time")
    themes.add_argument("--json", action="store_true", help="machine-readable output")
    themes.set_defaults(run=cmd_themes)

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
    forum.set_defaults(run=cmd_forum)

    erase = sub.add_parser("erase", help="erase a participant and all their data")
    erase.add_argument("participant")
    erase.add_argument("--json", action="store_true", help="machine-readable output")
    erase.set_defaults(run=cmd_erase)

    info = sub.add_parser("info", help="embedder, pool and database in use")
    info.add_argument("--json", action="store_true", help="machine-readable output")
    info.set_defaults(run=cmd_info)
    _add_privacy_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s: %(message)s",
    )
    try:
        return int(args.run(args, sys.stdout))
    except UsageError as err:
        sys.stderr.write(f"error: {err}\n")
        return 2
    except AssistantError as err:
        sys.stderr.write(f"error: {err}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception as err:  # the recording boundary: one clear line, the trace with --debug
        logging.getLogger("assistant").debug("unexpected error", exc_info=True)
        sys.stderr.write(
            f"error: unexpected internal error ({type(err).__name__}). Nothing was half-written: "
            "database changes are transactional. Run again with --debug and report the output.\n"
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
