"""Tandems a coordinator enters (issue #13, item 1: programmes without matching).

A pair formed elsewhere becomes a published tandem like a matched one: the journey works for
it, a recompute and a new publication keep it, and every refusal stores nothing.
"""

from __future__ import annotations

import pytest

from assistant.errors import AccessDenied, MatchingError
from assistant.policy import Principal, operator
from tests.matching_cohort import CROSS
from tests.unit.journey_support import cross_assistant
from tests.unit.privacy_support import stores_of

pytestmark = pytest.mark.postgres

OPERATOR = operator("cli:test")


def coordinator(*programmes: str) -> Principal:
    return Principal("koordination", "coordinator", programmes=frozenset(programmes))


def person(pid: str, programme: str = CROSS) -> Principal:
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({programme}))


ME = coordinator(CROSS)


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    yield from cross_assistant(hashing_assistant, tmp_path)


def _pairs(view) -> dict[str, str]:
    return {p.mentee: p.mentor for p in view.result.pairs}


def _published(engine):
    return stores_of(engine).matches.get(1, "pairs", "published")


def test_an_entered_pair_is_published_without_any_matching_run(engine):
    view = engine.match_enter(ME, CROSS, "me-2", "mo-1")
    assert view.status == "published"
    assert _pairs(view) == {"me-2": "mo-1"}
    (pair,) = view.result.pairs
    assert pair.reasons[-1] == "entered" and "locked" not in pair.reasons
    assert "other_organisation" in pair.reasons  # explained like a matched pair
    assert stores_of(engine).matches.get(1, "pairs", "draft") is None  # no matching ran
    # Both partners see each other, nobody else has a tandem.
    assert engine.my_match(person("me-2"), CROSS).partner == "mo-1"
    assert engine.my_match(person("mo-1"), CROSS).partner == "me-2"
    assert engine.my_match(person("me-1"), CROSS) is None
    (row,) = [r for r in engine.audit_log(OPERATOR) if r.action == "programme.match"]
    assert (row.actor, row.subject) == ("koordination", "me-2")
    assert row.detail["step"] == "enter" and row.detail["pairs"] == 1


def test_the_journey_works_for_an_entered_pair(engine):
    engine.match_enter(ME, CROSS, "me-2", "mo-1")
    mine = engine.tandem_guide(person("me-2"), CROSS)
    theirs = engine.tandem_guide(person("mo-1"), CROSS)
    assert mine is not None and mine == theirs
    assert engine.tandem_guide(person("me-1"), CROSS) is None
    agreement = engine.tandem_agreement(person("mo-1"), CROSS)
    assert agreement is not None


@pytest.mark.parametrize(
    ("mentee", "mentor", "code"),
    [
        ("x-9", "mo-1", "not_member"),
        ("me-1", "x-9", "not_member"),
        ("me-1", "me-1", "same_person"),
        ("mo-1", "mo-3", "not_mentee"),
        ("me-1", "me-2", "not_mentor"),
        ("me-4", "mo-1", "no_consent"),  # me-4 did not consent to matching
        ("me-1", "mo-2", "same_organisation"),  # cross: both Stadt A
    ],
)
def test_a_bad_pair_is_refused_and_stores_nothing(engine, mentee, mentor, code):
    with pytest.raises(MatchingError) as caught:
        engine.match_enter(ME, CROSS, mentee, mentor)
    assert caught.value.code == code
    assert _published(engine) is None
    assert stores_of(engine).matches.rules(1, "pairs") == []


def test_a_person_in_a_published_tandem_is_not_entered_again(engine):
    engine.match_enter(ME, CROSS, "me-2", "mo-1")
    before = _published(engine).items
    with pytest.raises(MatchingError) as taken:
        engine.match_enter(ME, CROSS, "me-2", "mo-3")
    assert taken.value.code == "already_paired"
    with pytest.raises(MatchingError) as full:
        engine.match_enter(ME, CROSS, "me-3", "mo-1")  # mo-1 takes one mentee
    assert full.value.code == "mentor_full"
    assert _published(engine).items == before
    candidates = engine.match_candidates(ME, CROSS)
    assert candidates.mentees == ("me-1", "me-3")  # me-4: no consent; me-2: paired
    assert candidates.mentors == ("mo-2", "mo-3")


