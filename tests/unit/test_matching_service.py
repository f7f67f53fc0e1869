"""Cohort matching through the facade (issue #12): drafts, rules, publishing, privacy, audit.

Runs on the hashing embedder and a fresh database (SQLite, or PostgreSQL under
``.ci/postgres.sh``); the solver's own behaviour is tested in ``test_matching*.py``.
"""

from __future__ import annotations

import pytest

from assistant.errors import AccessDenied, MatchingError
from assistant.policy import Principal, operator
from tests.matching_cohort import (
    CROSS,
    LEVEL,
    ORGANISATION,
    PEERS,
    peer_rows,
    write_csv,
)
from tests.unit.journey_support import cross_assistant
from tests.unit.privacy_support import dispose_engines, make_assistant, stores_of

pytestmark = pytest.mark.postgres

OPERATOR = operator("cli:test")


def coordinator(*programmes: str) -> Principal:
    return Principal("koordination", "coordinator", programmes=frozenset(programmes))


def person(pid: str, programme: str = CROSS) -> Principal:
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({programme}))


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    yield from cross_assistant(hashing_assistant, tmp_path)


def _pairs(view) -> dict[str, str]:
    return {p.mentee: p.mentor for p in view.result.pairs}


def test_draft_obeys_the_cross_rules_and_lists_who_did_not_consent(engine):
    me = coordinator(CROSS)
    view = engine.match(me, CROSS)
    assert view.status == "draft"
    organisations, levels = ORGANISATION, LEVEL
    pairs = _pairs(view)
    assert set(pairs) == {"me-1", "me-2", "me-3"}  # everyone who consented has a mentor
    for mentee, mentor in pairs.items():
        assert organisations[mentee] != organisations[mentor]
        assert levels[mentor] > levels[mentee]
    assert view.no_consent == ("me-4",)
    assert "me-4" not in {u.participant for u in view.result.unmatched} | set(pairs)
    assert view.result.objective.gap == 0
    # The same draft on the next call: stored, not recomputed.
    assert _pairs(engine.match(me, CROSS)) == pairs
    (row, *_) = engine.audit_log(OPERATOR)
    assert (row.actor, row.action, row.programme) == ("koordination", "programme.match", CROSS)


def test_a_lock_that_breaks_a_hard_rule_stores_nothing(engine):
    me = coordinator(CROSS)
    before = _pairs(engine.match(me, CROSS))
    with pytest.raises(MatchingError):
        engine.match_lock(me, CROSS, "me-1", "mo-2")  # same authority (Stadt A)
    assert stores_of(engine).matches.rules(1, "pairs") == []
    assert _pairs(engine.match(me, CROSS)) == before


def test_exclude_and_rematch_change_the_one_pair_and_keep_the_others(engine):
    me = coordinator(CROSS)
    first = _pairs(engine.match(me, CROSS))
    mentor = first["me-2"]
    after = _pairs(engine.match_exclude(me, CROSS, "me-2", mentor))
    assert after.get("me-2") != mentor
    again = _pairs(engine.match_rematch(me, CROSS, "me-3"))
    assert again.get("me-3") != after["me-3"]
    # The exclusion holds on a fresh recompute, too.
    assert _pairs(engine.match(me, CROSS, recompute=True)).get("me-2") != mentor


def test_published_pairs_are_seen_by_the_two_people_only(engine):
    me = coordinator(CROSS)
    pairs = _pairs(engine.match(me, CROSS))
    assert engine.my_match(person("me-1"), CROSS) is None  # nothing published yet
    published = engine.match_publish(me, CROSS)
    assert published.status == "published"
    mine = engine.my_match(person("me-1"), CROSS)
    assert mine is not None and mine.partner == pairs["me-1"]
    assert mine.partner_offers  # the mentor consented: their offers are shown
    theirs = engine.my_match(person(pairs["me-1"]), CROSS)
    assert theirs is not None and theirs.partner == "me-1"
    assert engine.my_match(person("me-4"), CROSS) is None  # no consent: in no pair
    with pytest.raises(AccessDenied):  # nobody reads another person's match
        engine.my_match(Principal("x", "participant", participant_id=None), CROSS)
    # Published pairs stay locked when the coordinator recomputes.
    assert _pairs(engine.match(me, CROSS, recompute=True)) == pairs


def test_withdrawing_matching_takes_the_person_out_of_the_draft_at_once(engine):
    me = coordinator(CROSS)
    assert "me-1" in _pairs(engine.match(me, CROSS))
    engine.set_consent(person("me-1"), "me-1", analysis=None, matching=False)
    view = engine.match(me, CROSS)
    assert "me-1" not in _pairs(view) and "me-1" in view.no_consent


def test_erasing_a_mentor_removes_their_published_pair(engine):
    me = coordinator(CROSS)
    pairs = _pairs(engine.match(me, CROSS))
    engine.match_publish(me, CROSS)
    engine.erase(OPERATOR, pairs["me-1"])
    assert engine.my_match(person("me-1"), CROSS) is None
    assert pairs["me-1"] not in {p.mentor for p in engine.match(me, CROSS).result.pairs}


def test_another_programmes_coordinator_is_refused_and_audited(engine):
    with pytest.raises(AccessDenied):
        engine.match(coordinator("Anderes Programm"), CROSS)
    (row, *_) = engine.audit_log(OPERATOR)
    assert (row.action, row.outcome) == ("programme.match", "denied")


