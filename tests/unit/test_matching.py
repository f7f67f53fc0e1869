"""Cohort matching in pairs: hard rules, bad input, determinism, partial results, rematch."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest

from assistant.domain import Entry, Participant
from assistant.errors import MatchingError
from assistant.matching import (
    BINDING_CODES,
    GROUP_REASONS,
    PAIR_REASONS,
    RULE_CODES,
    TRADE_OFF_CODES,
    UNMATCHED_REASONS,
    Candidate,
    Cohort,
    MatchResult,
    PairRules,
    Passage,
    build_cohort,
    match_pairs,
    rematch,
    rematch_rules,
)
from assistant.matching.pairs import solve_assignment
from assistant.matching.rules import pair_masks
from assistant.matching.validate import prepare_pairs
from assistant.scores import ScoreRows
from assistant.texts import (
    MATCH_BINDING,
    MATCH_GROUP_REASON,
    MATCH_PAIR_REASON,
    MATCH_RULE,
    MATCH_TRADE_OFF,
    MATCH_UNMATCHED,
    match_binding,
    match_pair_lines,
    match_trade_off,
    match_unmatched,
)

TOPICS = ("leadership", "digital", "conflict", "networking")
DIM = 8


def passage(entry_id: str, topic: str, weight: float = 0.6, part: int = 0) -> Passage:
    """A passage about one topic: a one-hot-like profile and the topic's basis vector."""
    k = TOPICS.index(topic)
    scores = np.full(len(TOPICS), 0.02)
    scores[k] = weight
    return Passage(entry_id, np.eye(DIM)[k], scores, part)


def mentee(pid, org="A", level=None, topics=("leadership",)) -> Candidate:
    needs = tuple(passage(f"{pid}-g{k}", t) for k, t in enumerate(topics))
    return Candidate(pid, "mentee", org, level, None, needs=needs)


def mentor(pid, org="B", level=None, capacity=None, topics=("leadership",)) -> Candidate:
    offers = tuple(passage(f"{pid}-o{k}", t) for k, t in enumerate(topics))
    return Candidate(pid, "mentor", org, level, capacity, offers=offers)


def cohort(*people: Candidate) -> Cohort:
    return Cohort(TOPICS, tuple(people))


def random_cohort(seed: int, n_mentees: int = 30, n_mentors: int = 18) -> Cohort:
    rng = np.random.default_rng(seed)

    def level():
        return None if rng.random() < 0.2 else int(rng.integers(1, 5))

    people = []
    for i in range(n_mentees):
        topics = tuple(TOPICS[int(t)] for t in rng.integers(0, 4, size=int(rng.integers(1, 3))))
        people.append(mentee(f"e{i:02d}", f"org{rng.integers(4)}", level(), topics))
    for j in range(n_mentors):
        topics = (TOPICS[int(rng.integers(0, 4))],)
        cap = int(rng.integers(0, 4))
        people.append(mentor(f"m{j:02d}", f"org{rng.integers(4)}", level(), cap, topics))
    return cohort(*people)


def assert_hard_rules(result: MatchResult, data: Cohort, rules: PairRules) -> None:
    people = {p.id: p for p in data.people}
    load: dict[str, int] = {}
    for pair in result.pairs:
        e, m = people[pair.mentee], people[pair.mentor]
        assert e.side == "mentee" and m.side == "mentor"
        if rules.kind == "cross":
            assert e.organisation != m.organisation
        if e.level is not None and m.level is not None:
            if rules.kind == "cross":
                assert m.level > e.level
            if rules.kind == "reverse":
                assert m.level < e.level
        assert (e.id, m.id) not in rules.exclusions and (m.id, e.id) not in rules.exclusions
        load[m.id] = load.get(m.id, 0) + 1
    for mid, n in load.items():
        cap = people[mid].capacity
        assert n <= (1 if cap is None else cap)
    for lock in rules.locks:
        assert result.partner_of(lock[0]) == lock[1]
    assert len({p.mentee for p in result.pairs}) == len(result.pairs)
    # Every explanation renders in German with the numbers it carries.
    for pair in result.pairs:
        assert match_pair_lines(pair.reasons, pair.shared_topics)
        for trade in pair.trade_offs:
            assert match_trade_off(trade.code, trade.mentor, trade.score, trade.rule)
    for left in result.unmatched:
        assert match_unmatched(left.reason, left.numbers)
    for binding in result.binding:
        assert match_binding(binding.code, binding.numbers)


