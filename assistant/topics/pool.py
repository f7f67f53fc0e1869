"""Pool schema and loading: read a topic pool YAML file and validate it (``load_topic_pool``).

The schema lives here as pydantic models; errors name the file, the topic id and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from assistant.domain import Topic, TopicPool
from assistant.errors import TopicPoolError

TopicId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,47}$")]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Localised(_Strict):
    de: Phrase
    en: Phrase


class _Keywords(_Strict):
    de: list[Phrase] = Field(min_length=1)
    en: list[Phrase] = []


MIN_EXAMPLES = {"de": 3, "en": 0}
"""Example phrases a topic needs per language.

A coordinator adopts a new theme with a few examples in their own words, German only (issue
#14); the suggester fits with that few (its folds shrink to the smallest topic). The shipped
pool has at least 15 German and 5 English examples per topic (``tests/unit/test_topics.py``).
"""


class _Examples(_Strict):
    de: list[Phrase] = Field(min_length=MIN_EXAMPLES["de"])
    en: list[Phrase] = Field(min_length=MIN_EXAMPLES["en"])


class _Questions(_Strict):
    de: list[Phrase] = Field(min_length=3)
    en: list[Phrase] = []


class _Prompts(_Strict):
    de: list[Phrase] = Field(min_length=2)
    en: list[Phrase] = []


class _OffPool(_Strict):
    de: list[Phrase] = []
    en: list[Phrase] = []


class _TopicSchema(_Strict):
    id: TopicId
    label: _Localised
    description: _Localised
    keywords: _Keywords
    examples: _Examples
    reflection_questions: _Questions
    forum_prompts: _Prompts


class _PoolSchema(_Strict):
    schema_version: Literal[1]
    name: Phrase
    description: str = ""
    topics: list[_TopicSchema] = Field(min_length=1)
    off_pool: _OffPool = _OffPool()


def _where(loc: tuple[int | str, ...], raw: Any) -> str:
    """Turn a pydantic location into "topic 'conflict' (topics[5]) → examples.de"."""
    if len(loc) >= 2 and loc[0] == "topics" and isinstance(loc[1], int):
        index = loc[1]
        topics = raw.get("topics") if isinstance(raw, dict) else None
        topic = topics[index] if isinstance(topics, list) and index < len(topics) else None
        ident = topic.get("id") if isinstance(topic, dict) else None
        head = f"topic '{ident}' (topics[{index}])" if ident else f"topics[{index}]"
        rest = ".".join(str(p) for p in loc[2:])
        return f"{head} → {rest}" if rest else head
    return ".".join(str(p) for p in loc) or "(top level)"


def parse_topic_pool(raw: Any, source: str) -> TopicPool:
    """Validate an already-parsed pool mapping; ``source`` names it in error messages.

    Raises
    ------
    TopicPoolError
        Listing every problem, one per line, each with file, topic and field.
    """
    try:
        schema = _PoolSchema.model_validate(raw)
    except ValidationError as err:
        problems = [f"{source}: {_where(e['loc'], raw)}: {e['msg']}" for e in err.errors()]
        raise TopicPoolError("Invalid topic pool:\n" + "\n".join(problems)) from None
    seen: set[str] = set()
    for index, topic in enumerate(schema.topics):
        if topic.id in seen:
            raise TopicPoolError(
                f"Invalid topic pool:\n{source}: topics[{index}] → id: duplicate topic id "
                f"'{topic.id}'; ids must be unique."
            )
        seen.add(topic.id)
    return TopicPool(
        name=schema.name,
        source=source,
        schema_version=schema.schema_version,
        topics=tuple(
            Topic(
                id=t.id,
                label={"de": t.label.de, "en": t.label.en},
                description={"de": t.description.de, "en": t.description.en},
                keywords={"de": tuple(t.keywords.de), "en": tuple(t.keywords.en)},
                examples={"de": tuple(t.examples.de), "en": tuple(t.examples.en)},
                reflection_questions={
                    "de": tuple(t.reflection_questions.de),
                    "en": tuple(t.reflection_questions.en),
                },
                forum_prompts={"de": tuple(t.forum_prompts.de), "en": tuple(t.forum_prompts.en)},
            )
            for t in schema.topics
        ),
        off_pool={"de": tuple(schema.off_pool.de), "en": tuple(schema.off_pool.en)},
    )


def load_topic_pool(path: str | Path) -> TopicPool:
    """Read and validate a topic pool YAML file.

    Raises
    ------
    TopicPoolError
        The file is missing, not UTF-8, not YAML, or breaks the schema.
    """
    path = Path(path)
    try:
        # libyaml's safe loader where PyYAML was built with it: 0.6 s of the cold start
        # went to the pure-Python parser (bench/speed.py).
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except FileNotFoundError:
        raise TopicPoolError(f"Topic pool file {path} does not exist.") from None
    except UnicodeDecodeError as err:
        raise TopicPoolError(f"{path}: not valid UTF-8 (byte {err.start}).") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise TopicPoolError(f"{path}: not valid YAML{where}.") from None
    except OSError as err:
        raise TopicPoolError(f"Cannot read topic pool file {path}: {err.strerror}.") from None
    if not isinstance(raw, dict):
        raise TopicPoolError(f"{path}: expected a mapping with 'schema_version' and 'topics'.")
    return parse_topic_pool(raw, str(path))
