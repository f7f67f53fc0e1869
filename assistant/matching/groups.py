"""Peer groups (programme kind ``peer_group``): form_groups and each group's explanation.

Peers are grouped by shared challenges: the similarity of two peers is the inner product of
their unit rows (topic profile and mean text of their goals and reflections,
``scoring.peer_rows``). ``group_solver`` forms the groups under the hard rules; this module
checks the input, names the groups and explains them in codes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from assistant.matching.group_solver import GroupProblem, peers_near_level, solve_groups
from assistant.matching.model import (
    Binding,
    BindingCode,
    Candidate,
    Cohort,
    GroupingResult,
    GroupReason,
    GroupResult,
    GroupRules,
    Objective,
    Unmatched,
)
from assistant.matching.scoring import peak, peer_rows, strong_topics
from assistant.matching.validate import prepare_groups

__all__ = ["GROUP_SOLVER", "default_n_groups", "form_groups", "group_score"]

GROUP_SOLVER = "scipy.optimize.milp (HiGHS), constrained k-means"


def form_groups(cohort: Cohort, rules: GroupRules | None = None) -> GroupingResult:
    """Split a peer cohort into groups of similar challenges, every group explained.

    Parameters
    ----------
    cohort : Cohort
        Consenting peers (side ``"peer"``) with their goals and reflections as ``needs``.
    rules : GroupRules, optional
        Size bounds (default 5 to 8), at most 2 of one organisation, levels at most 1 apart,
        locks, exclusions, "apart" pairs and an optional previous draft.

    Returns
    -------
    GroupingResult
        Groups sorted by id. Kept ids come from locks and the previous draft; new groups are
        numbered ``G01``, ``G02`` ... in the order of their first member's id, skipping kept
        ids. Peers that the rules leave over are listed with reasons and the binding rules.

    Raises
    ------
    MatchingError
        Bad input: no peers, fewer peers than the smallest group, a size range that cannot
        be filled, a bad level, an unknown person or group, a lock that breaks a rule.
    """
    rules = rules or GroupRules()
    prepared = prepare_groups(cohort, rules)
    peers = prepared.peers
    n_topics = len(cohort.topic_ids)
    rows = peer_rows(peers, n_topics)
    low, high = rules.size
    _, organisations = np.unique([p.organisation for p in peers], return_inverse=True)
    problem = GroupProblem(
        rows=rows,
        levels=np.array([np.nan if p.level is None else float(p.level) for p in peers]),
        organisations=organisations.astype(np.intp),
        low=low,
        high=high,
        max_per_org=rules.max_per_organisation,
        spread=rules.max_level_spread,
        n_groups=rules.n_groups or default_n_groups(len(peers), low, high),
        locks=dict(prepared.locks),
        exclusions=prepared.exclusions,
        apart=prepared.apart,
        previous=dict(prepared.previous),
    )
    solution = solve_groups(problem)
    taken = {key for key, _ in solution.groups if key is not None}
    fresh = iter(f"G{k:02d}" for k in range(1, 10 * len(peers) + 2) if f"G{k:02d}" not in taken)
    named = sorted(solution.groups, key=lambda g: (g[0] is None, min(g[1])))
    locked = {i for i, _ in prepared.locks}
    groups = []
    for key, members in named:
        group_id = key if key is not None else next(fresh)
        groups.append(_explain_group(group_id, key is not None, members, peers, rows, locked,
                                     cohort.topic_ids, rules))  # fmt: skip
    placed = {i for _, members in solution.groups for i in members}
    near = peers_near_level(problem)
    unassigned = tuple(
        _unassigned(i, peers, problem, int(near[i]), len(groups))
        for i in range(len(peers))
        if i not in placed
    )
    return GroupingResult(
        groups=tuple(sorted(groups, key=lambda g: g.id)),
        unassigned=unassigned,
        objective=Objective(round(solution.objective, 6), solution.gap, GROUP_SOLVER),
        binding=_bindings(problem, unassigned, len(groups)),
    )


def default_n_groups(n: int, low: int, high: int) -> int:
    """Return the number of groups whose sizes come nearest the middle of ``low``-``high``."""
    fewest, most = math.ceil(n / high), n // low
    return min(max(round(2 * n / (low + high)), fewest), most)


def group_score(rows: NDArray[np.float64], members: Sequence[int]) -> float:
    """Return the mean pairwise inner product of the members' rows (0 for fewer than two)."""
    k = len(members)
    if k < 2:
        return 0.0
    block = rows[list(members)]
    total = float(np.sum(block.sum(axis=0) ** 2) - np.sum(block**2))
    return total / (k * (k - 1))