@pytest.mark.parametrize("kind", ["cross", "reverse", "tandem"])
@pytest.mark.parametrize("seed", range(6))
def test_match_pairs_never_breaks_a_hard_rule(kind, seed):
    data = random_cohort(seed)
    rng = random.Random(seed)
    exclusions = tuple((f"e{rng.randrange(30):02d}", f"m{rng.randrange(18):02d}") for _ in range(8))
    rules = PairRules(kind, exclusions=exclusions)
    result = match_pairs(data, rules)
    assert_hard_rules(result, data, rules)
    # Maximum cardinality: nobody could be added without breaking a rule.
    prepared = prepare_pairs(data, rules)
    masks = pair_masks(prepared, rules.kind)
    from assistant.matching.rules import max_matchable

    assert len(result.pairs) == max_matchable(masks.allowed, masks.capacity)


def test_match_pairs_cross_keeps_organisations_apart_and_mentor_more_senior():
    data = cohort(
        mentee("e1", "A", 2), mentor("m1", "A", 5), mentor("m2", "B", 1), mentor("m3", "B", 3)
    )
    result = match_pairs(data, PairRules("cross"))
    assert result.partner_of("e1") == "m3"
    assert result.pairs[0].reasons[-2:] == ("other_organisation", "more_senior")


def test_match_pairs_reverse_wants_a_less_senior_mentor_and_allows_one_organisation():
    data = cohort(mentee("e1", "A", 5), mentor("m1", "A", 6), mentor("m2", "A", 2))
    result = match_pairs(data, PairRules("reverse"))
    assert result.partner_of("e1") == "m2"
    assert "less_senior" in result.pairs[0].reasons


def test_match_pairs_seniority_applies_only_when_both_levels_are_given():
    data = cohort(mentee("e1", "A", None), mentor("m1", "B", 1))
    result = match_pairs(data, PairRules("cross"))
    assert result.partner_of("e1") == "m1"
    assert "level_unknown" in result.pairs[0].reasons


def test_match_pairs_capacity_limits_and_zero_takes_nobody():
    data = cohort(
        mentee("e1"), mentee("e2"), mentee("e3"), mentor("m1", capacity=2), mentor("m2", capacity=0)
    )
    result = match_pairs(data, PairRules("tandem"))
    assert sorted(p.mentor for p in result.pairs) == ["m1", "m1"]
    reasons = {u.participant: u.reason for u in result.unmatched}
    assert reasons["m2"] == "no_capacity"
    assert reasons[({"e1", "e2", "e3"} - {p.mentee for p in result.pairs}).pop()] == "places_taken"
    assert result.binding[0].code == "capacity"
    assert dict(result.binding[0].numbers) == {"mentees": 3, "places": 2}


def test_match_pairs_honours_exclusions_in_either_order():
    data = cohort(mentee("e1"), mentor("m1"), mentor("m2", topics=("conflict",)))
    assert match_pairs(data, PairRules("tandem")).partner_of("e1") == "m1"
    for exclusion in (("e1", "m1"), ("m1", "e1")):
        result = match_pairs(data, PairRules("tandem", exclusions=(exclusion,)))
        assert result.partner_of("e1") == "m2"


def test_match_pairs_keeps_locks_even_when_a_better_pair_exists():
    data = cohort(mentee("e1"), mentor("m1"), mentor("m2", topics=("conflict",)))
    result = match_pairs(data, PairRules("tandem", locks=(("e1", "m2"),)))
    assert result.partner_of("e1") == "m2"
    assert "locked" in result.pairs[0].reasons


def test_match_pairs_finds_the_optimum_a_greedy_choice_misses():
    # a and b both want m1; a scores higher with m1, but b may not take m2 (same organisation).
    data = cohort(
        mentee("a", "A", topics=("leadership",)),
        mentee("b", "C", topics=("leadership", "digital")),
        mentor("m1", "B", topics=("leadership",)),
        mentor("m2", "C", topics=("digital",)),
    )
    result = match_pairs(data, PairRules("cross"))
    assert {(p.mentee, p.mentor) for p in result.pairs} == {("a", "m2"), ("b", "m1")}
    assert not any(u.side == "mentee" for u in result.unmatched)


def test_solve_assignment_maximises_the_total_not_the_first_choice():
    weights = np.array([[0.9, 0.8], [0.85, 0.1]])
    allowed = np.ones((2, 2), dtype=bool)
    assert solve_assignment(weights, allowed, np.array([1, 1])) == {0: 1, 1: 0}


def test_match_pairs_explains_evidence_shared_topics_and_trade_offs():
    data = cohort(
        mentee("e1", "A", topics=("leadership", "digital")),
        mentor("m1", "A", topics=("digital",)),  # best, but same organisation
        mentor("m2", "B", topics=("conflict", "digital")),
    )
    result = match_pairs(data, PairRules("cross"))
    (pair,) = result.pairs
    assert pair.mentor == "m2"
    assert pair.evidence is not None
    assert (pair.evidence.need_entry, pair.evidence.offer_entry) == ("e1-g1", "m2-o1")
    assert pair.shared_topics == ("digital",)
    assert pair.reasons[:2] == ("need_offer", "shared_topics")
    (trade,) = pair.trade_offs
    assert (trade.code, trade.mentor, trade.rule) == ("better_ruled_out", "m1", "same_organisation")
    assert "gleiche Behörde" in match_trade_off(trade.code, trade.mentor, trade.score, trade.rule)


