"""Learning from use: which feedback counts as a training example, and the pool it makes.

Feedback is a person's accepted or dismissed suggestion, or an example the coordinator
confirmed. One rule (``counted_examples``) decides what reaches the fit:

- an accepted (text, topic) counts only when at least ``min_people`` distinct people accepted
  that topic in the programme: one person cannot move a topic on their own;
- a confirmed example counts as it is (the coordinator vouches for it, as for a pool example);
- a dismissed (text, topic) is never a positive, whoever accepted or confirmed it.

The suggester's "no topic" class is for texts that fit no topic at all, so a dismissal (which
says only that one topic does not fit) is used as a veto, not as a "none" example.
``with_learned`` returns the pool with the counted examples added: its training texts, and so
the cached fit's key (``assistant.topics.fitting``) and the stored scores' ``pool_key``,
change with them. The pool file is never written with them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from assistant.domain import TopicPool

__all__ = ["Feedback", "LearnedExample", "counted_examples", "learned_digest", "with_learned"]


@dataclass(frozen=True)
class Feedback:
    """One feedback event as the rule sees it (texts already masked)."""

    person: str | None  # None: the coordinator's confirmed example
    topic_id: str
    kind: str  # accepted | dismissed | confirmed
    text: str


@dataclass(frozen=True, order=True)
class LearnedExample:
    """A (text, topic) the suggester learns as an example of the topic."""

    topic_id: str
    text: str


def counted_examples(
    events: Iterable[Feedback], min_people: int, topic_ids: Sequence[str] | None = None
) -> list[LearnedExample]:
    """Return the examples that count, sorted (deterministic fits and cache keys).

    Parameters
    ----------
    events : iterable of Feedback
    min_people : int
        Distinct people who must have accepted a topic before its accepted texts count.
    topic_ids : sequence of str, optional
        The pool's topics; feedback on a topic no longer in the pool is left out.
    """
    events = list(events)
    known = set(topic_ids) if topic_ids is not None else None
    people: dict[str, set[str]] = {}
    for e in events:
        if e.kind == "accepted" and e.person is not None:
            people.setdefault(e.topic_id, set()).add(e.person)
    vetoed = {(e.text, e.topic_id) for e in events if e.kind == "dismissed"}
    found: set[LearnedExample] = set()
    for e in events:
        if known is not None and e.topic_id not in known:
            continue
        if (e.text, e.topic_id) in vetoed or not e.text.strip():
            continue
        if e.kind == "confirmed" or (
            e.kind == "accepted" and len(people.get(e.topic_id, ())) >= min_people
        ):
            found.add(LearnedExample(e.topic_id, e.text))
    return sorted(found)


def learned_digest(examples: Sequence[LearnedExample]) -> str:
    """Return a short digest of the examples (which fit an analyzer holds)."""
    return hashlib.sha256(
        "\x00".join(f"{x.topic_id}\x01{x.text}" for x in examples).encode()
    ).hexdigest()[:16]


def with_learned(pool: TopicPool, examples: Sequence[LearnedExample]) -> TopicPool:
    """Return ``pool`` with ``examples`` added to their topics' German examples.

    The language list does not matter to the fit (it reads every example); a text already among
    the topic's examples is not added twice. Topics not in the pool are skipped.
    """
    if not examples:
        return pool
    by_topic: dict[str, list[str]] = {}
    for x in examples:
        by_topic.setdefault(x.topic_id, []).append(x.text)
    topics = []
    for topic in pool.topics:
        added = by_topic.get(topic.id)
        if not added:
            topics.append(topic)
            continue
        have = {p for phrases in topic.examples.values() for p in phrases}
        fresh = tuple(dict.fromkeys(p for p in added if p not in have))
        examples_de = (*topic.examples.get("de", ()), *fresh)
        topics.append(replace(topic, examples={**topic.examples, "de": examples_de}))
    return replace(pool, topics=tuple(topics))
