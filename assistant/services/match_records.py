"""Stored matching rows to and from the matching results (codes, topic ids, entry ids; no text)."""

from __future__ import annotations

from assistant.matching import (
    Binding,
    Evidence,
    GroupingResult,
    GroupResult,
    MatchResult,
    Objective,
    PairResult,
    TradeOff,
    Unmatched,
)
from assistant.storage.records import StoredMatchItem, StoredMatchRun

__all__ = [
    "grouping_result",
    "match_result",
    "stored_groups",
    "stored_pair",
    "stored_pairs",
]


def stored_pairs(result: MatchResult, status: str) -> StoredMatchRun:
    """Return the rows of a pairs result (trade-offs name other mentors: drafts only)."""
    items = [stored_pair(p) for p in result.pairs]
    items += [_stored_unmatched(u) for u in result.unmatched]
    return _run("pairs", status, result.objective, result.binding, items)


def stored_pair(pair: PairResult) -> StoredMatchItem:
    """Return the row of one pair (its trade-offs too: ``publish_pairs`` drops them)."""
    return StoredMatchItem(
        "pair",
        pair.mentee,
        pair.mentor,
        score=pair.score,
        detail={
            "shared_topics": list(pair.shared_topics),
            "reasons": list(pair.reasons),
            "evidence": pair.evidence.__dict__ if pair.evidence else None,
            "trade_offs": [t.__dict__ for t in pair.trade_offs],
        },
    )


def stored_groups(
    result: GroupingResult, status: str, size: tuple[int, int] | None = None
) -> StoredMatchRun:
    """Return the rows of a grouping result (and the size bounds it was computed with)."""
    items: list[StoredMatchItem] = []
    if size is not None:
        items.append(StoredMatchItem("settings", detail={"size": list(size)}))
    for g in result.groups:
        items.append(
            StoredMatchItem(
                "group",
                group=g.id,
                score=g.score,
                detail={
                    "shared_topics": list(g.shared_topics),
                    "organisations": list(g.organisations),
                    "level_range": list(g.level_range) if g.level_range else None,
                    "reasons": list(g.reasons),
                },
            )
        )
        items += [StoredMatchItem("member", m, group=g.id) for m in g.members]
    items += [_stored_unmatched(u) for u in result.unassigned]
    return _run("groups", status, result.objective, result.binding, items)


def _stored_unmatched(u: Unmatched) -> StoredMatchItem:
    return StoredMatchItem(
        "unmatched",
        u.participant,
        detail={"side": u.side, "reason": u.reason, "numbers": dict(u.numbers)},
    )


def _run(
    mode: str,
    status: str,
    objective: Objective,
    binding: tuple[Binding, ...],
    items: list[StoredMatchItem],
) -> StoredMatchRun:
    return StoredMatchRun(
        mode=mode,
        status=status,
        objective=objective.value,
        gap=objective.gap,
        solver=objective.solver,
        binding=tuple({"code": b.code, "numbers": dict(b.numbers)} for b in binding),
        items=tuple(items),
    )


def _unmatched(items: tuple[StoredMatchItem, ...]) -> tuple[Unmatched, ...]:
    return tuple(
        Unmatched(str(i.participant), i.detail["side"], i.detail["reason"], i.detail["numbers"])
        for i in items
        if i.item == "unmatched"
    )


def _objective(run: StoredMatchRun) -> tuple[Objective, tuple[Binding, ...]]:
    return (
        Objective(run.objective, run.gap, run.solver),
        tuple(Binding(b["code"], b["numbers"]) for b in run.binding),
    )


def match_result(kind: str, run: StoredMatchRun) -> MatchResult:
    """Return the pairs result that ``run`` stores."""
    pairs = []
    for i in run.items:
        if i.item != "pair":
            continue
        evidence = i.detail.get("evidence")
        pairs.append(
            PairResult(
                mentee=str(i.participant),
                mentor=str(i.partner),
                score=float(i.score or 0.0),
                shared_topics=tuple(i.detail.get("shared_topics", ())),
                reasons=tuple(i.detail.get("reasons", ())),
                evidence=Evidence(**evidence) if evidence else None,
                trade_offs=tuple(TradeOff(**t) for t in i.detail.get("trade_offs", ())),
            )
        )
    objective, binding = _objective(run)
    return MatchResult(kind, tuple(pairs), _unmatched(run.items), objective, binding)  # type: ignore[arg-type]


def grouping_result(run: StoredMatchRun) -> GroupingResult:
    """Return the grouping result that ``run`` stores."""
    members: dict[str, list[str]] = {}
    for i in run.items:
        if i.item == "member" and i.group and i.participant:
            members.setdefault(i.group, []).append(i.participant)
    groups = []
    for i in run.items:
        if i.item != "group" or not i.group:
            continue
        span = i.detail.get("level_range")
        groups.append(
            GroupResult(
                id=i.group,
                members=tuple(members.get(i.group, ())),
                score=float(i.score or 0.0),
                shared_topics=tuple(i.detail.get("shared_topics", ())),
                organisations=tuple(i.detail.get("organisations", ())),
                level_range=(int(span[0]), int(span[1])) if span else None,
                reasons=tuple(i.detail.get("reasons", ())),
            )
        )
    objective, binding = _objective(run)
    return GroupingResult(tuple(groups), _unmatched(run.items), objective, binding)
