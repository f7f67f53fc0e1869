"""Peer groups: size, organisation and level rules, locks, bad input, determinism."""

from __future__ import annotations

import random

import numpy as np
import pytest

from assistant.errors import MatchingError
from assistant.matching import (
    Candidate,
    Cohort,
    GroupingResult,
    GroupRules,
    Passage,
    default_n_groups,
    form_groups,
)
from assistant.texts import match_binding, match_group_lines, match_unmatched

TOPICS = ("leadership", "digital", "conflict", "networking")
DIM = 8


def peer(pid, org, level=None, topic="leadership", noise=0.0, seed=0) -> Candidate:
    k = TOPICS.index(topic)
    scores = np.full(len(TOPICS), 0.02)
    scores[k] = 0.6
    vector = np.eye(DIM)[k] + noise * np.random.default_rng(seed).standard_normal(DIM)
    return Candidate(pid, "peer", org, level, needs=(Passage(f"{pid}-g", vector, scores),))


def cohort(people) -> Cohort:
    return Cohort(TOPICS, tuple(people))


def random_peers(seed: int, n: int = 40, n_orgs: int = 9, levels=(1, 2, 3, 4)) -> list[Candidate]:
    rng = np.random.default_rng(seed)
    return [
        peer(
            f"p{i:02d}",
            f"org{rng.integers(n_orgs)}",
            None if rng.random() < 0.15 else int(rng.choice(levels)),
            TOPICS[int(rng.integers(len(TOPICS)))],
            noise=0.3,
            seed=seed * 1000 + i,
        )
        for i in range(n)
    ]


def assert_group_rules(result: GroupingResult, people, rules: GroupRules) -> None:
    by_id = {p.id: p for p in people}
    seen: set[str] = set()
    low, high = rules.size
    for group in result.groups:
        assert low <= len(group.members) <= high
        orgs = [by_id[m].organisation for m in group.members]
        assert max(orgs.count(o) for o in orgs) <= rules.max_per_organisation
        levels = [by_id[m].level for m in group.members if by_id[m].level is not None]
        if levels:
            assert max(levels) - min(levels) <= rules.max_level_spread
        assert not seen & set(group.members)
        seen |= set(group.members)
        for a, b in rules.apart:
            assert not {a, b} <= set(group.members)
    for person, group_id in rules.locks:
        assert result.group_of(person) == group_id
    for person, group_id in rules.exclusions:
        assert result.group_of(person) != group_id
    assert seen | {u.participant for u in result.unassigned} == set(by_id)
    for left in result.unassigned:
        assert match_unmatched(left.reason, left.numbers)
    for binding in result.binding:
        assert match_binding(binding.code, binding.numbers)


@pytest.mark.parametrize("seed", range(5))
def test_form_groups_never_breaks_a_hard_rule(seed):
    people = random_peers(seed)
    rng = random.Random(seed)
    apart = tuple((f"p{rng.randrange(40):02d}", f"p{rng.randrange(40):02d}") for _ in range(5))
    rules = GroupRules(apart=apart)
    result = form_groups(cohort(people), rules)
    assert_group_rules(result, people, rules)
    assert not result.unassigned  # 40 peers, 9 organisations, 4 levels: everyone fits


def test_form_groups_finds_the_topic_clusters():
    people = [
        peer(f"{t[:3]}{i}", f"org{i}", None, t, noise=0.2, seed=10 * k + i)
        for k, t in enumerate(TOPICS[:3])
        for i in range(6)
    ]
    result = form_groups(cohort(people))
    assert len(result.groups) == default_n_groups(18, 5, 8) == 3
    for group in result.groups:
        assert len({m[:3] for m in group.members}) == 1
        assert len(group.shared_topics) == 1
        assert "shared_topics" in group.reasons
    assert result.objective.gap is not None and result.objective.gap <= 1e-4


def test_form_groups_at_most_two_of_one_organisation_even_if_they_are_alike():
    people = [peer(f"a{i}", "A", None, "leadership") for i in range(4)]
    people += [peer(f"b{i}", f"org{i}", None, "digital") for i in range(6)]
    result = form_groups(cohort(people), GroupRules(size=(5, 5)))
    for group in result.groups:
        assert sum(m.startswith("a") for m in group.members) == 2


def test_form_groups_keeps_levels_within_one():
    people = [
        peer(f"l{lv}{i}", f"o{lv}{i}", lv, "leadership") for lv in (1, 2, 3) for i in range(5)
    ]
    result = form_groups(cohort(people), GroupRules(size=(5, 5)))
    assert_group_rules(result, people, GroupRules(size=(5, 5)))
    assert all(g.level_range is not None for g in result.groups)


