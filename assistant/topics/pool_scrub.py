"""Pool scrub: take erased people's words out of an edited pool (learned examples).

A coordinator adopts an emerging theme with examples in their own words; the participants'
sentences are shown beside the form as inspiration and refused as examples (``copied_examples``).
Older pools may still hold adopted sentences, and edits may come close to someone's words: those
are a participant's words (masked) and must go when the person is erased or withdraws the analysis.
An example counts as taken from a text when nearly all its words occur in one sentence of it
(masking and the coordinator's light edits change a word or two). Examples of the reference pools
(the shipped pool, a configured one) ship with the software and are never someone's words: they
stay, so a shipped topic never falls below the schema's minimum. A topic learned in the app that
falls below it is removed: its id is local to this installation, not part of the id contract.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.domain import LANGUAGES, TopicPool
from assistant.nlp.text import fold
from assistant.topics.pool import MIN_EXAMPLES, parse_topic_pool
from assistant.topics.pool_edit import pool_to_raw

__all__ = ["Scrubbed", "copied_examples", "scrub_pool"]

_SHARE = 0.8  # of an example's words found in one sentence of an erased text
_MIN_WORDS = 3  # shorter examples are taken out only when equal to a whole sentence
_SENTENCE_END = re.compile(r"(?<=[.!?;:…])\s+|\n+")
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Scrubbed:
    """The pool after the scrub, the examples taken out and the learned topics removed."""

    pool: TopicPool
    examples: tuple[str, ...]
    topics: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """Whether anything was taken out."""
        return bool(self.examples or self.topics)


def _words(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def _sentences(texts: Iterable[str]) -> list[Counter[str]]:
    return [
        Counter(words)
        for text in texts
        for part in _SENTENCE_END.split(text)
        if (words := _words(part))
    ]


def _taken_from(example: str, sentences: Sequence[Counter[str]]) -> bool:
    words = Counter(_words(example))
    total = sum(words.values())
    if total == 0:
        return False
    for sentence in sentences:
        if total < _MIN_WORDS:
            if sentence == words:
                return True
        elif sum((words & sentence).values()) >= _SHARE * total:
            return True
    return False


def copied_examples(examples: Sequence[str], texts: Sequence[str]) -> list[str]:
    """Return the examples taken (nearly word for word) from a sentence of ``texts``."""
    sentences = _sentences(texts)
    return [e for e in examples if _taken_from(e, sentences)]


def scrub_pool(pool: TopicPool, texts: Sequence[str], reference: Sequence[TopicPool]) -> Scrubbed:
    """Return ``pool`` without examples taken from ``texts`` (kept: examples of ``reference``)."""
    sentences = _sentences(texts)
    shipped = {
        fold(e) for ref in reference for t in ref.topics for v in t.examples.values() for e in v
    }
    shipped_ids = {i for ref in reference for i in ref.ids}
    raw = pool_to_raw(pool)
    removed: list[str] = []
    dropped: list[str] = []
    kept_topics = []
    for topic in raw["topics"]:
        for language in LANGUAGES:
            keep = []
            for example in topic["examples"][language]:
                if fold(example) not in shipped and _taken_from(example, sentences):
                    removed.append(example)
                else:
                    keep.append(example)
            topic["examples"][language] = keep
        short = any(len(topic["examples"][lang]) < MIN_EXAMPLES[lang] for lang in LANGUAGES)
        if topic["id"] not in shipped_ids and short:
            dropped.append(topic["id"])
            removed.extend(e for lang in LANGUAGES for e in topic["examples"][lang])
        else:
            kept_topics.append(topic)
    if not removed and not dropped:
        return Scrubbed(pool, (), ())
    raw["topics"] = kept_topics
    return Scrubbed(parse_topic_pool(raw, pool.source), tuple(removed), tuple(dropped))