def _import_peers(engine, tmp_path) -> None:
    engine.import_file(OPERATOR, write_csv(tmp_path / "peers.csv", peer_rows()), kind="peer_group")


def test_groups_of_a_peer_programme_are_drafted_and_published_as_groups(engine, tmp_path):
    _import_peers(engine, tmp_path)
    me = coordinator(PEERS)
    with pytest.raises(MatchingError):
        engine.match(me, PEERS)  # a peer-group programme forms groups, not tandems
    view = engine.groups(me, PEERS, size=(4, 6))
    sizes = [len(g.members) for g in view.result.groups]
    assert sum(sizes) + len(view.result.unassigned) == 12
    assert all(4 <= n <= 6 for n in sizes)
    published = engine.groups_publish(me, PEERS)
    assert published.status == "published"
    groups = dict(stores_of(engine).programmes.groups_with_members(2))
    assert sorted(groups) == sorted(g.id for g in published.result.groups)
    member = published.result.groups[0].members[0]
    mine = engine.my_match(person(member, PEERS), PEERS)
    assert mine is not None and mine.group == published.result.groups[0].id
    assert member not in {m for m, _ in mine.members}


def test_a_partner_who_withdraws_matching_shows_no_texts_any_more(engine):
    me = coordinator(CROSS)
    pairs = _pairs(engine.match(me, CROSS))
    engine.match_publish(me, CROSS)
    assert engine.my_match(person("me-1"), CROSS).evidence is not None
    mentor = pairs["me-1"]
    engine.set_consent(person(mentor), mentor, analysis=None, matching=False)
    mine = engine.my_match(person("me-1"), CROSS)  # the published tandem continues ...
    assert mine is not None and mine.partner == mentor
    assert mine.partner_offers == () and mine.evidence is None  # ... without their texts


def test_a_published_partner_is_no_anonymous_peer_any_more(engine):
    """Issue #12: the demo's own tandem partner showed up as an anonymous "peer"."""
    me = coordinator(CROSS)
    pairs = _pairs(engine.match(me, CROSS))
    before = {v.participant_id for v in engine.peer_suggestions(person("me-1"), CROSS, k=10)}
    assert pairs["me-1"] in before
    engine.match_publish(me, CROSS)
    after = {v.participant_id for v in engine.peer_suggestions(person("me-1"), CROSS, k=10)}
    assert pairs["me-1"] not in after and after


@pytest.mark.parametrize(
    ("written", "authority"),
    [
        ("Stadt Nordhafen – Bauamt", "Stadt Nordhafen"),
        ("Kreis Erlengrund - Jugendamt", "Kreis Erlengrund"),
        ("Landesamt für Statistik", "Landesamt für Statistik"),
        ("Bürger-Service-Center", "Bürger-Service-Center"),  # a hyphen inside a name stays
    ],
)
def test_the_cross_rule_compares_authorities_not_departments(written, authority):
    from assistant.matching.rules import authority_of

    assert authority_of(written) == authority


def test_two_departments_of_one_city_are_no_cross_tandem(hashing_assistant, tmp_path):
    engine = make_assistant(hashing_assistant, tmp_path / "data")
    rows = [
        [CROSS, "me-1", "mentee", "Stadt A – Bauamt", "40-49", "true", "true", "e1", "goal",
         "Ich möchte Social Media im Amt nutzen.", "2026-03-01", "", "", "1"],
        [CROSS, "mo-1", "mentor", "Stadt A – Sozialamt", "50-59", "true", "true", "e2", "offer",
         "Ich zeige Social Media im Amt.", "2026-03-01", "", "1", "3"],
        [CROSS, "mo-2", "mentor", "Stadt B – Hauptamt", "50-59", "true", "true", "e3", "offer",
         "Ich begleite bei Konflikten.", "2026-03-01", "", "1", "3"],
    ]  # fmt: skip
    engine.import_file(OPERATOR, write_csv(tmp_path / "c.csv", rows), kind="cross")
    try:
        assert _pairs(engine.match(coordinator(CROSS), CROSS)) == {"me-1": "mo-2"}
    finally:
        dispose_engines()


def test_a_group_draft_keeps_its_size_when_the_coordinator_locks_someone(engine, tmp_path):
    _import_peers(engine, tmp_path)
    me = coordinator(PEERS)
    first = engine.groups(me, PEERS, size=(3, 4))
    assert all(3 <= len(g.members) <= 4 for g in first.result.groups)
    target = first.result.groups[0]
    mover = first.result.groups[1].members[0]
    after = engine.groups_lock(me, PEERS, mover, target.id)  # no size given this time
    assert all(3 <= len(g.members) <= 4 for g in after.result.groups)
    assert after.result.group_of(mover) == target.id


def test_a_published_tandem_is_not_rematched_in_a_draft(engine):
    me = coordinator(CROSS)
    pairs = _pairs(engine.match(me, CROSS))
    engine.match_publish(me, CROSS)
    engine.match(me, CROSS, recompute=True)
    with pytest.raises(MatchingError) as err:
        engine.match_rematch(me, CROSS, "me-1")
    assert err.value.code == "published_pair" and pairs["me-1"] in str(err.value)
