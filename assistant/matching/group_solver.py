"""The peer-group solver: size-constrained k-means whose assignment step is a HiGHS MILP.

Maximising the members' similarity to their group's centre is, for unit rows, the same as
maximising the mean pairwise similarity within groups (the k-means identity); with hard size
bounds this is *constrained k-means* (Bradley, Bennett and Demiriz, 2000), whose assignment
step is an integer programme. Each round solves that step exactly with scipy's ``milp``
(HiGHS branch and cut), then moves each centre to its members' mean, until nothing changes or
``MAX_ROUNDS`` rounds are done. The hard rules are constraints of every step:

- group size between ``low`` and ``high`` for every opened group (``y_g`` opens group ``g``);
- at most ``max_per_org`` members of one organisation per group;
- levels within one band ``[s, s + spread]`` per group (each candidate group has its band);
- locks (variables fixed to 1), exclusions and "apart" pairs.

Most peers placed comes first: the first round asks for every peer whose level has enough
peers near it, in ``n_groups`` groups; when the rules do not allow that, a count step finds the
most peers that can be placed (then the fewest groups for them), and every later step keeps
that count. The centres start from k-means++ seeds (fixed seed) moved by a few plain k-means
steps. No time limit and no other randomness: the same cohort gives the same groups. Above
``DENSE_LIMIT`` (peer, group) pairs a peer is offered only its ``TOP_GROUPS`` nearest candidate
groups (and its locked or previous one), which keeps 600 peers within seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from assistant.errors import MatchingError

if TYPE_CHECKING:  # scipy loads with the first solve: commands that read no draft skip it
    from scipy.optimize import LinearConstraint

__all__ = [
    "DENSE_LIMIT",
    "MAX_ROUNDS",
    "TOP_GROUPS",
    "GroupProblem",
    "Solution",
    "peers_near_level",
    "solve_groups",
]

MAX_ROUNDS = 6
DENSE_LIMIT = 20_000
TOP_GROUPS = 16
WARM_UP_STEPS = 10
KEEP_BONUS = 1.0  # a kept previous membership outweighs any one move's gain (cosines <= 1)
_SEED = 0


@dataclass(frozen=True)
class GroupProblem:
    """A checked peer cohort in indices: the solver's whole input."""

    rows: NDArray[np.float64]  # (n, D) unit profile rows, zero for a peer without texts
    levels: NDArray[np.float64]  # (n,), NaN = not given
    organisations: NDArray[np.intp]  # (n,) organisation codes
    low: int
    high: int
    max_per_org: int
    spread: int
    n_groups: int
    locks: dict[int, str] = field(default_factory=dict)
    exclusions: frozenset[tuple[int, str]] = frozenset()
    apart: frozenset[tuple[int, int]] = frozenset()
    previous: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Solution:
    """Groups as member index lists (with a kept id or None), the objective, the MILP gap."""

    groups: list[tuple[str | None, list[int]]]
    objective: float
    gap: float | None
    rounds: int


@dataclass
class _Slot:
    """A candidate group: a kept id or None, its lowest allowed level (None: any), its centre."""

    key: str | None
    band: float | None
    centre: NDArray[np.float64]


def solve_groups(problem: GroupProblem) -> Solution:
    """Form groups under the hard rules, maximising similarity to the group centres."""
    slots = _slots(problem)
    compatible = _compatible(problem, slots)
    _warm_up(problem, slots, compatible)
    assignment: NDArray[np.intp] | None = None
    # First try: everyone whose level has enough peers near it placed, in n_groups groups.
    count = int((peers_near_level(problem) >= problem.low).sum())
    cap = problem.n_groups
    objective, gap, rounds = 0.0, None, 0
    for rounds in range(1, MAX_ROUNDS + 1):  # noqa: B007 (rounds is reported)
        centres = np.stack([_unit(s.centre) for s in slots])
        sims = problem.rows @ centres.T
        pairs = _candidate_pairs(problem, slots, compatible, sims)
        step = _solve(problem, slots, pairs, sims, count_stage=False, count=count, cap=cap)
        if step is None and assignment is None:
            # Organisations, exclusions or locks leave more over: find how many can be placed.
            first = _solve(problem, slots, pairs, sims, count_stage=True, count=0, cap=len(slots))
            if first is None:  # only locks can make it infeasible: nobody placed is feasible
                raise MatchingError(
                    "The locked groups cannot reach the smallest group size under the rules "
                    "(level band, organisations, exclusions); lock fewer or other people.",
                    "bad_lock",
                )
            placed = first[0] >= 0
            opened = np.isin(np.arange(len(slots)), first[0][placed])
            count = int(placed.sum())
            cap = max(problem.n_groups, int(opened.sum()))
            # This round places the peers and opens the groups the count stage chose; choosing
            # them again under the similarity objective took 40 s of HiGHS's root node for 600
            # peers, 40% of one organisation (0.3 s with them fixed). Later rounds choose freely,
            # keeping the count.
            step = _solve(problem, slots, pairs, sims, count_stage=False, count=count, cap=cap,
                          must_place=placed, must_open=opened)  # fmt: skip
        if step is None:  # the narrowed pairs of a later round lost feasibility: keep the last
            break
        new, new_objective, new_gap = step
        if assignment is not None and np.array_equal(new, assignment):
            break
        assignment, objective, gap = new, new_objective, new_gap
        for g, slot in enumerate(slots):
            rows_of_group = np.flatnonzero(assignment == g)
            if len(rows_of_group):
                slot.centre = problem.rows[rows_of_group].mean(axis=0)
    groups: list[tuple[str | None, list[int]]] = []
    if assignment is not None:
        for g, slot in enumerate(slots):
            members = [int(i) for i in np.flatnonzero(assignment == g)]
            if members:
                groups.append((slot.key, members))
    return Solution(groups, objective, gap, rounds)


