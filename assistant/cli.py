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

    assistant = build_assistant(load_settings())
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

    info = build_assistant(load_settings()).info()
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


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``assistant`` command."""
    parser = _Parser(prog="assistant", description="Mentoring assistant (Mentoring-Assistent).")
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

    info = sub.add_parser("info", help="embedder, pool and database in use")
    info.add_argument("--json", action="store_true", help="machine-readable output")
    info.set_defaults(run=cmd_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args = build_parser().parse_args(argv)
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


if __name__ == "__main__":
    raise SystemExit(main())
