"""Commands on programme data: import, demo, reprocess, peers, themes, forum.

Each acts as the operator principal through the ``Assistant``; the operator keeps the read
commands scripts depend on (``peers`` of anyone, ``themes`` with entry ids), under the k rule.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from assistant import texts
from assistant.cli import messages
from assistant.cli.common import UsageError, emit, engine, iso_date, me, progress
from assistant.config import Settings, load_settings
from assistant.errors import ImportRejectedError
from assistant.importer import COLUMNS, EXTRA_COLUMNS, ImportRow
from assistant.importing.mapping import (
    READY,
    ColumnMapping,
    detect_mapping,
    load_mapping,
    ready_mapping,
)
from assistant.importing.table import read_header
from assistant.nlp.ray_embed import connect
from assistant.service import Assistant, ImportReport, default_rejects_path

__all__ = ["cmd_demo", "cmd_forum", "cmd_import", "cmd_peers", "cmd_reprocess", "cmd_themes"]


def _report_json(report: ImportReport) -> dict[str, Any]:
    return {
        "rows": report.rows,
        "imported": report.imported,
        "unchanged": report.unchanged,
        "rejected": [{"line": line, "reason": why} for line, why in report.rejected],
        "programmes": report.programmes,
        "participants": report.participants,
        "kept": [
            {"participant": person, "fields": list(fields)}
            for person, fields in sorted(report.kept.items())
        ],
        "changed": [
            {"participant": person, "fields": list(fields)}
            for person, fields in sorted(report.changed.items())
        ],
    }


def _print_report(report: ImportReport, out: TextIO) -> None:
    text = texts.CLI_IMPORT_REPORT.format(
        imported=report.imported,
        unchanged=report.unchanged,
        rejected=len(report.rejected),
        participants=report.participants,
        programmes=", ".join(report.programmes),
    )
    out.write(text + "\n")
    if report.kept:
        out.write(texts.CLI_IMPORT_KEPT.format(n=len(report.kept)) + "\n")
    if report.changed:
        out.write(texts.CLI_IMPORT_CHANGED.format(n=len(report.changed)) + "\n")


def _mapping(name: str | None, file: str) -> ColumnMapping | None:
    """Return the ready mapping ``name``, the one detected in ``file`` or a YAML file's."""
    if name is None:
        return None
    if name == "auto":  # German or English header names, or a ready mapping's questions
        return detect_mapping(read_header(Path(file), load_settings().max_upload_mb))
    if name in READY:
        return ready_mapping(name)
    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or "not UTF-8 text"
        raise UsageError(
            messages.UNREADABLE.format(path=name, reason=reason)
            + f" --mapping takes auto, {', '.join(READY)} or a YAML file."
        ) from None
    return load_mapping(text, path.stem)


def _row_json(row: ImportRow) -> dict[str, Any]:
    fields = {name: getattr(row, name) for name in (*COLUMNS, *EXTRA_COLUMNS)}
    return {"line": row.line, **fields, "created_at": row.created_at.isoformat()}


