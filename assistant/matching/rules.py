"""Cohort rules per programme kind: which pairs are allowed, and what binds when some are left.

Each hard rule is one boolean (mentee, mentor) mask, written once here; the solver, the lock
check, the explanations and the benchmark's rule check all read these masks:

- ``cross``: other organisation; mentor more senior when both levels are given.
- ``reverse``: mentor less senior when both levels are given; same organisation allowed.
- ``tandem``: no rule of its own.
- every kind: the coordinator's exclusions; a mentor with capacity 0 takes nobody.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from assistant.errors import MatchingError
from assistant.matching.model import (
    Binding,
    BindingCode,
    Candidate,
    PairKind,
    RuleCode,
    UnmatchedReason,
)
from assistant.matching.validate import PreparedPairs

__all__ = [
    "PairMasks",
    "authority_of",
    "bindings",
    "check_locks",
    "max_matchable",
    "pair_masks",
    "seniority_allows",
    "unmatched_mentee",
]


@dataclass(frozen=True)
class PairMasks:
    """Hard rules as (n_mentees, n_mentors) masks, True where the rule allows the pair."""

    organisation: NDArray[np.bool_]
    seniority: NDArray[np.bool_]
    exclusion: NDArray[np.bool_]
    capacity: NDArray[np.int64]  # (n_mentors,)

    @cached_property
    def allowed(self) -> NDArray[np.bool_]:
        """Pairs every hard rule allows, capacity 0 included."""
        return self.organisation & self.seniority & self.exclusion & (self.capacity > 0)[None, :]

    def broken_rule(self, mentee: int, mentor: int) -> RuleCode | None:
        """Return the first hard rule the pair breaks, None when allowed."""
        if not self.organisation[mentee, mentor]:
            return "same_organisation"
        if not self.seniority[mentee, mentor]:
            return "seniority"
        if not self.exclusion[mentee, mentor]:
            return "excluded"
        if self.capacity[mentor] <= 0:
            return "no_capacity"
        return None


_DEPARTMENT = re.compile(r"\s+[–—-]\s+")


def authority_of(organisation: str) -> str:
    """Return the authority of an ``organisation`` written "Behörde – Abteilung".

    Cross-mentoring pairs people of different administrations, and a peer group mixes
    authorities: two departments of one city are one organisation for these rules.
    """
    return _DEPARTMENT.split(organisation.strip(), maxsplit=1)[0].strip()


def seniority_allows(
    kind: PairKind, mentee_levels: NDArray[np.float64], mentor_levels: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Return the seniority mask; levels are floats with NaN for "not given".

    The rule applies only when both levels are given: cross wants the mentor strictly more
    senior, reverse strictly less senior, tandem has no seniority rule.
    """
    mentee = mentee_levels[:, None]
    mentor = mentor_levels[None, :]
    unknown = np.isnan(mentee) | np.isnan(mentor)
    if kind == "cross":
        return np.asarray(unknown | (mentor > mentee))
    if kind == "reverse":
        return np.asarray(unknown | (mentor < mentee))
    return np.ones((len(mentee_levels), len(mentor_levels)), dtype=bool)


def pair_masks(prepared: PreparedPairs, kind: PairKind) -> PairMasks:
    """Return the hard-rule masks of a checked cohort."""
    mentees, mentors = prepared.mentees, prepared.mentors
    n, m = len(mentees), len(mentors)
    if kind == "cross":
        mentee_orgs = np.array([p.organisation for p in mentees], dtype=object)
        mentor_orgs = np.array([p.organisation for p in mentors], dtype=object)
        organisation = np.asarray(mentee_orgs[:, None] != mentor_orgs[None, :], dtype=bool)
    else:
        organisation = np.ones((n, m), dtype=bool)
    exclusion = np.ones((n, m), dtype=bool)
    for i, j in prepared.exclusions:
        exclusion[i, j] = False
    return PairMasks(
        organisation=organisation,
        seniority=seniority_allows(kind, _levels(mentees), _levels(mentors)),
        exclusion=exclusion,
        capacity=np.asarray(prepared.capacity, dtype=np.int64),
    )