def peers_near_level(problem: GroupProblem) -> NDArray[np.intp]:
    """Return, per peer, the most peers (self included) that one level band around it holds."""
    levels = problem.levels
    missing = np.isnan(levels)
    out = np.full(len(levels), len(levels), dtype=np.intp)
    for i in np.flatnonzero(~missing):
        best = 0
        for start in np.arange(levels[i] - problem.spread, levels[i] + 1):
            best = max(
                best,
                int((missing | ((levels >= start) & (levels <= start + problem.spread))).sum()),
            )
        out[i] = best
    return out


def _warm_up(problem: GroupProblem, slots: list[_Slot], compatible: NDArray[np.bool_]) -> None:
    """Move the new groups' seed centres by plain k-means steps (no size or organisation rules).

    Good first centres make the first MILP as quick as the later ones (from a minute to seconds
    for 600 peers); kept groups keep their centres.
    """
    fresh = np.array([s.key is None for s in slots], dtype=bool)
    if not fresh.any():
        return
    for _ in range(WARM_UP_STEPS):
        centres = np.stack([_unit(s.centre) for s in slots])
        sims = np.where(compatible & fresh[None, :], problem.rows @ centres.T, -np.inf)
        nearest = np.argmax(sims, axis=1)
        reachable = np.isfinite(sims[np.arange(len(nearest)), nearest])
        for g in np.flatnonzero(fresh):
            members = np.flatnonzero(reachable & (nearest == g))
            if len(members):
                slots[g].centre = problem.rows[members].mean(axis=0)