def test_form_groups_leaves_isolated_levels_over_with_reason_and_binding():
    people = [peer(f"p{i}", f"o{i}", 1, "leadership") for i in range(10)]
    people += [peer(f"top{i}", f"t{i}", 9, "leadership") for i in range(3)]
    result = form_groups(cohort(people))
    assert {u.participant for u in result.unassigned} == {"top0", "top1", "top2"}
    assert {u.reason for u in result.unassigned} == {"level_spread"}
    binding = result.binding[0]
    assert binding.code == "level_spread"
    assert "3 Personen" in match_binding(binding.code, binding.numbers)


def test_form_groups_organisation_limit_is_binding_when_one_organisation_dominates():
    people = [peer(f"a{i}", "A") for i in range(8)] + [peer(f"b{i}", f"o{i}") for i in range(4)]
    result = form_groups(cohort(people), GroupRules(size=(5, 6)))
    assert_group_rules(result, people, GroupRules(size=(5, 6)))
    assert result.unassigned and result.binding[0].code == "organisation_limit"


def test_form_groups_honours_locks_exclusions_and_keeps_previous_ids():
    people = random_peers(1, n=20, n_orgs=10, levels=(1,))
    first = form_groups(cohort(people))
    some = first.groups[0]
    previous = tuple((m, g.id) for g in first.groups for m in g.members)
    moved = some.members[0]
    rules = GroupRules(
        locks=((some.members[1], "Nord"), (some.members[2], "Nord")),
        previous=previous,
        exclusions=((moved, some.id),),
    )
    result = form_groups(cohort(people), rules)
    assert_group_rules(result, people, rules)
    assert result.group_of(some.members[1]) == result.group_of(some.members[2]) == "Nord"
    assert result.group_of(moved) != some.id
    assert {g.id for g in result.groups} <= {"Nord"} | {g.id for g in first.groups}


def test_form_groups_is_deterministic_and_ignores_input_order():
    people = random_peers(4)
    first = form_groups(cohort(people))
    assert form_groups(cohort(people)) == first
    shuffled = list(people)
    random.Random(3).shuffle(shuffled)
    assert form_groups(cohort(shuffled)) == first


def test_group_reason_lines_are_german():
    lines = match_group_lines(["shared_topics", "organisation_limit"], ["Führung"], 2)
    assert lines == ["Gemeinsame Themen: Führung", "höchstens 2 Personen je Behörde"]


def _peers(n, **kw):
    return [peer(f"p{i}", f"o{i}", **kw) for i in range(n)]


BAD_GROUPS = {
    "no_peers": ("no_peers", [], GroupRules()),
    "too_few_peers": ("too_few_peers", _peers(4), GroupRules()),
    "range_cannot_be_filled": ("bad_group_size", _peers(9), GroupRules()),
    "min_above_max": ("bad_group_size", _peers(10), GroupRules(size=(6, 5))),
    "min_below_two": ("bad_group_size", _peers(10), GroupRules(size=(1, 5))),
    "wrong_side": ("wrong_side", [*_peers(5), Candidate("m", "mentor", "X")], GroupRules()),
    "bad_level": ("bad_level", [*_peers(5), peer("x", "X", level=1.5)], GroupRules()),
    "unknown_person": ("unknown_person", _peers(5), GroupRules(apart=(("p1", "ghost"),))),
    "unknown_group": ("unknown_group", _peers(5), GroupRules(exclusions=(("p1", "G9"),))),
    "lock_breaks_level": (
        "bad_lock",
        [peer("a", "A", 1), peer("b", "B", 3), *_peers(5)],
        GroupRules(locks=(("a", "G1"), ("b", "G1"))),
    ),
    "lock_breaks_organisation": (
        "bad_lock",
        [peer(f"a{i}", "A") for i in range(3)] + _peers(5),
        GroupRules(locks=tuple((f"a{i}", "G1") for i in range(3))),
    ),
    "lock_cannot_be_filled": (
        "bad_lock",
        [peer("a", "A", 1), peer("b", "B", 1), *_peers(6, level=5)],
        GroupRules(locks=(("a", "G1"), ("b", "G1"))),
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_GROUPS))
def test_form_groups_rejects_bad_input_with_a_clear_code(case):
    code, people, rules = BAD_GROUPS[case]
    with pytest.raises(MatchingError) as err:
        form_groups(cohort(people), rules)
    assert err.value.code == code


def test_a_topic_each_member_raised_in_one_of_several_texts_is_shared():
    """Mean profiles dilute it (one text of four about leadership); the group still shares it."""
    people = []
    for i in range(5):
        passages = [
            Passage(f"p{i}-{j}", np.eye(DIM)[j], np.eye(len(TOPICS))[j] * 0.4 + 0.02)
            for j in range(len(TOPICS))  # one text per topic: each topic's mean is 0.12
        ]
        people.append(Candidate(f"p{i}", "peer", f"org{i}", needs=tuple(passages)))
    (group,) = form_groups(cohort(people), GroupRules(size=(5, 5))).groups
    assert "leadership" in group.shared_topics and "shared_topics" in group.reasons
