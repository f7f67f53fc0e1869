"""Input checks at the edge of matching: bad cohorts and rules raise ``MatchingError``.

After these checks the solvers trust their input: people sorted by id (so the order in which a
caller lists them never changes a result), capacities and levels as integers, passages of one
dimension. Messages name fields, ids and limits, never texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.errors import MatchingError
from assistant.matching.model import (
    PAIR_KINDS,
    SIDES,
    Candidate,
    Cohort,
    GroupRules,
    PairRules,
)

__all__ = ["PreparedGroups", "PreparedPairs", "prepare_groups", "prepare_pairs"]


@dataclass(frozen=True)
class PreparedPairs:
    """A checked mentor-mentee cohort; pairs are (mentee index, mentor index) in id order."""

    mentees: tuple[Candidate, ...]
    mentors: tuple[Candidate, ...]
    capacity: tuple[int, ...]
    locks: tuple[tuple[int, int], ...]
    exclusions: frozenset[tuple[int, int]]
    previous: frozenset[tuple[int, int]]


@dataclass(frozen=True)
class PreparedGroups:
    """A checked peer cohort; memberships are (peer index, group id) in id order."""

    peers: tuple[Candidate, ...]
    locks: tuple[tuple[int, str], ...]
    exclusions: frozenset[tuple[int, str]]
    apart: frozenset[tuple[int, int]]
    previous: tuple[tuple[int, str], ...]


def prepare_pairs(cohort: Cohort, rules: PairRules) -> PreparedPairs:
    """Check a mentor-mentee cohort and its rules; locks are checked against the hard rules later.

    Raises
    ------
    MatchingError
        With ``code`` ``bad_kind``, ``wrong_side``, ``no_mentors``, ``no_mentees``,
        ``duplicate_person``, ``bad_capacity``, ``bad_level``, ``bad_vector``,
        ``unknown_person`` or ``bad_lock``.
    """
    if rules.kind not in PAIR_KINDS:
        raise MatchingError(
            f"Programme kind '{rules.kind}' is not matched in pairs. Available: "
            f"{', '.join(PAIR_KINDS)} (peer_group programmes form groups).",
            "bad_kind",
        )
    people = _checked_people(cohort)
    for person in people:
        if person.side == "peer":
            raise MatchingError(
                f"Participant '{person.id}' is a peer; a {rules.kind} programme matches "
                "mentees with mentors.",
                "wrong_side",
            )
    mentees = tuple(p for p in people if p.side == "mentee")
    mentors = tuple(p for p in people if p.side == "mentor")
    if not mentors:
        raise MatchingError("The programme has no mentors to match.", "no_mentors")
    if not mentees:
        raise MatchingError("The programme has no mentees to match.", "no_mentees")
    mentee_at = {p.id: i for i, p in enumerate(mentees)}
    mentor_at = {p.id: i for i, p in enumerate(mentors)}

    def pair(a: str, b: str, what: str) -> tuple[int, int]:
        for person in (a, b):
            if person not in mentee_at and person not in mentor_at:
                raise MatchingError(
                    f"{what} ({a}, {b}) names '{person}', who is not in the cohort.",
                    "unknown_person",
                )
        if a in mentee_at and b in mentor_at:
            return mentee_at[a], mentor_at[b]
        if b in mentee_at and a in mentor_at:
            return mentee_at[b], mentor_at[a]
        raise MatchingError(f"{what} ({a}, {b}) must name one mentee and one mentor.", "wrong_side")

    locks = tuple(sorted({pair(a, b, "Lock") for a, b in rules.locks}))
    locked_mentees = [i for i, _ in locks]
    if len(set(locked_mentees)) != len(locked_mentees):
        twice = sorted({mentees[i].id for i in locked_mentees if locked_mentees.count(i) > 1})
        raise MatchingError(
            f"Mentee '{twice[0]}' is locked to more than one mentor; a mentee has one mentor.",
            "bad_lock",
        )
    exclusions = frozenset(pair(a, b, "Exclusion") for a, b in rules.exclusions)
    previous = frozenset(
        (mentee_at[a], mentor_at[b])
        for a, b in rules.previous
        if a in mentee_at and b in mentor_at  # people who left since the draft are dropped
    )
    capacity = tuple(1 if p.capacity is None else p.capacity for p in mentors)
    return PreparedPairs(mentees, mentors, capacity, locks, exclusions, previous)


def prepare_groups(cohort: Cohort, rules: GroupRules) -> PreparedGroups:
    """Check a peer cohort and its group rules.

    Raises
    ------
    MatchingError
        With ``code`` ``wrong_side``, ``no_peers``, ``too_few_peers``, ``bad_group_size``,
        ``duplicate_person``, ``bad_level``, ``bad_capacity``, ``bad_vector``,
        ``unknown_person``, ``unknown_group`` or ``bad_lock``.
    """
    people = _checked_people(cohort)
    for person in people:
        if person.side != "peer":
            raise MatchingError(
                f"Participant '{person.id}' is a {person.side}; a peer_group programme groups "
                "peers.",
                "wrong_side",
            )
    if not people:
        raise MatchingError("The programme has no peers to group.", "no_peers")
    low, high = rules.size
    if not (_is_int(low) and _is_int(high) and 2 <= low <= high):
        raise MatchingError(
            f"Group size {low}-{high} is invalid: give whole numbers with 2 <= min <= max.",
            "bad_group_size",
        )
    n = len(people)
    if n < low:
        raise MatchingError(
            f"{n} peers are fewer than the smallest group ({low}).", "too_few_peers"
        )
    if not any(k * low <= n <= k * high for k in range(1, n // low + 1)):
        raise MatchingError(
            f"{n} peers cannot be split into groups of {low} to {high}; widen the size range.",
            "bad_group_size",
        )
    for name in ("max_per_organisation", "max_level_spread"):
        value = getattr(rules, name)
        if not _is_int(value) or value < (1 if name == "max_per_organisation" else 0):
            raise MatchingError(f"{name} must be a whole number >= 1, got {value!r}.", "bad_rule")
    if rules.n_groups is not None and not (
        _is_int(rules.n_groups) and rules.n_groups * low <= n <= rules.n_groups * high
    ):
        raise MatchingError(
            f"n_groups={rules.n_groups!r} cannot hold {n} peers in groups of {low} to {high}.",
            "bad_group_size",
        )
    at = {p.id: i for i, p in enumerate(people)}

    def index(person: str, what: str) -> int:
        if person not in at:
            raise MatchingError(
                f"{what} names '{person}', who is not in the cohort.", "unknown_person"
            )
        return at[person]

    locks = sorted({(index(p, "Lock"), str(g)) for p, g in rules.locks})
    seen = [i for i, _ in locks]
    if len(set(seen)) != len(seen):
        twice = sorted({people[i].id for i in seen if seen.count(i) > 1})
        raise MatchingError(f"Peer '{twice[0]}' is locked into two groups.", "bad_lock")
    previous = sorted({(at[p], str(g)) for p, g in rules.previous if p in at})
    known_groups = {g for _, g in locks} | {g for _, g in previous}
    exclusions: set[tuple[int, str]] = set()
    for who, group in rules.exclusions:
        if str(group) not in known_groups:
            raise MatchingError(
                f"Exclusion ({who}, {group}) names group '{group}', which is neither locked "
                f"nor in the previous draft. Known groups: {', '.join(sorted(known_groups))}.",
                "unknown_group",
            )
        exclusions.add((index(who, "Exclusion"), str(group)))
    if bad := exclusions & set(locks):
        i, group = min(bad)
        raise MatchingError(
            f"Peer '{people[i].id}' is both locked into and excluded from group '{group}'.",
            "bad_lock",
        )
    apart = frozenset(
        tuple(sorted((index(a, "Apart rule"), index(b, "Apart rule")))) for a, b in rules.apart
    )
    _check_group_locks(people, locks, apart, rules)
    return PreparedGroups(
        tuple(people),
        tuple(locks),
        frozenset(exclusions),
        frozenset((a, b) for a, b in apart if a != b),
        tuple(previous),
    )


def _check_group_locks(
    people: Sequence[Candidate],
    locks: Sequence[tuple[int, str]],
    apart: Iterable[tuple[int, ...]],
    rules: GroupRules,
) -> None:
    """Raise ``bad_lock`` when the locked members of a group already break a hard rule."""
    members: dict[str, list[int]] = {}
    for i, group in locks:
        members.setdefault(group, []).append(i)
    apart_set = set(apart)
    for group, rows in sorted(members.items()):
        levels = [level for i in rows if (level := people[i].level) is not None]
        organisations = [people[i].organisation for i in rows]
        worst = max(organisations.count(o) for o in organisations)
        problem = ""
        if len(rows) > rules.size[1]:
            problem = f"{len(rows)} locked members exceed the largest size {rules.size[1]}"
        elif levels and max(levels) - min(levels) > rules.max_level_spread:
            spread = rules.max_level_spread
            problem = f"locked levels {min(levels)}-{max(levels)} differ by more than {spread}"
        elif worst > rules.max_per_organisation:
            limit = rules.max_per_organisation
            problem = f"{worst} locked members share an organisation (limit {limit})"
        elif any((a, b) in apart_set for a in rows for b in rows if a < b):
            problem = "two locked members must be kept apart"
        if problem:
            raise MatchingError(f"Group '{group}': {problem}.", "bad_lock")


def _checked_people(cohort: Cohort) -> list[Candidate]:
    """Return the cohort's people sorted by id after checking ids, numbers and passages."""
    n_topics = len(cohort.topic_ids)
    seen: set[str] = set()
    dimension: int | None = None
    for person in cohort.people:
        if not isinstance(person.id, str) or not person.id:
            raise MatchingError(
                f"Participant id {person.id!r} must be a non-empty string.", "bad_id"
            )
        if person.id in seen:
            raise MatchingError(f"Participant '{person.id}' is listed twice.", "duplicate_person")
        seen.add(person.id)
        if person.side not in SIDES:
            raise MatchingError(
                f"Participant '{person.id}': side '{person.side}' is unknown. Available: "
                f"{', '.join(SIDES)}.",
                "wrong_side",
            )
        if person.level is not None and not _is_int(person.level):
            raise MatchingError(
                f"Participant '{person.id}': level {person.level!r} is not a whole number "
                "(higher = more senior; leave it empty for no seniority rule).",
                "bad_level",
            )
        if person.capacity is not None and not (_is_int(person.capacity) and person.capacity >= 0):
            raise MatchingError(
                f"Participant '{person.id}': capacity {person.capacity!r} must be a whole number "
                ">= 0 (0 = takes nobody this round).",
                "bad_capacity",
            )
        for passage in (*person.needs, *person.offers):
            vector = np.asarray(passage.vector)
            topics = np.asarray(passage.topics)
            dimension = vector.shape[0] if dimension is None and vector.ndim == 1 else dimension
            if (
                vector.ndim != 1
                or vector.shape[0] != dimension
                or vector.size == 0
                or not np.isfinite(vector).all()
                or topics.shape != (n_topics,)
                or not np.isfinite(topics).all()
            ):
                raise MatchingError(
                    f"Participant '{person.id}', entry '{passage.entry_id}': expected a finite "
                    f"vector of {dimension} values and {n_topics} finite topic scores "
                    "(pool order, without the 'no topic' column).",
                    "bad_vector",
                )
    return sorted(cohort.people, key=lambda p: p.id)


def _is_int(value: object) -> bool:
    """Return whether ``value`` is a whole number (bool excluded, numpy integers included)."""
    return isinstance(value, int | np.integer) and not isinstance(value, bool)