def _slots(problem: GroupProblem) -> list[_Slot]:
    """Return candidate groups: kept ids first (locked or previous), then new ones per band."""
    slots = []
    keyed: dict[str, list[int]] = {}
    for i, key in sorted(problem.previous.items()):
        keyed.setdefault(key, []).append(i)
    for i, key in sorted(problem.locks.items()):
        keyed.setdefault(key, []).append(i)
    bands = _bands(problem)
    for key in sorted(keyed):
        locked = [i for i, k in problem.locks.items() if k == key]
        members = sorted(set(keyed[key]))
        slots.append(
            _Slot(key, _band_for(problem, locked, members, bands), _mean(problem, members))
        )
    # New groups per band in proportion to the peers it can hold, plus one spare: choosing
    # which of many near-equal candidate groups to open made the first MILP ten times slower.
    rng = np.random.default_rng(_SEED)
    eligible = [np.flatnonzero(_in_band(problem.levels, b, problem.spread)) for b in bands]
    total = sum(len(e) for e in eligible)
    for band, in_band in zip(bands, eligible, strict=True):
        share = math.ceil(problem.n_groups * len(in_band) / total) + 1
        wanted = min(len(in_band) // problem.low, share)
        for centre in _seed_centres(problem.rows[in_band], wanted, rng):
            slots.append(_Slot(None, band, centre))
    return slots


def _bands(problem: GroupProblem) -> list[float | None]:
    """Return the level bands' lowest levels, leaving out bands inside another band."""
    given = np.unique(problem.levels[~np.isnan(problem.levels)])
    if not len(given):
        return [None]
    sets = {float(s): frozenset(given[(given >= s) & (given <= s + problem.spread)]) for s in given}
    return [s for s, members in sets.items() if not any(members < other for other in sets.values())]


def _band_for(
    problem: GroupProblem, locked: list[int], members: list[int], bands: list[float | None]
) -> float | None:
    """Return a kept group's band: from its locked levels, else the band most members fit."""
    locked_levels = problem.levels[locked][~np.isnan(problem.levels[locked])]
    if len(locked_levels):
        return float(locked_levels.min())
    if bands == [None]:
        return None
    fits = [int(_in_band(problem.levels[members], b, problem.spread).sum()) for b in bands]
    return bands[int(np.argmax(fits))]


def _in_band(levels: NDArray[np.float64], band: float | None, spread: int) -> NDArray[np.bool_]:
    """Return which levels may join a group of ``band`` (a missing level joins any)."""
    if band is None:
        return np.ones(len(levels), dtype=bool)
    return np.asarray(np.isnan(levels) | ((levels >= band) & (levels <= band + spread)))


def _compatible(problem: GroupProblem, slots: list[_Slot]) -> NDArray[np.bool_]:
    """Return (n, n_slots): which peer may join which candidate group under the hard rules."""
    n = len(problem.rows)
    ok = np.stack([_in_band(problem.levels, s.band, problem.spread) for s in slots], axis=1)
    key_at = {s.key: g for g, s in enumerate(slots) if s.key is not None}
    for i, key in problem.exclusions:
        ok[i, key_at[key]] = False
    for i, key in problem.locks.items():
        ok[i] = False
        ok[i, key_at[key]] = True
    return ok.reshape(n, len(slots))


def _candidate_pairs(
    problem: GroupProblem,
    slots: list[_Slot],
    compatible: NDArray[np.bool_],
    sims: NDArray[np.float64],
) -> NDArray[np.intp]:
    """Return the (peer, slot) pairs that get a variable, shape (k, 2), sorted."""
    allowed = compatible.copy()
    if int(allowed.sum()) > DENSE_LIMIT:
        masked = np.where(allowed, sims, -np.inf)
        top = np.argsort(-masked, axis=1, kind="stable")[:, :TOP_GROUPS]
        keep = np.zeros_like(allowed)
        np.put_along_axis(keep, top, True, axis=1)
        key_at = {s.key: g for g, s in enumerate(slots) if s.key is not None}
        for i, key in problem.previous.items():
            keep[i, key_at[key]] = True
        allowed &= keep
    return np.argwhere(allowed)


class _Rows:
    """Sparse constraint rows ``lower <= A @ v <= upper`` for ``milp``, added block by block."""

    def __init__(self, n_vars: int) -> None:
        self.n_vars, self.n_rows = n_vars, 0
        self.parts: list[tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]] = []
        self.lower: list[NDArray[np.float64]] = []
        self.upper: list[NDArray[np.float64]] = []

    def add(
        self,
        row: NDArray[np.intp],
        col: NDArray[np.intp],
        value: NDArray[np.float64] | float,
        bounds: tuple[float | NDArray[np.float64], float | NDArray[np.float64]],
    ) -> None:
        """Add rows ``0..max(row)`` (numbered within the block); bounds per row or for all."""
        n_new = int(row.max()) + 1 if len(row) else 0
        coefficients = np.broadcast_to(np.asarray(value, dtype=np.float64), row.shape)
        self.parts.append((self.n_rows + row, col, coefficients))
        for out, bound in ((self.lower, bounds[0]), (self.upper, bounds[1])):
            given = np.asarray(bound, dtype=np.float64)
            out.append(np.full(n_new, float(given)) if given.ndim == 0 else given[:n_new].copy())
        self.n_rows += n_new

    def constraint(self) -> LinearConstraint:
        """Return all rows as one ``LinearConstraint``."""
        from scipy.optimize import LinearConstraint
        from scipy.sparse import coo_matrix

        row, col, value = (np.concatenate(part) for part in zip(*self.parts, strict=True))
        matrix = coo_matrix((value, (row, col)), shape=(self.n_rows, self.n_vars)).tocsr()
        return LinearConstraint(matrix, np.concatenate(self.lower), np.concatenate(self.upper))


