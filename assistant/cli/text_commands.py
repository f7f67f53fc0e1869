"""Commands on texts and the pool: ``suggest``, ``pool``, ``info`` (no programme data read)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from assistant import texts
from assistant.cli import messages
from assistant.cli.common import UsageError, emit, engine, me, progress
from assistant.config import load_settings
from assistant.domain import SuggestionResult, TopicPool
from assistant.errors import InvalidEntryError

__all__ = ["cmd_info", "cmd_pool", "cmd_suggest"]


def _suggestion_json(result: SuggestionResult) -> list[dict[str, Any]]:
    return [
        {
            "id": s.topic_id,
            "label": s.label,
            "score": s.score,
            "evidence": list(s.evidence),
            "keywords": list(s.keywords),
            # How often a listed topic with this score was right on the pool's own texts
            # (``TopicSuggester.probability``, the number under the app's card); null if unknown.
            "probability": None if s.probability is None else round(s.probability, 4),
        }
        for s in result.topics
    ]


def _print_suggestion(result: SuggestionResult, out: TextIO) -> None:
    out.write(texts.CLI_LANGUAGE.format(language=result.language) + "\n")
    if result.no_fit:
        out.write(texts.CLI_NO_FIT + "\n")
        return
    for rank, s in enumerate(result.topics, 1):
        line = texts.CLI_TOPIC_LINE.format(rank=rank, label=s.label, id=s.topic_id, score=s.score)
        out.write(line + "\n")
        for sentence in s.evidence:
            out.write(texts.CLI_EVIDENCE.format(sentence=sentence) + "\n")
        if s.keywords:
            out.write(texts.CLI_KEYWORDS.format(keywords=", ".join(s.keywords)) + "\n")


def _read_jsonl(path: str) -> list[tuple[str, str]]:
    """Read ``{"id", "text"}`` lines; report every bad line at once, or return them all."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as err:
        raise InvalidEntryError(
            messages.UNREADABLE.format(path=path, reason=err.strerror), "unreadable"
        ) from None
    items: list[tuple[str, str]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(raw.split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError as err:
            problems.append(messages.LINE_NOT_UTF8.format(number=number, byte=err.start + 1))
            continue
        except json.JSONDecodeError as err:
            problems.append(messages.LINE_NOT_JSON.format(number=number, reason=err.msg))
            continue
        if not isinstance(record, dict) or "text" not in record or "id" not in record:
            problems.append(messages.LINE_NOT_RECORD.format(number=number))
            continue
        ident = str(record["id"])
        if ident in seen:
            problems.append(messages.LINE_DUPLICATE.format(number=number, ident=ident))
            continue
        seen.add(ident)
        items.append((ident, record["text"]))
    if problems:
        raise InvalidEntryError(
            messages.BAD_LINES.format(path=path, n=len(problems), lines="\n".join(problems)),
            "bad_file",
        )
    return items


def cmd_suggest(args: argparse.Namespace, out: TextIO) -> int:
    """Suggest pool topics for one text or a JSONL file."""
    if args.file and args.text:
        raise UsageError(messages.BOTH_TEXT_AND_FILE)
    if not args.file and args.text is None:
        raise UsageError(messages.NO_TEXT)
    if args.top < 1:
        raise UsageError(messages.TOP_AT_LEAST_ONE)
    items = _read_jsonl(args.file) if args.file else None
    assistant = engine(storage=False)
    if items is None:
        result = assistant.suggest(me(), args.text, k=args.top)
        if args.json:
            emit(
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
    failed = 0
    with progress(len(items), "Analyse") as bar:
        batch = 64  # bounded memory and a live progress bar for large files
        for start in range(0, len(items), batch):
            chunk = items[start : start + batch]
            outcomes = assistant.suggest_many(
                me(), [t for _, t in chunk], k=args.top, progress=bar.update
            )
            for (ident, _), outcome in zip(chunk, outcomes, strict=True):
                if outcome.error is not None:
                    failed += 1
                    error = {"code": outcome.error.code, "message": str(outcome.error)}
                    emit({"id": ident, "error": error}, out)
                    continue
                assert outcome.result is not None
                if not args.json:
                    out.write(f"## {ident}\n")
                    _print_suggestion(outcome.result, out)
                    continue
                record = {
                    "id": ident,
                    "language": outcome.result.language,
                    "topics": _suggestion_json(outcome.result),
                    "no_fit": outcome.result.no_fit,
                }
                emit(record, out)
    if failed:
        sys.stderr.write(messages.TEXTS_INVALID.format(failed=failed, total=len(items)))
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
    """Validate or show a topic pool (a file: no programme data, no database)."""
    from assistant.topics import load_topic_pool

    path = args.path or str(load_settings().pool_file)
    pool = load_topic_pool(path)
    if args.pool_command == "validate":
        if args.json:
            emit({"valid": True, "source": pool.source, "topics": len(pool.topics)}, out)
        else:
            out.write(texts.CLI_POOL_VALID.format(source=pool.source, n=len(pool.topics)) + "\n")
        return 0
    if args.json:
        emit(_pool_json(pool), out)
        return 0
    out.write(texts.CLI_POOL_HEADER.format(name=pool.name, source=pool.source, n=len(pool.topics)))
    out.write("\n")
    for t in pool.topics:
        line = texts.CLI_POOL_TOPIC.format(
            id=t.id, label=t.label["de"], description=t.description["de"]
        )
        out.write(line + "\n")
    return 0


def cmd_info(args: argparse.Namespace, out: TextIO) -> int:
    """Print the embedder, pool and database in use."""
    info = engine(storage=False).info(me())
    if args.json:
        emit(info, out)
        return 0
    emb, pool = info["embedder"], info["pool"]
    text = texts.CLI_INFO.format(
        version=info["version"],
        kind=emb["kind"],
        model_id=emb["model_id"],
        dimension=emb["dimension"],
        pool=pool["name"],
        source=pool["source"],
        topics=pool["topics"],
        database=info["database_url"],
    )
    out.write(text + "\n")
    return 0