def test_match_pairs_partial_result_names_the_binding_rule_with_numbers():
    people = [mentee(f"e{i}", "A") for i in range(5)]
    people += [mentor(f"m{j}", "A") for j in range(3)] + [mentor("n1", "B"), mentor("n2", "C")]
    result = match_pairs(cohort(*people), PairRules("cross"))
    assert len(result.pairs) == 2
    first = result.binding[0]
    assert first.code == "other_organisation"
    assert dict(first.numbers) == {"mentees": 5, "matchable": 2, "places": 5}
    assert match_binding(first.code, first.numbers) == (
        "5 Mentees, aber nur 2 Plätze bei Mentor:innen aus anderen Behörden"
    )
    left = [u for u in result.unmatched if u.side == "mentee"]
    assert len(left) == 3 and {u.reason for u in left} == {"places_taken"}
    assert {u.participant for u in result.unmatched if u.side == "mentor"} == {"m0", "m1", "m2"}


def test_match_pairs_mentee_without_allowed_mentor_gets_counts_per_rule():
    data = cohort(mentee("e1", "A", 5), mentor("m1", "B", 4), mentor("m2", "A", 6))
    result = match_pairs(data, PairRules("cross"))
    (left,) = [u for u in result.unmatched if u.side == "mentee"]
    assert left.reason == "no_allowed_mentor"
    assert left.numbers["seniority"] == 1 and left.numbers["same_organisation"] == 1


def test_match_pairs_is_deterministic_and_ignores_input_order():
    data = random_cohort(3)
    rules = PairRules("cross")
    first = match_pairs(data, rules)
    assert match_pairs(data, rules) == first
    shuffled = list(data.people)
    random.Random(7).shuffle(shuffled)
    assert match_pairs(Cohort(TOPICS, tuple(shuffled)), rules) == first


def test_rematch_excludes_the_rejected_pair_and_keeps_the_others():
    people = [mentee(f"e{i}", topics=(TOPICS[i],)) for i in range(4)]
    people += [mentor(f"m{i}", topics=(TOPICS[i],)) for i in range(4)] + [mentor("spare")]
    data = cohort(*people)
    rules = PairRules("tandem")
    draft = match_pairs(data, rules)
    assert draft.partner_of("e0") == "m0"
    again = rematch(data, rules, draft, "e0")
    assert again.partner_of("e0") not in (None, "m0")
    assert all(again.partner_of(f"e{i}") == f"m{i}" for i in range(1, 4))
    assert all("kept" in p.reasons for p in again.pairs if p.mentee != "e0")


def test_rematch_without_a_free_place_changes_as_few_pairs_as_possible():
    people = [mentee(f"e{i}", topics=(TOPICS[i],)) for i in range(4)]
    people += [mentor(f"m{i}", topics=(TOPICS[i],)) for i in range(4)]
    data = cohort(*people)
    rules = PairRules("tandem")
    draft = match_pairs(data, rules)
    new_rules = rematch_rules(rules, draft, "e0")
    assert ("e0", "m0") in new_rules.exclusions
    again = match_pairs(data, new_rules)
    assert again.partner_of("e0") not in (None, "m0")
    changed = [i for i in range(1, 4) if again.partner_of(f"e{i}") != draft.partner_of(f"e{i}")]
    assert len(changed) == 1  # e0 takes one mentor; that mentor's mentee moves to m0


def test_previous_draft_is_kept_even_against_higher_scores():
    data = cohort(
        mentee("e1", topics=("leadership",)),
        mentee("e2", topics=("digital",)),
        mentor("m1", topics=("leadership",)),
        mentor("m2", topics=("digital",)),
    )
    previous = (("e1", "m2"), ("e2", "m1"))
    result = match_pairs(data, PairRules("tandem", previous=previous))
    assert {(p.mentee, p.mentor) for p in result.pairs} == set(previous)


def test_rematch_unknown_mentee_is_an_error():
    data = cohort(mentee("e1"), mentor("m1"))
    draft = match_pairs(data, PairRules("tandem"))
    with pytest.raises(MatchingError) as err:
        rematch(data, PairRules("tandem"), draft, "nobody")
    assert err.value.code == "unknown_person"


