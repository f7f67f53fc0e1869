"""Pool edits: add a topic, add examples, save as YAML (from the app).

Pure functions over ``TopicPool``; every result passes ``parse_topic_pool``, the validation the
CLI uses, so an edited pool is exactly as valid as a hand-written one. Edits only add: topic ids
are a contract (stored suggestions, forum choices and reports refer to them), so no id is ever
removed or renamed here. The shipped default pool is never written; the app keeps an edited pool
in the data folder (``Settings.edited_pool_path``).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant import texts
from assistant.config import default_pool_path
from assistant.domain import LANGUAGES, Topic, TopicPool
from assistant.errors import TopicPoolError
from assistant.nlp.keyterms import is_key_term
from assistant.nlp.text import fold
from assistant.themes import EMERGING_PREFIX, OTHER_ID
from assistant.topics.pool import parse_topic_pool

__all__ = [
    "PoolProblem",
    "TopicDraft",
    "add_examples",
    "add_topic",
    "adoption_draft",
    "pool_to_raw",
    "problems_of",
    "save_pool",
    "suggest_topic_id",
    "to_yaml",
]

RESERVED_IDS = frozenset({OTHER_ID})  # theme clusters use it; "emerging-…" cannot match the id rule
_MAX_ID = 48
_PROBLEM = re.compile(r"→ (?P<field>[^:]+): (?P<message>.*)$")


@dataclass(frozen=True)
class TopicDraft:
    """A new topic as a form holds it; English label and description fall back to German."""

    id: str
    label_de: str
    description_de: str
    keywords_de: tuple[str, ...] = ()
    examples_de: tuple[str, ...] = ()
    examples_en: tuple[str, ...] = ()
    reflection_questions_de: tuple[str, ...] = ()
    forum_prompts_de: tuple[str, ...] = ()
    label_en: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class PoolProblem:
    """One validation problem: the field (``examples.de``, ``id`` …) and the schema's message."""

    field: str
    message: str


def _lines(items: Iterable[str]) -> list[str]:
    """Return stripped, non-empty items once each (ignoring case and umlaut spelling)."""
    seen: set[str] = set()
    kept = []
    for item in items:
        text = item.strip()
        if text and fold(text) not in seen:
            seen.add(fold(text))
            kept.append(text)
    return kept


