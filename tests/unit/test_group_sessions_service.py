"""A peer group's sessions through the facade: the moderator plans, members check in, privacy.

Runs on the hashing embedder and a fresh database (SQLite, or PostgreSQL under
``.ci/postgres.sh``).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from assistant import texts
from assistant.errors import AccessDenied, InvalidEntryError
from assistant.policy import Principal, operator
from assistant.service import CheckinInput, SessionInput
from tests.matching_cohort import PEERS, peer_rows, write_csv
from tests.unit.privacy_support import dispose_engines, make_assistant, stores_of

pytestmark = pytest.mark.postgres

OPERATOR = operator("cli:test")
ADMIN = Principal("admin", "admin")
COORDINATOR = Principal("koordination", "coordinator", programmes=frozenset({PEERS}))
NORTH, SOUTH = "Nord", "Süd"
MODERATOR = Principal("moderation", "moderator", groups=frozenset({(PEERS, NORTH)}))
OTHER_MODERATOR = Principal("moderation-sued", "moderator", groups=frozenset({(PEERS, SOUTH)}))
TODAY = date.today()
NORTH_MEMBERS = [f"p-{i:02d}" for i in range(6)]


def person(pid: str) -> Principal:
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({PEERS}))


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    """Twelve peers: p-00 to p-05 in group "Nord", the others in "Süd" (k = 5)."""
    engine = make_assistant(hashing_assistant, tmp_path / "data")
    rows = peer_rows()
    for i, row in enumerate(rows):
        row[11] = NORTH if i < 6 else SOUTH
    engine.import_file(OPERATOR, write_csv(tmp_path / "peers.csv", rows), kind="peer_group")
    yield engine
    dispose_engines()


def _plan(engine, days_from_today: int, stage: str = "seminar", title: str = "Auftakt") -> int:
    on = TODAY + timedelta(days=days_from_today)
    return engine.plan_group_session(MODERATOR, NORTH, SessionInput(stage, on, title), PEERS)


def _rows(view):
    return [(r.session.stage, r.session.title, r.checkins, r.mean) for r in view.sessions]


def test_the_moderator_plans_sessions_listed_by_stage_then_date(engine):
    _plan(engine, 20, "application", "Umsetzung")
    _plan(engine, -10, "simulation", "Rollenspiel")
    _plan(engine, -30, "seminar", "  Auftakt  ")
    view = engine.group_sessions(MODERATOR, NORTH, PEERS)
    assert [(s, t) for s, t, _, _ in _rows(view)] == [
        ("seminar", "Auftakt"),
        ("simulation", "Rollenspiel"),
        ("application", "Umsetzung"),
    ]
    assert view.own == () and view.k == 5
    audit = [r for r in stores_of(engine).audit.rows() if r.action == "group.plan"]
    assert len(audit) == 3 and {r.detail["stage"] for r in audit} >= {"seminar"}


@pytest.mark.parametrize(
    ("stage", "title", "code"),
    [
        ("workshop", "X", "stage"),
        ("seminar", "   ", "title"),
        ("seminar", "x" * 201, "title_too_long"),
    ],
)
def test_a_bad_session_is_refused_and_nothing_stored(engine, stage, title, code):
    with pytest.raises(InvalidEntryError) as err:
        _plan(engine, 1, stage, title)
    assert err.value.code == code
    assert stores_of(engine).db.count("group_sessions") == 0


@pytest.mark.parametrize(
    "who", [OTHER_MODERATOR, COORDINATOR, ADMIN, person("p-00"), OPERATOR, None]
)
def test_only_the_groups_moderator_plans_and_each_refusal_is_audited(engine, who):
    before = len(stores_of(engine).audit.rows())
    with pytest.raises(AccessDenied):
        engine.plan_group_session(who, NORTH, SessionInput("seminar", TODAY, "X"), PEERS)
    rows = stores_of(engine).audit.rows()
    assert len(rows) == before + 1 and rows[0].outcome == "denied"
    assert stores_of(engine).db.count("group_sessions") == 0


def test_members_check_in_after_a_session_and_see_only_their_own_note(engine):
    session = _plan(engine, -3)
    logged = engine.check_in(person("p-00"), NORTH, CheckinInput(session, 4, "nur meins"), PEERS)
    assert logged.new and logged.reflection is None
    engine.check_in(person("p-01"), NORTH, CheckinInput(session, 2, "deins"), PEERS)
    again = engine.check_in(person("p-00"), NORTH, CheckinInput(session, 5, "geändert"), PEERS)
    assert not again.new
    mine = engine.group_sessions(person("p-00"), NORTH, PEERS)
    assert [(c.value, c.note) for c in mine.own] == [(5, "geändert")]
    assert _rows(mine) == [("seminar", "Auftakt", 2, None)]
    theirs = engine.my_group_sessions(person("p-01"), PEERS)
    assert [v.group for v in theirs] == [NORTH] and [c.note for c in theirs[0].own] == ["deins"]
    moderated = engine.group_sessions(MODERATOR, NORTH, PEERS)
    assert moderated.own == () and "geändert" not in str(moderated)
    # The operator's command line gets what the moderator gets.
    operated = engine.group_sessions(OPERATOR, NORTH, PEERS)
    assert operated.own == () and operated.sessions == moderated.sessions
    audit = [r for r in stores_of(engine).audit.rows() if r.action == "group.checkin"]
    assert len(audit) == 3 and not any("meins" in str(r.detail) for r in audit)


def test_the_mean_shows_only_from_k_check_ins_on(engine):
    session = _plan(engine, -1)
    for i, pid in enumerate(NORTH_MEMBERS[:4]):
        engine.check_in(person(pid), NORTH, CheckinInput(session, 1 + i % 5), PEERS)
    assert _rows(engine.group_sessions(MODERATOR, NORTH, PEERS)) == [
        ("seminar", "Auftakt", 4, None)
    ]
    engine.check_in(person(NORTH_MEMBERS[4]), NORTH, CheckinInput(session, 5), PEERS)
    # values 1, 2, 3, 4, 5: the mean of five members
    assert _rows(engine.group_sessions(MODERATOR, NORTH, PEERS)) == [("seminar", "Auftakt", 5, 3.0)]


def test_bad_check_ins_are_refused_with_a_german_message_and_nothing_stored(engine):
    future = _plan(engine, 2)
    past = _plan(engine, -2)
    with pytest.raises(InvalidEntryError) as err:
        engine.check_in(person("p-00"), NORTH, CheckinInput(future, 3), PEERS)
    assert err.value.code == "future" and "noch nicht stattgefunden" in str(err.value)
    for value in (0, 6):
        with pytest.raises(InvalidEntryError) as err:
            engine.check_in(person("p-00"), NORTH, CheckinInput(past, value), PEERS)
        assert err.value.code == "value"
    south = engine.plan_group_session(
        OTHER_MODERATOR, SOUTH, SessionInput("seminar", TODAY, "Süd"), PEERS
    )
    with pytest.raises(InvalidEntryError) as err:
        engine.check_in(person("p-00"), NORTH, CheckinInput(south, 3), PEERS)
    assert err.value.code == "session"
    assert stores_of(engine).db.count("group_checkins") == 0


@pytest.mark.parametrize("who", [person("p-07"), MODERATOR, COORDINATOR, ADMIN, OPERATOR, None])
def test_only_members_check_in_and_each_refusal_is_audited(engine, who):
    session = _plan(engine, -1)
    before = len(stores_of(engine).audit.rows())
    with pytest.raises(AccessDenied):
        engine.check_in(who, NORTH, CheckinInput(session, 3), PEERS)
    rows = stores_of(engine).audit.rows()
    assert len(rows) == before + 1 and (rows[0].action, rows[0].outcome) == (
        "group.checkin",
        "denied",
    )
    assert stores_of(engine).db.count("group_checkins") == 0


@pytest.mark.parametrize("who", [person("p-07"), OTHER_MODERATOR, COORDINATOR, ADMIN])
def test_outsiders_do_not_see_the_groups_sessions(engine, who):
    _plan(engine, -1)
    with pytest.raises(AccessDenied):
        engine.group_sessions(who, NORTH, PEERS)
    assert stores_of(engine).audit.rows()[0].outcome == "denied"


def test_ones_own_groups_sessions_and_no_moderator_asks_as_a_member(engine):
    assert engine.my_group_sessions(person("p-07"), PEERS)[0].group == SOUTH
    with pytest.raises(AccessDenied):
        engine.my_group_sessions(MODERATOR, PEERS)


def test_a_reflection_becomes_an_entry_with_the_stage_only_with_consent(engine):
    session = _plan(engine, -1, "simulation", "Rollenspiel")
    stores = stores_of(engine)
    before = stores.db.count("entries")
    text = "In der Simulation habe ich gemerkt, wie schwer mir das Delegieren fällt."
    logged = engine.check_in(
        person("p-00"), NORTH, CheckinInput(session, 4, reflection=text), PEERS
    )
    assert logged.reflection is True
    [entry] = [e for e in stores.entries.of_participant("p-00") if e.text == text]
    assert (entry.kind, entry.stage) == ("reflection", "simulation")
    engine.set_consent(person("p-01"), "p-01", analysis=False)
    refused = engine.check_in(
        person("p-01"), NORTH, CheckinInput(session, 4, reflection=text), PEERS
    )
    assert refused.reflection is False and stores.db.count("entries") == before + 1


def test_a_forum_choice_becomes_a_forum_session_with_the_topics_prompts(engine):
    topic = engine.pool.topics[0]
    on = TODAY - timedelta(days=1)
    assert engine.choose_forum(MODERATOR, NORTH, topic.id, on, programme=PEERS)
    assert not engine.choose_forum(MODERATOR, NORTH, topic.id, on, programme=PEERS)
    [row] = engine.group_sessions(MODERATOR, NORTH, PEERS).sessions
    assert (row.session.stage, row.session.held_on, row.session.topic_id) == ("forum", on, topic.id)
    assert row.session.title == topic.label_in("de")
    assert row.session.prompts == tuple(topic.forum_prompts["de"])
    # The existing forum record stays as it was.
    assert engine.forum_history(MODERATOR, NORTH, programme=PEERS)[0][1] == on
    # Members check in after the forum like after any session.
    engine.check_in(person("p-00"), NORTH, CheckinInput(row.session.id, 5), PEERS)


def test_export_erasure_and_retention_remove_check_ins(engine):
    session = _plan(engine, -2)
    engine.check_in(person("p-00"), NORTH, CheckinInput(session, 4, "meins"), PEERS)
    engine.check_in(person("p-01"), NORTH, CheckinInput(session, 3, "deins"), PEERS)
    exported = engine.export(OPERATOR, "p-00")["group_checkins"]
    assert [(c["group"], c["stage"], c["value"], c["private_note"]) for c in exported] == [
        (NORTH, "seminar", 4, "meins")
    ]
    assert "deins" not in str(exported)
    engine.erase(OPERATOR, "p-00")
    stores = stores_of(engine)
    assert stores.db.count("group_checkins") == 1
    prog = stores.programmes.get(PEERS)
    with stores.db.transaction() as tx:
        stores.programmes.upsert(tx, PEERS, prog.kind, ends_on=date(2026, 3, 31))
    planned = engine.run_retention(ADMIN, today=date(2030, 1, 1), dry_run=True)
    assert planned["programmes"][0]["group_sessions"] == 1
    done = engine.run_retention(ADMIN, today=date(2030, 1, 1), dry_run=False)
    assert done["programmes"][0]["removed"]["group_sessions"] == 1
    assert stores.db.count("group_sessions") == 0 and stores.db.count("group_checkins") == 0


def test_a_forum_session_on_an_emerging_theme_gets_one_generic_prompt(engine):
    # An emerging theme has no pool prompts; the service gives its session a generic one.
    services = engine._services()
    ref, prog = services.group_sessions.group(NORTH, PEERS)
    session_id = services.group_sessions.plan_forum(ref, prog, "emerging-7", TODAY, "moderation")
    session = stores_of(engine).group_sessions.get(session_id)
    assert (session.stage, session.topic_id) == ("forum", "emerging-7")
    assert session.prompts == (texts.GROUP_FORUM_SESSION_PROMPT,)