def test_an_excluded_pair_is_refused(engine):
    engine.match(ME, CROSS)
    engine.match_exclude(ME, CROSS, "me-2", "mo-1")
    with pytest.raises(MatchingError) as caught:
        engine.match_enter(ME, CROSS, "me-2", "mo-1")
    assert caught.value.code == "excluded"
    assert _published(engine) is None


def test_an_entered_pair_survives_a_draft_a_recompute_and_a_new_publication(engine):
    draft = _pairs(engine.match(ME, CROSS))
    assert draft["me-1"] == "mo-1"  # the matching pairs mo-1 otherwise
    engine.match_enter(ME, CROSS, "me-2", "mo-1")
    # The waiting draft was recomputed around the tandem: publishing it keeps the tandem.
    redrafted = engine.match(ME, CROSS)
    assert redrafted.status == "draft" and _pairs(redrafted)["me-2"] == "mo-1"
    published = engine.match_publish(ME, CROSS)
    assert _pairs(published)["me-2"] == "mo-1"
    engine.match(ME, CROSS, recompute=True)
    again = engine.match_publish(ME, CROSS)
    entered = {p.mentee: p for p in again.result.pairs}["me-2"]
    assert entered.mentor == "mo-1" and entered.reasons[-1] == "entered"
    assert engine.my_match(person("mo-1"), CROSS).partner == "me-2"


def test_entering_a_pair_drops_an_older_lock_of_the_mentee(engine):
    engine.match(ME, CROSS)
    engine.match_lock(ME, CROSS, "me-2", "mo-2")
    engine.match_enter(ME, CROSS, "me-2", "mo-1")
    assert stores_of(engine).matches.rules(1, "pairs") == []
    assert _pairs(engine.match(ME, CROSS, recompute=True))["me-2"] == "mo-1"


@pytest.mark.parametrize(
    "who",
    [coordinator("Anderes Programm"), person("me-1"), None],
    ids=["other-coordinator", "participant", "anonymous"],
)
def test_only_the_programmes_coordinator_enters_pairs(engine, who):
    with pytest.raises(AccessDenied):
        engine.match_enter(who, CROSS, "me-2", "mo-1")
    with pytest.raises(AccessDenied):
        engine.match_candidates(who, CROSS)
    (row, *_) = engine.audit_log(OPERATOR)
    assert (row.action, row.outcome) == ("programme.match", "denied")
    assert _published(engine) is None


def test_an_ended_tandem_no_longer_shows_and_its_agreement_stays_with_the_two(engine):
    engine.match_enter(ME, CROSS, "me-2", "mo-1")
    engine.confirm_agreement(person("me-2"), CROSS, 0)  # stores version 1
    view = engine.match_end(ME, CROSS, "me-2")
    assert view.status == "published" and _pairs(view) == {}
    for pid in ("me-2", "mo-1"):
        assert engine.my_match(person(pid), CROSS) is None
        assert engine.tandem_guide(person(pid), CROSS) is None
        assert engine.tandem_agreement(person(pid), CROSS) is None
    stored = stores_of(engine).agreements.of_participant("me-2")
    assert [(a.mentee, a.mentor, a.version) for a in stored] == [("me-2", "mo-1", 1)]
    # A new partner of the mentee starts afresh: the old agreement is not theirs.
    engine.match_enter(ME, CROSS, "me-2", "mo-2")
    fresh = engine.tandem_agreement(person("mo-2"), CROSS)
    assert fresh is not None and fresh.version == 0 and fresh.history == ()
    # No recompute forms the ended pair again; the audit names the step.
    rules = stores_of(engine).matches.rules(1, "pairs")
    assert [(r.rule, r.participant, r.other) for r in rules] == [("exclude", "me-2", "mo-1")]
    assert _pairs(engine.match(ME, CROSS, recompute=True))["me-2"] == "mo-2"
    steps = [r.detail["step"] for r in engine.audit_log(OPERATOR) if r.action == "programme.match"]
    assert "end" in steps


def test_ending_a_mentee_without_published_tandem_is_refused(engine):
    with pytest.raises(MatchingError) as caught:
        engine.match_end(ME, CROSS, "me-1")
    assert caught.value.code == "not_paired"
    with pytest.raises(AccessDenied):
        engine.match_end(person("me-1"), CROSS, "me-1")