def _topic_raw(topic: Topic) -> dict[str, Any]:
    def both(values: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
        return {lang: list(values.get(lang, ())) for lang in LANGUAGES}

    return {
        "id": topic.id,
        "label": dict(topic.label),
        "description": dict(topic.description),
        "keywords": both(topic.keywords),
        "examples": both(topic.examples),
        "reflection_questions": both(topic.reflection_questions),
        "forum_prompts": both(topic.forum_prompts),
    }


def pool_to_raw(pool: TopicPool, description: str = "") -> dict[str, Any]:
    """Return the pool as the YAML schema's mapping (``parse_topic_pool`` reads it back)."""
    return {
        "schema_version": pool.schema_version,
        "name": pool.name,
        "description": description,
        "topics": [_topic_raw(t) for t in pool.topics],
        "off_pool": {lang: list(pool.off_pool.get(lang, ())) for lang in LANGUAGES},
    }


def to_yaml(pool: TopicPool, description: str = "") -> str:
    """Serialise ``pool`` as pool YAML (UTF-8 text, umlauts kept, topic order kept)."""
    return yaml.safe_dump(
        pool_to_raw(pool, description), allow_unicode=True, sort_keys=False, width=100
    )


def draft_raw(draft: TopicDraft) -> dict[str, Any]:
    """Return the draft as a schema topic mapping; empty English label/description: German."""
    return {
        "id": draft.id.strip(),
        "label": {"de": draft.label_de, "en": draft.label_en.strip() or draft.label_de},
        "description": {
            "de": draft.description_de,
            "en": draft.description_en.strip() or draft.description_de,
        },
        "keywords": {"de": _lines(draft.keywords_de), "en": []},
        "examples": {"de": _lines(draft.examples_de), "en": _lines(draft.examples_en)},
        "reflection_questions": {"de": _lines(draft.reflection_questions_de), "en": []},
        "forum_prompts": {"de": _lines(draft.forum_prompts_de), "en": []},
    }


def _fail(source: str, index: int, topic_id: str, field: str, message: str) -> TopicPoolError:
    """Build an error in the line format of ``parse_topic_pool`` (``problems_of`` reads both)."""
    return TopicPoolError(
        f"Invalid topic pool:\n{source}: topic '{topic_id}' (topics[{index}]) → {field}: {message}"
    )


def add_topic(pool: TopicPool, draft: TopicDraft) -> TopicPool:
    """Return ``pool`` with the draft appended as a new topic.

    Raises
    ------
    TopicPoolError
        The draft breaks the pool schema (every problem, one per line, with its field), its id
        exists already, or it is reserved for theme clusters.
    """
    raw = pool_to_raw(pool)
    topic = draft_raw(draft)
    index = len(raw["topics"])
    if topic["id"] in RESERVED_IDS:
        raise _fail(pool.source, index, topic["id"], "id", "reserved for theme clusters")
    raw["topics"].append(topic)
    return parse_topic_pool(raw, pool.source)


def add_examples(
    pool: TopicPool, topic_id: str, phrases: Sequence[str], language: str = "de"
) -> TopicPool:
    """Return ``pool`` with new example phrases appended to one topic.

    Phrases already in the topic (ignoring case and umlaut spelling) are skipped.

    Raises
    ------
    TopicPoolError
        Unknown topic or language, no new phrase, or a phrase that breaks the schema.
    """
    if topic_id not in pool.ids:
        raise TopicPoolError(f"Unknown topic id '{topic_id}'. Available: {', '.join(pool.ids)}.")
    if language not in LANGUAGES:
        raise TopicPoolError(f"Unknown language '{language}'. Available: {', '.join(LANGUAGES)}.")
    raw = pool_to_raw(pool)
    index = pool.ids.index(topic_id)
    examples = raw["topics"][index]["examples"][language]
    known = {fold(e) for e in examples}
    new = [p for p in _lines(phrases) if fold(p) not in known]
    if not new:
        raise _fail(pool.source, index, topic_id, f"examples.{language}", "no new example given")
    examples.extend(new)
    return parse_topic_pool(raw, pool.source)


def problems_of(error: TopicPoolError) -> list[PoolProblem]:
    """Split a ``TopicPoolError`` into its problems; a line without a field keeps field ""."""
    lines = str(error).splitlines()
    body = lines[1:] if len(lines) > 1 and lines[0].startswith("Invalid topic pool") else lines
    problems = []
    for line in body:
        found = _PROBLEM.search(line)
        if found:
            problems.append(PoolProblem(found["field"].strip(), found["message"].strip()))
        else:
            problems.append(PoolProblem("", line.strip()))
    return problems


def suggest_topic_id(text: str, taken: Iterable[str]) -> str:
    """Return a valid, unused topic id from a cluster id or label ("emerging-x" → "x")."""
    base = text[len(EMERGING_PREFIX) :] if text.startswith(EMERGING_PREFIX) else text
    slug = re.sub(r"[^a-z0-9]+", "_", fold(base)).strip("_")
    if not slug or not slug[0].isalpha():
        slug = f"thema_{slug}".rstrip("_")
    slug = slug[:_MAX_ID].rstrip("_")
    used = set(taken) | RESERVED_IDS
    candidate, number = slug, 1
    while candidate in used or len(candidate) < 2:
        number += 1
        suffix = f"_{number}"
        candidate = slug[: _MAX_ID - len(suffix)] + suffix
    return candidate


def adoption_draft(
    pool: TopicPool,
    label: str,
    description: str,
    examples_de: Sequence[str],
    examples_en: Sequence[str] = (),
) -> TopicDraft:
    """Return the topic a coordinator adopts from a new theme, in their own words.

    Only what the coordinator typed goes in: label, description and a few examples (German;
    English optional). The id comes from the label; the keywords are the label's words (the
    keyword rule of the themes); reflection questions and forum prompts are made from the label
    (``texts.ADOPTED_QUESTIONS``, ``texts.ADOPTED_PROMPTS``). Participants' sentences are never
    part of it: the page shows them beside the form, not in it.
    """
    label = " ".join(label.split())
    words = [w for w in re.split(r"[\s,;/]+", label) if is_key_term(w)]
    return TopicDraft(
        id=suggest_topic_id(label, pool.ids),
        label_de=label,
        description_de=description.strip(),
        keywords_de=tuple(words or ([label] if label else [])),
        examples_de=tuple(examples_de),
        examples_en=tuple(examples_en),
        reflection_questions_de=(
            tuple(q.format(label=label) for q in texts.ADOPTED_QUESTIONS) if label else ()
        ),
        forum_prompts_de=(
            tuple(p.format(label=label) for p in texts.ADOPTED_PROMPTS) if label else ()
        ),
    )


def _source_description(pool: TopicPool) -> str:
    """Return the ``description`` of the pool's file (``TopicPool`` does not keep it)."""
    try:
        raw = yaml.safe_load(Path(pool.source).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    return str(raw.get("description") or "") if isinstance(raw, dict) else ""


def save_pool(pool: TopicPool, path: str | Path, *, keep_ids: Sequence[str]) -> Path:
    """Write ``pool`` as YAML to ``path`` atomically and return the path.

    Raises
    ------
    TopicPoolError
        ``path`` is the shipped default pool, an id of ``keep_ids`` is missing (ids are a
        contract), or the YAML would not read back as a valid pool.
    """
    target = Path(path)
    if target.resolve() == default_pool_path().resolve():
        raise TopicPoolError("The shipped default pool is never written; save elsewhere.")
    missing = [i for i in keep_ids if i not in pool.ids]
    if missing:
        raise TopicPoolError(f"Topic ids cannot be removed or renamed: {', '.join(missing)}.")
    text = to_yaml(pool, _source_description(pool))
    parse_topic_pool(yaml.safe_load(text), str(target))  # never save what cannot be loaded
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=".topic_pool-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