def check_locks(prepared: PreparedPairs, masks: PairMasks) -> None:
    """Raise ``MatchingError`` (``bad_lock``) for a lock that breaks a hard rule or capacity."""
    used = np.zeros(len(prepared.mentors), dtype=np.int64)
    for i, j in prepared.locks:
        rule = masks.broken_rule(i, j)
        if rule is not None:
            raise MatchingError(
                f"Lock ({prepared.mentees[i].id}, {prepared.mentors[j].id}) breaks the hard "
                f"rule '{rule}'; remove the lock or the rule.",
                "bad_lock",
            )
        used[j] += 1
    over = np.flatnonzero(used > masks.capacity)
    if len(over):
        j = int(over[0])
        raise MatchingError(
            f"Mentor '{prepared.mentors[j].id}' has {used[j]} locked mentees but capacity "
            f"{masks.capacity[j]}.",
            "bad_lock",
        )


def max_matchable(allowed: NDArray[np.bool_], capacity: NDArray[np.int64]) -> int:
    """Return how many mentees can get a mentor at most under ``allowed`` and ``capacity``.

    A maximum flow source → mentee (1) → mentor (allowed pairs, 1) → sink (capacity).
    """
    from scipy.sparse import csr_matrix  # loaded by the first solve only
    from scipy.sparse.csgraph import maximum_flow

    n, m = allowed.shape
    rows, cols = np.nonzero(allowed)
    source, sink = 0, n + m + 1
    heads = np.concatenate([np.zeros(n, np.int64), 1 + rows, 1 + n + np.arange(m)])
    tails = np.concatenate([1 + np.arange(n), 1 + n + cols, np.full(m, sink)])
    weights = np.concatenate([np.ones(n + len(rows), np.int32), capacity.astype(np.int32)])
    graph = csr_matrix((weights, (heads, tails)), shape=(n + m + 2, n + m + 2), dtype=np.int32)
    return int(maximum_flow(graph, source, sink).flow_value)


def unmatched_mentee(
    mentee: int, prepared: PreparedPairs, masks: PairMasks
) -> tuple[UnmatchedReason, dict[str, int]]:
    """Return the reason code and numbers for a mentee left without mentor."""
    allowed = masks.allowed[mentee]
    if not allowed.any():
        return "no_allowed_mentor", {
            "mentors": len(prepared.mentors),
            "same_organisation": int((~masks.organisation[mentee]).sum()),
            "seniority": int((~masks.seniority[mentee]).sum()),
            "excluded": int((~masks.exclusion[mentee]).sum()),
            "no_capacity": int((masks.capacity <= 0).sum()),
        }
    return "places_taken", {
        "allowed_mentors": int(allowed.sum()),
        "places": int(masks.capacity[allowed].sum()),
    }


def bindings(
    kind: PairKind, prepared: PreparedPairs, masks: PairMasks, matched: int
) -> tuple[Binding, ...]:
    """Return the rules that keep mentees unmatched, hardest first; empty when all are matched.

    ``matchable`` is the most mentees one rule alone (with capacity) would let through, e.g.
    "63 mentees but only 58 places with mentors from other organisations".
    """
    n = len(prepared.mentees)
    if matched >= n:
        return ()
    places = int(masks.capacity.sum())
    found: list[tuple[int, int, Binding]] = []
    if places < n:
        found.append((places, 0, Binding("capacity", {"mentees": n, "places": places})))
    singles: list[tuple[BindingCode, NDArray[np.bool_], bool]] = [
        ("other_organisation", masks.organisation, kind == "cross"),
        ("seniority", masks.seniority, kind in ("cross", "reverse")),
        ("exclusions", masks.exclusion, bool(prepared.exclusions)),
    ]
    for order, (code, mask, applies) in enumerate(singles, start=1):
        if not applies or mask.all():
            continue
        matchable = max_matchable(mask, masks.capacity)
        if matchable < min(n, places):
            numbers = {"mentees": n, "matchable": matchable, "places": places}
            found.append((matchable, order, Binding(code, numbers)))
    if not found:
        numbers = {"mentees": n, "matchable": matched, "places": places}
        found.append((matched, 9, Binding("combined", numbers)))
    return tuple(b for _, _, b in sorted(found, key=lambda t: (t[0], t[1])))


def _levels(people: Sequence[Candidate]) -> NDArray[np.float64]:
    """Return levels as floats, NaN where not given."""
    return np.array([np.nan if p.level is None else float(p.level) for p in people])
