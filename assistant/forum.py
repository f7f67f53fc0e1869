"""rank_forum_topics(): what a peer group's members raised recently, for the next forum."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ForumTopic:
    """A candidate topic for a peer group's forum, with how many members raised it."""

    id: str  # pool topic id or emerging cluster id
    label: str
    members: int  # distinct members who touched it
    entries: int
    emerging: bool
    discussed_on: tuple[date, ...]
    prompts: tuple[str, ...]


def rank_forum_topics(
    touched: Sequence[tuple[str, str]],
    labels: Mapping[str, str],
    prompts: Mapping[str, Sequence[str]],
    emerging: set[str],
    choices: Sequence[tuple[str, date]],
) -> list[ForumTopic]:
    """Rank topics by distinct members, then entries, then id (deterministic).

    Parameters
    ----------
    touched : sequence of (participant id, topic or cluster id)
        One pair per entry and topic it touched (an entry may touch several).
    labels, prompts : mappings by topic id
    emerging : set of str
        Ids that are emerging themes rather than pool topics.
    choices : sequence of (topic id, session date)
        Topics a moderator already chose for a forum date.
    """
    members: dict[str, set[str]] = defaultdict(set)
    entries: dict[str, int] = defaultdict(int)
    for participant, topic in touched:
        members[topic].add(participant)
        entries[topic] += 1
    discussed: dict[str, list[date]] = defaultdict(list)
    for topic, when in choices:
        discussed[topic].append(when)
    ranked = sorted(members, key=lambda t: (-len(members[t]), -entries[t], t))
    return [
        ForumTopic(
            id=t,
            label=labels.get(t, t),
            members=len(members[t]),
            entries=entries[t],
            emerging=t in emerging,
            discussed_on=tuple(sorted(discussed.get(t, []))),
            prompts=tuple(prompts.get(t, ())),
        )
        for t in ranked
    ]