def _solve(
    problem: GroupProblem,
    slots: list[_Slot],
    pairs: NDArray[np.intp],
    sims: NDArray[np.float64],
    *,
    count_stage: bool,
    count: int,
    cap: int,
    must_place: NDArray[np.bool_] | None = None,
    must_open: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.intp], float, float | None] | None:
    """Solve one assignment step; None when infeasible. Returns (group per peer, value, gap).

    Variables: ``x`` per (peer, slot) pair, then ``y`` per slot (the group is opened).
    """
    n, n_slots, k = len(problem.rows), len(slots), len(pairs)
    peer, slot = pairs[:, 0], pairs[:, 1]
    x, y = np.arange(k), k + np.arange(n_slots)
    rows = _Rows(k + n_slots)
    # At most one group per peer; exactly one for those ``must_place`` names.
    placed_low = 0.0 if must_place is None else must_place.astype(np.float64)
    rows.add(peer, x, 1.0, (placed_low, 1.0))
    member_or_open = np.r_[slot, np.arange(n_slots)], np.r_[x, y]
    rows.add(*member_or_open, np.r_[np.ones(k), np.full(n_slots, -problem.low)], (0, np.inf))
    rows.add(*member_or_open, np.r_[np.ones(k), np.full(n_slots, -problem.high)], (-np.inf, 0))
    org_key = slot * (int(problem.organisations.max()) + 1) + problem.organisations[peer]
    _, inverse, counts = np.unique(org_key, return_inverse=True, return_counts=True)
    crowded = counts[inverse] > problem.max_per_org  # only (group, organisation) that could
    if crowded.any():
        _, row_of = np.unique(inverse[crowded], return_inverse=True)
        rows.add(row_of, x[crowded], 1.0, (0.0, problem.max_per_org))
    at = {(int(p), int(s)): j for j, (p, s) in enumerate(pairs)}
    conflicts = [
        (at[a, s], at[b, s])
        for a, b in sorted(problem.apart)
        for s in range(n_slots)
        if (a, s) in at and (b, s) in at
    ]
    if conflicts:
        rows.add(np.repeat(np.arange(len(conflicts)), 2), np.ravel(conflicts), 1.0, (0.0, 1.0))
    rows.add(np.zeros(n_slots, dtype=np.intp), y, 1.0, (0.0, cap))  # at most cap groups
    if not count_stage:
        rows.add(np.zeros(k, dtype=np.intp), x, 1.0, (count, np.inf))  # keep the count
    lb, ub = np.zeros(k + n_slots), np.ones(k + n_slots)
    if must_open is not None:  # exactly these groups open
        lb[y] = ub[y] = must_open.astype(np.float64)
    lb[x[_member_of(problem.locks, slots, pairs)]] = 1.0  # locked members (open their group)
    if count_stage:  # most peers placed, then fewest groups
        c = np.r_[np.full(k, -(n_slots + 1.0)), np.ones(n_slots)]
        options = {"disp": False, "mip_rel_gap": 1e-9}
    else:
        weight = sims[peer, slot] + KEEP_BONUS * _member_of(problem.previous, slots, pairs)
        c = np.r_[-weight, np.zeros(n_slots)]
        options = {"disp": False}
    from scipy.optimize import Bounds, milp

    result = milp(
        c,
        integrality=np.ones(k + n_slots),
        bounds=Bounds(lb, ub),
        constraints=rows.constraint(),
        options=options,
    )
    if result.x is None:
        return None
    chosen = np.round(result.x[:k]).astype(bool)
    assignment = np.full(n, -1, dtype=np.intp)
    assignment[peer[chosen]] = slot[chosen]
    value = float(sims[peer[chosen], slot[chosen]].sum())
    gap = getattr(result, "mip_gap", None)
    return assignment, value, None if gap is None else float(gap)


def _member_of(
    memberships: dict[int, str], slots: list[_Slot], pairs: NDArray[np.intp]
) -> NDArray[np.bool_]:
    """Return which (peer, slot) pairs are a membership of ``memberships`` (kept ids only)."""
    return np.array(
        [slots[s].key is not None and memberships.get(int(p)) == slots[s].key for p, s in pairs],
        dtype=bool,
    )


def _seed_centres(
    rows: NDArray[np.float64], k: int, rng: np.random.Generator
) -> list[NDArray[np.float64]]:
    """Return ``k`` first centres by k-means++ seeding (cosine distance) with a fixed seed."""
    if k <= 0 or not len(rows):
        return []
    chosen = [int(rng.integers(len(rows)))]
    nearest = 1.0 - rows @ rows[chosen[0]]
    for _ in range(1, k):
        weights = np.clip(nearest, 0.0, None) ** 2
        total = float(weights.sum())
        pick = (
            int(rng.choice(len(rows), p=weights / total)) if total > 0 else len(chosen) % len(rows)
        )
        chosen.append(pick)
        nearest = np.minimum(nearest, 1.0 - rows @ rows[pick])
    return [rows[i].copy() for i in chosen]


def _mean(problem: GroupProblem, members: list[int]) -> NDArray[np.float64]:
    """Return the mean row of ``members``."""
    return np.asarray(problem.rows[members].mean(axis=0), dtype=np.float64)


def _unit(row: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return ``row`` scaled to unit length (a zero row stays zero)."""
    norm = float(np.linalg.norm(row))
    return row / norm if norm > 0 else row
