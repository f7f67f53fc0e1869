"""What matching takes and returns: candidates, rules, pairs, groups and the codes explaining them.

Explanations are codes with numbers, never sentences: ``assistant.texts.matching`` words them
in German. Inputs are plain values that a service builds from the database
(``assistant.matching.cohort.build_cohort`` does it from stored analyses).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "BINDING_CODES",
    "GROUP_REASONS",
    "PAIR_KINDS",
    "PAIR_REASONS",
    "RULE_CODES",
    "SIDES",
    "TRADE_OFF_CODES",
    "UNMATCHED_REASONS",
    "Binding",
    "BindingCode",
    "Candidate",
    "Cohort",
    "Evidence",
    "GroupReason",
    "GroupResult",
    "GroupRules",
    "GroupingResult",
    "MatchResult",
    "Objective",
    "PairKind",
    "PairReason",
    "PairResult",
    "PairRules",
    "Passage",
    "RuleCode",
    "Side",
    "TradeOff",
    "TradeOffCode",
    "Unmatched",
    "UnmatchedReason",
]

Side = Literal["mentor", "mentee", "peer"]
SIDES: tuple[Side, ...] = ("mentor", "mentee", "peer")

PairKind = Literal["cross", "reverse", "tandem"]
PAIR_KINDS: tuple[PairKind, ...] = ("cross", "reverse", "tandem")

PairReason = Literal[
    "need_offer", "shared_topics", "other_organisation", "more_senior", "less_senior",
    "level_unknown", "locked", "kept", "entered",
]  # fmt: skip
PAIR_REASONS: tuple[PairReason, ...] = (
    "need_offer",  # PairResult.evidence: an offer of the mentor meets a goal of the mentee
    "shared_topics",  # PairResult.shared_topics is not empty
    "other_organisation",  # they work for different organisations (the cross rule held)
    "more_senior",  # the mentor's level is higher (cross rule held)
    "less_senior",  # the mentor's level is lower (reverse rule held)
    "level_unknown",  # a seniority rule applies to the kind, but a level is missing
    "locked",  # the coordinator locked this pair
    "kept",  # kept from the previous draft (rematch)
    "entered",  # the coordinator entered this pair (formed outside the assistant)
)

RuleCode = Literal["same_organisation", "seniority", "excluded", "no_capacity"]
RULE_CODES: tuple[RuleCode, ...] = (
    "same_organisation",  # cross: mentor and mentee work for the same organisation
    "seniority",  # cross: mentor not more senior; reverse: mentor not less senior
    "excluded",  # the coordinator excluded the pair
    "no_capacity",  # the mentor's capacity is 0
)

TradeOffCode = Literal["better_ruled_out", "better_full"]
TRADE_OFF_CODES: tuple[TradeOffCode, ...] = (
    "better_ruled_out",  # a better-scoring mentor was not allowed (TradeOff.rule says why)
    "better_full",  # a better-scoring allowed mentor's places went to other mentees
)

UnmatchedReason = Literal[
    "no_allowed_mentor", "places_taken", "no_capacity", "not_needed", "level_spread",
    "no_group_place",
]  # fmt: skip
UNMATCHED_REASONS: tuple[UnmatchedReason, ...] = (
    "no_allowed_mentor",  # mentee: every mentor is ruled out (numbers: mentors per rule)
    "places_taken",  # mentee: allowed mentors exist, their places went to others
    "no_capacity",  # mentor: capacity 0, takes nobody this round
    "not_needed",  # mentor: places left, no mentee was assigned
    "level_spread",  # peer: too few peers of a similar level to fill the smallest group
    "no_group_place",  # peer: the size and organisation limits left no place
)

BindingCode = Literal[
    "capacity", "other_organisation", "seniority", "exclusions", "level_spread",
    "organisation_limit", "group_size", "combined",
]  # fmt: skip
BINDING_CODES: tuple[BindingCode, ...] = (
    "capacity",  # fewer places than mentees (numbers: mentees, places)
    "other_organisation",  # the cross rule alone leaves ``matchable`` < mentees
    "seniority",  # the seniority rule alone leaves ``matchable`` < mentees
    "exclusions",  # the coordinator's exclusions alone leave ``matchable`` < mentees
    "level_spread",  # peers whose level has too few peers near it (numbers: peers, min_size)
    "organisation_limit",  # one organisation has more peers than the groups have places for it
    "group_size",  # the size bounds leave peers over
    "combined",  # no single rule explains it; only the rules together
)

GroupReason = Literal["shared_topics", "level_within", "organisation_limit", "locked", "kept"]
GROUP_REASONS: tuple[GroupReason, ...] = (
    "shared_topics",  # GroupResult.shared_topics is not empty
    "level_within",  # levels given differ by at most GroupRules.max_level_spread
    "organisation_limit",  # at most GroupRules.max_per_organisation of one organisation
    "locked",  # some members were locked into the group
    "kept",  # the group's id comes from the previous draft
)


@dataclass(frozen=True, eq=False)
class Passage:
    """One analysed text of a person: an entry, or one sentence of it.

    Attributes
    ----------
    entry_id : str
    vector : ndarray of shape (dimension,)
        Text embedding; scaled to unit length by the scorer.
    topics : ndarray of shape (n_topics,)
        Topic scores over the cohort's ``topic_ids``, without the "no topic" column.
    part : int, default=0
        Sentence index within the entry; 0 when the passage is the whole entry.
    """

    entry_id: str
    vector: NDArray[np.floating]
    topics: NDArray[np.floating]
    part: int = 0


@dataclass(frozen=True, eq=False)
class Candidate:
    """A consenting member of a programme, as matching sees them.

    Attributes
    ----------
    id : str
        Pseudonymous participant id; ties are broken by id order.
    side : {"mentor", "mentee", "peer"}
    organisation : str
    level : int or None
        Seniority, higher = more senior; None means "no seniority rule for this person".
    capacity : int or None
        Mentees a mentor takes; None means 1, 0 means none this round. Ignored for others.
    needs : tuple of Passage
        What the person seeks: goals (for peers, goals and reflections).
    offers : tuple of Passage
        What the person offers (mentors).
    """

    id: str
    side: Side
    organisation: str
    level: int | None = None
    capacity: int | None = None
    needs: tuple[Passage, ...] = ()
    offers: tuple[Passage, ...] = ()


@dataclass(frozen=True, eq=False)
class Cohort:
    """The people of one programme round and the topic ids their profiles are over."""

    topic_ids: tuple[str, ...]
    people: tuple[Candidate, ...]


@dataclass(frozen=True)
class PairRules:
    """The rules of a mentor-mentee programme (kinds ``cross``, ``reverse``, ``tandem``).

    Attributes
    ----------
    kind : {"cross", "reverse", "tandem"}
        ``cross``: other organisation and a more senior mentor (when both levels are given);
        ``reverse``: a less senior mentor (same); ``tandem``: only the coordinator's rules.
    locks : tuple of (mentee id, mentor id)
        Pairs the coordinator fixed; a lock that breaks a hard rule is an error.
    exclusions : tuple of (id, id)
        Pairs never formed (e.g. the own line manager); either order.
    previous : tuple of (mentee id, mentor id)
        A draft to stay close to: keeping its pairs ranks right after matching everyone.
    """

    kind: PairKind
    locks: tuple[tuple[str, str], ...] = ()
    exclusions: tuple[tuple[str, str], ...] = ()
    previous: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class GroupRules:
    """The rules of a peer-group programme (kind ``peer_group``).

    Attributes
    ----------
    size : (int, int), default=(5, 8)
        Smallest and largest group size, both hard.
    max_per_organisation : int, default=2
        At most this many people of one organisation per group (hard).
    max_level_spread : int, default=1
        Levels given within a group differ by at most this (hard).
    n_groups : int or None
        How many groups to form; None picks the count whose sizes are nearest the middle of
        ``size``.
    locks : tuple of (participant id, group id)
        Memberships the coordinator fixed (imported groups count as locked).
    exclusions : tuple of (participant id, group id)
        The person never joins that group; the group id must be locked or previous.
    apart : tuple of (id, id)
        Two people never in one group.
    previous : tuple of (participant id, group id)
        A draft to stay close to: its group ids are kept, memberships preferred.
    """

    size: tuple[int, int] = (5, 8)
    max_per_organisation: int = 2
    max_level_spread: int = 1
    n_groups: int | None = None
    locks: tuple[tuple[str, str], ...] = ()
    exclusions: tuple[tuple[str, str], ...] = ()
    apart: tuple[tuple[str, str], ...] = ()
    previous: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Evidence:
    """Which passage of the mentor's offers best meets which of the mentee's needs.

    Shown with its texts only to the two people involved; the coordinator sees the codes.
    """

    need_entry: str
    need_part: int
    offer_entry: str
    offer_part: int
    similarity: float


@dataclass(frozen=True)
class TradeOff:
    """A better-scoring mentor the mentee did not get, and why (coordinator view only)."""

    code: TradeOffCode
    mentor: str
    score: float
    rule: RuleCode | None = None


@dataclass(frozen=True)
class PairResult:
    """One mentee-mentor pair with its explanation.

    Attributes
    ----------
    score : float
        Need-offer score in [0, 1] (``assistant.matching.scoring``).
    shared_topics : tuple of str
        Topic ids strong in both the mentee's needs and the mentor's offers, best first.
    reasons : tuple of str
        Codes from ``PAIR_REASONS``: what the pair rests on and the rules that held.
    evidence : Evidence or None
        None when either side wrote nothing.
    trade_offs : tuple of TradeOff
        At most two: the best mentor overall and the best allowed one, when better than this.
    """

    mentee: str
    mentor: str
    score: float
    shared_topics: tuple[str, ...]
    reasons: tuple[PairReason, ...]
    evidence: Evidence | None
    trade_offs: tuple[TradeOff, ...] = ()


@dataclass(frozen=True)
class Unmatched:
    """A person left without partner or group, with a reason code and its numbers."""

    participant: str
    side: Side
    reason: UnmatchedReason
    numbers: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Binding:
    """A rule that limits how many can be matched, with the numbers that show it."""

    code: BindingCode
    numbers: Mapping[str, int]


@dataclass(frozen=True)
class Objective:
    """The solver's objective and, where the solver reports one, its relative optimality gap."""

    value: float
    gap: float | None
    solver: str