BAD_COHORTS = {
    "no_mentors": ("no_mentors", cohort(mentee("e1")), PairRules("cross")),
    "no_mentees": ("no_mentees", cohort(mentor("m1")), PairRules("cross")),
    "bad_capacity_negative": (
        "bad_capacity",
        cohort(mentee("e1"), mentor("m1", capacity=-1)),
        PairRules("cross"),
    ),
    "bad_capacity_float": (
        "bad_capacity",
        cohort(mentee("e1"), mentor("m1", capacity=1.5)),
        PairRules("cross"),
    ),
    "bad_capacity_bool": (
        "bad_capacity",
        cohort(mentee("e1"), mentor("m1", capacity=True)),
        PairRules("cross"),
    ),
    "bad_level_text": (
        "bad_level",
        cohort(mentee("e1", level="3"), mentor("m1")),
        PairRules("cross"),
    ),
    "bad_level_float": (
        "bad_level",
        cohort(mentee("e1"), mentor("m1", level=2.5)),
        PairRules("cross"),
    ),
    "duplicate_person": (
        "duplicate_person",
        cohort(mentee("e1"), mentor("e1")),
        PairRules("cross"),
    ),
    "wrong_side": (
        "wrong_side",
        cohort(mentee("e1"), mentor("m1"), Candidate("p1", "peer", "A")),
        PairRules("cross"),
    ),
    "bad_kind": ("bad_kind", cohort(mentee("e1"), mentor("m1")), PairRules("peer_group")),
    "unknown_person": (
        "unknown_person",
        cohort(mentee("e1"), mentor("m1")),
        PairRules("tandem", exclusions=(("e1", "ghost"),)),
    ),
    "bad_lock_rule": (
        "bad_lock",
        cohort(mentee("e1", "A"), mentor("m1", "A")),
        PairRules("cross", locks=(("e1", "m1"),)),
    ),
    "bad_lock_seniority": (
        "bad_lock",
        cohort(mentee("e1", "A", 3), mentor("m1", "B", 3)),
        PairRules("cross", locks=(("e1", "m1"),)),
    ),
    "bad_lock_excluded": (
        "bad_lock",
        cohort(mentee("e1"), mentor("m1")),
        PairRules("tandem", locks=(("e1", "m1"),), exclusions=(("e1", "m1"),)),
    ),
    "bad_lock_capacity": (
        "bad_lock",
        cohort(mentee("e1"), mentee("e2"), mentor("m1")),
        PairRules("tandem", locks=(("e1", "m1"), ("e2", "m1"))),
    ),
    "bad_lock_twice": (
        "bad_lock",
        cohort(mentee("e1"), mentor("m1"), mentor("m2")),
        PairRules("tandem", locks=(("e1", "m1"), ("e1", "m2"))),
    ),
    "bad_vector": (
        "bad_vector",
        cohort(
            mentee("e1"),
            Candidate("m1", "mentor", "B", offers=(Passage("o", np.ones(3), np.ones(4)),)),
        ),
        PairRules("tandem"),
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_COHORTS))
def test_match_pairs_rejects_bad_input_with_a_clear_code(case):
    code, data, rules = BAD_COHORTS[case]
    with pytest.raises(MatchingError) as err:
        match_pairs(data, rules)
    assert err.value.code == code
    assert str(err.value).endswith(".")


def test_build_cohort_reads_sides_needs_and_offers_from_stored_analyses():
    people = [
        Participant("e1", "A", "mentee", None, True, True),
        Participant("m1", "B", "mentor", None, True, True),
    ]
    day = date(2026, 1, 1)
    entries = [
        Entry("x1", 1, "e1", "goal", "…", day),
        Entry("x2", 1, "e1", "reflection", "…", day),
        Entry("x3", 1, "m1", "offer", "…", day),
        Entry("x4", 1, "m1", "goal", "not analysed", day),
    ]
    vectors = np.eye(DIM, dtype=np.float32)[:3]
    scores = ScoreRows(np.c_[np.eye(3, len(TOPICS)), np.zeros(3)])
    data = build_cohort(
        people, entries, ["x1", "x2", "x3"], vectors, scores, TOPICS, capacities={"m1": 2}
    )
    e1, m1 = data.people
    assert [p.entry_id for p in e1.needs] == ["x1"] and not e1.offers
    assert [p.entry_id for p in m1.offers] == ["x3"] and m1.capacity == 2
    assert match_pairs(data, PairRules("cross")).partner_of("e1") == "m1"


def test_every_code_has_german_words():
    assert set(MATCH_PAIR_REASON) == set(PAIR_REASONS)
    assert set(MATCH_RULE) == set(RULE_CODES)
    assert set(MATCH_TRADE_OFF) == set(TRADE_OFF_CODES)
    assert set(MATCH_UNMATCHED) == set(UNMATCHED_REASONS)
    assert set(MATCH_BINDING) == set(BINDING_CODES)
    assert set(MATCH_GROUP_REASON) == set(GROUP_REASONS)
    assert match_pair_lines(["shared_topics", "other_organisation"], ["Führung"]) == [
        "Gemeinsame Themen: Führung",
        "andere Behörde",
    ]