def _explain_group(
    group_id: str,
    kept: bool,
    members: list[int],
    peers: Sequence[Candidate],
    rows: NDArray[np.float64],
    locked: set[int],
    topic_ids: Sequence[str],
    rules: GroupRules,
) -> GroupResult:
    """Return one group with its shared topics, organisations, levels and reason codes."""
    counts: dict[int, int] = {}
    totals: dict[int, float] = {}
    for i in members:
        scores = peak(peers[i].needs, len(topic_ids))  # a topic raised in one text counts
        if scores is None:
            continue
        for t in strong_topics(scores):
            counts[t] = counts.get(t, 0) + 1
            totals[t] = totals.get(t, 0.0) + float(scores[t])
    needed = max(2, math.ceil(len(members) / 2))
    shared = tuple(
        topic_ids[t]
        for t in sorted(counts, key=lambda t: (-counts[t], -totals[t], t))
        if counts[t] >= needed
    )
    levels = [level for i in members if (level := peers[i].level) is not None]
    reasons: list[GroupReason] = []
    if shared:
        reasons.append("shared_topics")
    if levels:
        reasons.append("level_within")
    reasons.append("organisation_limit")
    if locked & set(members):
        reasons.append("locked")
    if kept:
        reasons.append("kept")
    return GroupResult(
        id=group_id,
        members=tuple(peers[i].id for i in members),
        score=round(group_score(rows, members), 6),
        shared_topics=shared,
        organisations=tuple(sorted({peers[i].organisation for i in members})),
        level_range=(min(levels), max(levels)) if levels else None,
        reasons=tuple(reasons),
    )


def _unassigned(
    i: int, peers: Sequence[Candidate], problem: GroupProblem, near: int, n_groups: int
) -> Unmatched:
    """Return why peer ``i`` has no group; ``near``: peers one level band around it can hold."""
    if near < problem.low:
        numbers = {"peers_near_level": near, "min_size": problem.low}
        return Unmatched(peers[i].id, "peer", "level_spread", numbers)
    numbers = {"groups": n_groups, "min_size": problem.low, "max_size": problem.high}
    return Unmatched(peers[i].id, "peer", "no_group_place", numbers)


def _bindings(
    problem: GroupProblem, unassigned: Sequence[Unmatched], n_groups: int
) -> tuple[Binding, ...]:
    """Return the rules that leave peers without a group; empty when all have one."""
    if not unassigned:
        return ()
    n = len(problem.rows)
    found = []
    isolated = sum(u.reason == "level_spread" for u in unassigned)
    if isolated:
        found.append(Binding("level_spread", {"peers": isolated, "min_size": problem.low}))
    counts = np.bincount(problem.organisations)
    places = problem.max_per_org * max(n_groups, 1)
    if counts.max() > places:
        numbers = {"peers_of_organisation": int(counts.max()), "places": places}
        found.append(Binding("organisation_limit", numbers))
    if not found:
        numbers = {"peers": n, "assigned": n - len(unassigned), "min_size": problem.low,
                   "max_size": problem.high}  # fmt: skip
        # Fewer left over than the smallest group: the size bounds are what binds.
        code: BindingCode = "group_size" if len(unassigned) < problem.low else "combined"
        found.append(Binding(code, numbers))
    return tuple(found)