@dataclass(frozen=True)
class MatchResult:
    """A full or partial set of pairs; unmatched people are a normal outcome, not an error.

    ``binding`` is empty when every mentee has a mentor; otherwise its first item is the rule
    that binds hardest (fewest ``matchable``).
    """

    kind: PairKind
    pairs: tuple[PairResult, ...]
    unmatched: tuple[Unmatched, ...]
    objective: Objective
    binding: tuple[Binding, ...]

    def partner_of(self, mentee: str) -> str | None:
        """Return the mentee's mentor, None when unmatched or unknown."""
        return next((p.mentor for p in self.pairs if p.mentee == mentee), None)


@dataclass(frozen=True)
class GroupResult:
    """One peer group with its explanation.

    Attributes
    ----------
    score : float
        Mean pairwise similarity of the members' profiles (topic profile and text).
    shared_topics : tuple of str
        Topic ids among the strong topics of at least half the members, most shared first.
    level_range : (int, int) or None
        Lowest and highest level given; None when no member has one.
    """

    id: str
    members: tuple[str, ...]
    score: float
    shared_topics: tuple[str, ...]
    organisations: tuple[str, ...]
    level_range: tuple[int, int] | None
    reasons: tuple[GroupReason, ...]


@dataclass(frozen=True)
class GroupingResult:
    """Peer groups, the people left over with reasons, and the binding rules when any."""

    groups: tuple[GroupResult, ...]
    unassigned: tuple[Unmatched, ...]
    objective: Objective
    binding: tuple[Binding, ...]

    def group_of(self, participant: str) -> str | None:
        """Return the id of the participant's group, None when unassigned or unknown."""
        return next((g.id for g in self.groups if participant in g.members), None)