def _dry_run(args: argparse.Namespace, mapping: ColumnMapping | None, out: TextIO) -> int:
    """Print the rows as mapped and validated (and the rejected lines); nothing is written."""
    parsed = engine().preview_import(me(), args.file, programme=args.programme, mapping=mapping)
    rejected = sorted((line, why) for line, _, why in parsed.rejects)
    if args.json:
        emit(
            {
                "dry_run": True,
                "mapping": mapping.name if mapping else None,
                "rows": [_row_json(r) for r in parsed.rows],
                "rejected": [{"line": line, "reason": why} for line, why in rejected],
            },
            out,
        )
    else:
        out.write(texts.CLI_DRY_RUN.format(rows=len(parsed.rows), rejected=len(rejected)) + "\n")
        for row in parsed.rows:
            short = row.text if len(row.text) <= 60 else row.text[:59] + "…"
            out.write(
                texts.CLI_DRY_RUN_ROW.format(
                    line=row.line,
                    participant=row.participant_id,
                    role=row.role,
                    kind=row.kind,
                    date=row.created_at.isoformat(),
                    consent=f"{int(row.consent_analysis)}/{int(row.consent_matching)}",
                    text=short,
                )
                + "\n"
            )
        for line, why in rejected:
            sys.stderr.write(messages.REJECTED_LINE.format(line=line, reason=why))
    return 1 if rejected else 0


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    """Import a CSV, JSONL or XLSX file of programme entries (through a column mapping)."""
    from assistant.importer import parse_file

    mapping = _mapping(args.mapping, args.file)
    if args.dry_run:
        return _dry_run(args, mapping, out)
    ends_on = iso_date(args.ends_on, "--ends-on", "2027-06-30") if args.ends_on else None
    total = len(parse_file(args.file, programme=args.programme, mapping=mapping).rows)
    rejects_path = args.rejects
    if args.skip_invalid and not rejects_path:
        # Into the data folder, owner-only and within erasure's reach: the rows hold texts.
        rejects_path = str(default_rejects_path(load_settings().data_path, args.file))
    settings = load_settings()
    if args.ray:
        settings = replace(settings, ray_address=args.ray)
    if settings.ray_address:  # a German error before anything is written
        connect(settings.ray_address, settings.ray_workers)
        sys.stderr.write(
            texts.RAY_READY.format(address=settings.ray_address, workers=settings.ray_workers)
        )
    try:
        with contextlib.ExitStack() as bars:
            if settings.ray_address:
                ray_bar = bars.enter_context(progress(total, texts.RAY_EMBED))
                assistant = _ray_engine(settings, ray_bar)
            else:
                assistant = engine()
            bar = bars.enter_context(progress(total, "Import"))
            report = assistant.import_file(
                me(),
                args.file,
                programme=args.programme,
                kind=args.kind,
                skip_invalid=args.skip_invalid,
                rejects_path=rejects_path,
                progress=bar.update,
                ends_on=ends_on,
                mapping=mapping,
            )
    except ImportRejectedError as err:
        sys.stderr.write(messages.ERROR.format(message=err))
        for line, why in err.rejects:
            sys.stderr.write(messages.REJECTED_LINE.format(line=line, reason=why))
        if rejects_path:
            sys.stderr.write(messages.REJECTS_WRITTEN.format(path=rejects_path))
        return 1
    if args.json:
        rejects_file = rejects_path if report.rejected else None
        emit({**_report_json(report), "rejects_file": rejects_file}, out)
    else:
        _print_report(report, out)
        if report.rejected:
            out.write(texts.CLI_REJECTS_FILE.format(path=rejects_path) + "\n")
    return 0


def _ray_engine(settings: Settings, bar: Any) -> Assistant:
    """Build the assistant of an import whose texts a Ray job embeds; ``bar`` counts them."""
    from assistant.factory import build_assistant, build_embedder

    embedder = build_embedder(settings, progress=bar.update)
    return build_assistant(settings, embedder=embedder, lazy=True)


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    """Load the fictional demo programmes."""
    assistant = engine()
    with progress(300, "Demo") as bar:
        report = assistant.load_demo(me(), progress=bar.update)
    if args.json:
        emit(_report_json(report), out)
    else:
        _print_report(report, out)
    return 0


def cmd_reprocess(args: argparse.Namespace, out: TextIO) -> int:
    """Analyse the entries a crash or a failing stage left pending."""
    done = engine().reprocess(me())
    if args.json:
        emit({"reprocessed": len(done), "entries": [e.id for e in done]}, out)
    else:
        out.write(texts.CLI_REPROCESSED.format(n=len(done)) + "\n")
    return 0


def cmd_peers(args: argparse.Namespace, out: TextIO) -> int:
    """Suggest matching peers for a participant."""
    if args.top < 1:
        raise UsageError(messages.TOP_AT_LEAST_ONE)
    assistant = engine()
    result = assistant.peers(
        me(), args.participant, programme=args.programme, k=args.top, mode=args.mode
    )
    labels = {t.id: t.label_in("de") for t in assistant.pool_of(me(), result.programme).topics}
    rows = [
        (m, texts.peer_reason(m.reasons, [labels.get(t, t) for t in m.shared_topics]))
        for m in result.peers
    ]
    if args.json:
        peers = [
            {
                "participant": m.participant_id,
                "score": round(m.score, 4),
                "shared_topics": list(m.shared_topics),
                "reason": reason,
            }
            for m, reason in rows
        ]
        emit(
            {
                "participant": result.participant,
                "programme": result.programme,
                "mode": args.mode,
                "peers": peers,
            },
            out,
        )
        return 0
    header = texts.CLI_PEERS_HEADER.format(
        participant=result.participant, programme=result.programme
    )
    out.write(header + "\n")
    if not rows:
        out.write(texts.CLI_PEERS_NONE + "\n")
    for rank, (m, reason) in enumerate(rows, 1):
        line = texts.CLI_PEER_LINE.format(
            rank=rank, participant=m.participant_id, score=m.score, reason=reason
        )
        out.write(line + "\n")
    return 0


def cmd_themes(args: argparse.Namespace, out: TextIO) -> int:
    """Show the theme clusters of a programme (sentences only from clusters of k people)."""
    assistant = engine()
    run = assistant.themes(me(), args.programme)
    result = run.themes
    data: dict[str, Any] = {
        "programme": run.programme.name,
        "clusters": [
            {
                "id": c.id,
                "label": c.label,
                "keywords": list(c.keywords),
                "size": c.size,
                "n_entries": c.n_entries,
                "topic": c.topic,
                "emerging": c.emerging,
                "entries": list(c.entry_ids),
                "sentences": list(c.sentences),
            }
            for c in result.clusters
        ],
        "n_entries": result.n_entries,
        "boilerplate": result.n_boilerplate,
        "duplicates": result.n_duplicates,
        "too_few": result.too_few,
        "message": texts.THEMES_TOO_FEW if result.too_few else None,
        "computed": run.computed,
    }
    if args.period:
        data["over_time"] = [
            {"period": p, "cluster": c, "entries": n}
            for p, c, n in assistant.themes_over_time(me(), run.programme.name, args.period)
        ]
    if args.json:
        emit(data, out)
        return 0
    header = texts.CLI_THEMES_HEADER.format(
        programme=run.programme.name,
        n=result.n_entries,
        boilerplate=result.n_boilerplate,
        duplicates=result.n_duplicates,
    )
    out.write(header + "\n")
    if result.too_few:
        out.write(texts.CLI_THEMES_TOO_FEW + "\n")
    for c in result.clusters:
        kind = texts.CLI_THEME_NEW if c.emerging else (c.topic or "–")
        line = texts.CLI_THEME_LINE.format(
            label=c.label, id=c.id, kind=kind, size=c.size, keywords=", ".join(c.keywords)
        )
        out.write(line + "\n")
    return 0


def cmd_forum(args: argparse.Namespace, out: TextIO) -> int:
    """Rank forum topics for a peer group, or record a chosen topic."""
    assistant = engine()
    if args.forum_command == "choose":
        when = iso_date(args.date, "--date", "2026-03-31")
        added = assistant.choose_forum(me(), args.group, args.topic, when, programme=args.programme)
        if args.json:
            emit(
                {
                    "group": args.group,
                    "topic": args.topic,
                    "date": when.isoformat(),
                    "added": added,
                },
                out,
            )
        else:
            template = texts.CLI_FORUM_CHOSEN if added else texts.CLI_FORUM_CHOSEN_BEFORE
            out.write(
                template.format(topic=args.topic, date=when.isoformat(), group=args.group) + "\n"
            )
        return 0
    if not args.group:
        raise UsageError(messages.FORUM_NEEDS_GROUP)
    programme, topics = assistant.forum(me(), args.group, programme=args.programme)
    if args.json:
        emit(
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
    out.write(texts.CLI_FORUM_HEADER.format(group=args.group, programme=programme.name) + "\n")
    for rank, t in enumerate(topics, 1):
        dates = ", ".join(d.isoformat() for d in t.discussed_on)
        seen = texts.CLI_FORUM_SEEN.format(dates=dates) if t.discussed_on else ""
        line = texts.CLI_FORUM_LINE.format(
            rank=rank, label=t.label, id=t.id, members=t.members, seen=seen
        )
        out.write(line + "\n")
    return 0


def cmd_programme(args: argparse.Namespace, out: TextIO) -> int:
    """Set (or clear) the end of a programme: retention counts from it."""
    ends_on = None if args.on == "none" else iso_date(args.on, "--on", "2027-06-30")
    prog = engine().set_programme_end(me(), args.programme, ends_on)
    ended = prog.ends_on.isoformat() if prog.ends_on else None
    if args.json:
        emit({"programme": prog.name, "ends_on": ended}, out)
    else:
        out.write(texts.CLI_PROGRAMME_END.format(programme=prog.name, ends_on=ended or "–") + "\n")
    return 0
