"""The stores: one per aggregate over one database, each returning typed values."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from assistant.domain import Entry, Participant, Programme
from assistant.errors import StorageError
from assistant.scores import ScoreRows
from assistant.storage import Stores, make_engine, migrate
from assistant.storage.records import (
    Account,
    AuditRow,
    ConsentChange,
    ForumChoice,
    GroupRef,
    ParticipantUpsert,
    RetentionDue,
    StoredCluster,
    StoredSuggestion,
    StoredThemeRun,
)
from tests.unit.privacy_support import OPEN_ENGINES, dispose_engines, fresh_db_url

MODEL, POOL = "model-a", "pool-a"


def test_migrations_upgrade_an_older_database(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", "assistant/storage/migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    assert "pool_key" not in {c["name"] for c in inspect(engine).get_columns("entry_vectors")}
    migrate(engine)
    migrate(engine)  # idempotent
    assert "pool_key" in {c["name"] for c in inspect(engine).get_columns("entry_vectors")}
    engine.dispose()


def test_migration_0006_adds_membership_fields_and_goes_back_keeping_memberships(tmp_path):
    from sqlalchemy import text

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", "assistant/storage/migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
    with engine.begin() as con:
        con.execute(
            text(
                "INSERT INTO programmes (name, kind, description, created_at) "
                "VALUES ('P', 'cross', '', '2026-01-01')"
            )
        )
        con.execute(
            text(
                "INSERT INTO participants (id, organisation, consent_analysis, consent_matching, "
                "consent_updated_at) VALUES ('a', '', 1, 1, '2026-01-01')"
            )
        )
        con.execute(text("INSERT INTO memberships VALUES (1, 'a', 'mentor')"))
    migrate(engine)
    stores = Stores.open(engine)
    a = stores.programmes.participant("a")
    assert (a.role, a.capacity, a.level, a.email) == ("mentor", None, None, None)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
    columns = {c["name"] for c in inspect(engine).get_columns("memberships")}
    assert columns == {"programme_id", "participant_id", "role"}
    assert stores.db.count("memberships") == 1
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_secure_delete(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    with engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert con.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert con.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


# -- the stores on a fresh database (SQLite, or the test PostgreSQL) --------------------------


@pytest.fixture
def stores(tmp_path):
    engine = make_engine(fresh_db_url(tmp_path))
    OPEN_ENGINES.append(engine)
    migrate(engine)
    yield Stores.open(engine)
    dispose_engines()


def person(pid: str, *, role: str = "peer", analysis: bool = True, matching: bool = True):
    return Participant(pid, f"Org {pid}", role, "30-39", analysis, matching, given_name=None)


def entry(eid: str, programme_id: int, pid: str, text: str, day: int = 1) -> Entry:
    return Entry(eid, programme_id, pid, "goal", text, date(2026, 2, day), status="pending")


@pytest.fixture
def filled(stores):
    """Programme "P" (id returned) with a, b (no analysis consent) and c; four entries."""
    with stores.db.transaction() as tx:
        pid = stores.programmes.upsert(tx, "P", "peer_group")
        stores.programmes.upsert(tx, "Q", "tandem")
        for who in (person("a"), person("b", analysis=False), person("c")):
            stores.programmes.upsert_participant(tx, pid, who, by="import")
        stores.programmes.ensure_group_member(tx, pid, "G1", "a")
        stores.programmes.ensure_group_member(tx, pid, "G1", "b")
        stores.programmes.ensure_group_member(tx, pid, "G2", "c")
        for e in (
            entry("e1", pid, "a", "Instagram", 1),
            entry("e2", pid, "a", "Konflikte", 3),
            entry("e3", pid, "b", "Teilzeit", 2),
            entry("e4", pid, "c", "Posts", 4),
        ):
            stores.entries.add(tx, e, f"hash-{e.id}")
    return pid


@pytest.mark.postgres
def test_programmes_upsert_once_and_come_back_typed(stores):
    with stores.db.transaction() as tx:
        first = stores.programmes.upsert(tx, "P", "tandem")
        again = stores.programmes.upsert(tx, "P", "cross", description="neu")
    assert first == again
    got = stores.programmes.get("P")
    assert isinstance(got, Programme)
    assert (got.id, got.name, got.kind, got.description) == (first, "P", "tandem", "neu")
    assert stores.programmes.get("nope") is None
    with stores.db.transaction() as tx:
        stores.programmes.upsert(tx, "A", "tandem")
    assert [p.name for p in stores.programmes.all()] == ["A", "P"]


@pytest.mark.postgres
def test_participants_memberships_and_groups(stores, filled):
    # A re-import changes the role in the programme, adds no row, and keeps what belongs to
    # the person (consent, organisation, age band), naming the fields that differ.
    with stores.db.transaction() as tx:
        changed = Participant("a", "Org Z", "mentor", "18-29", False, True, given_name=None)
        kept = stores.programmes.upsert_participant(tx, filled, changed, by="import").kept
        q = stores.programmes.upsert(tx, "Q", "tandem")
        upsert = stores.programmes.upsert_participant(tx, q, person("a"), by="import")
        assert upsert == ParticipantUpsert((), ())
        stores.programmes.ensure_group_member(tx, filled, "G1", "a")  # idempotent
    assert kept == ("organisation", "age_band", "consent_analysis")
    a = stores.programmes.participant("a", filled)
    assert isinstance(a, Participant) and a.role == "mentor" and a.organisation == "Org a"
    assert (a.age_band, a.consent_analysis) == ("30-39", True)
    assert stores.programmes.participant("a", q).role == "peer"
    assert stores.programmes.participant("nobody") is None
    assert [p.name for p in stores.programmes.of_participant("a")] == ["P", "Q"]
    assert [p.id for p in stores.programmes.participants_of(filled)] == ["a", "b", "c"]
    assert stores.db.count("participants") == 3 and stores.db.count("memberships") == 4
    assert stores.programmes.groups_of(filled) == ["G1", "G2"]
    [g1] = stores.programmes.find_groups("G1")
    assert g1 == GroupRef(g1.id, filled, "G1")
    assert stores.programmes.group_members(g1.id) == ["a", "b"]
    assert stores.programmes.group_names_of("c") == [("P", "G2")]
    assert stores.programmes.find_groups("G9") == []


@pytest.mark.postgres
def test_membership_fields_are_per_programme_applied_and_reported(stores, filled):
    from dataclasses import replace

    mentor = replace(person("m", role="mentor"), capacity=2, level=3, email="m@example.org")
    with stores.db.transaction() as tx:
        q = stores.programmes.upsert(tx, "Q", "tandem")
        first = stores.programmes.upsert_participant(tx, filled, mentor, by="import")
        stores.programmes.upsert_participant(tx, q, replace(mentor, capacity=None), by="import")
    assert first == ParticipantUpsert((), ())  # a new membership: nothing "changed"
    stored = stores.programmes.participant("m", filled)
    assert (stored.capacity, stored.level, stored.email) == (2, 3, "m@example.org")
    in_q = stores.programmes.participant("m", q)
    assert (in_q.capacity, in_q.level) == (None, 3)  # each programme has its own
    with stores.db.transaction() as tx:
        # None: not given, so kept; 0 is a value (takes nobody this round), not "missing".
        again = replace(mentor, capacity=0, level=None, email=None)
        upsert = stores.programmes.upsert_participant(tx, filled, again, by="import")
        same = stores.programmes.upsert_participant(tx, q, mentor, by="import")
    assert upsert == ParticipantUpsert((), ("capacity",))
    assert same == ParticipantUpsert((), ("capacity",))  # from none to 2 is a change too
    stored = stores.programmes.participant("m", filled)
    assert (stored.capacity, stored.level, stored.email) == (0, 3, "m@example.org")
    assert [p.capacity for p in stores.programmes.participants_of(filled) if p.id == "m"] == [0]


@pytest.mark.postgres
def test_consent_changes_are_kept_in_order(stores, filled):
    with stores.db.transaction() as tx:
        assert stores.programmes.change_consent(tx, "a", analysis=False, matching=True, by="a1")
        assert stores.programmes.change_consent(tx, "a", analysis=False, matching=False, by="op")
        assert not stores.programmes.change_consent(
            tx, "ghost", analysis=True, matching=True, by="op"
        )
    history = stores.programmes.consent_history("a")
    assert all(isinstance(h, ConsentChange) for h in history)
    assert [(h.analysis, h.matching, h.changed_by) for h in history] == [
        (True, True, "import"),  # the first consent, recorded when the person was created
        (False, True, "a1"),
        (False, False, "op"),
    ]
    assert history[1].changed_at <= history[2].changed_at and history[1].changed_at.tzinfo
    assert history[2].as_dict()["changed_at"] == history[2].changed_at.isoformat()
    a = stores.programmes.participant("a")
    assert (a.consent_analysis, a.consent_matching) == (False, False)
    assert stores.programmes.consent_history("ghost") == []


@pytest.mark.postgres
def test_entries_are_read_by_programme_person_id_and_status(stores, filled):
    ids = [e.id for e in stores.entries.of_programme(filled)]
    assert ids == ["e1", "e3", "e2", "e4"]  # oldest first
    assert [e.id for e in stores.entries.of_programme(filled, participant_id="a")] == ["e1", "e2"]
    consenting = stores.entries.of_programme(filled, consent_analysis=True)
    assert "e3" not in {e.id for e in consenting}
    since = stores.entries.of_programme(filled, since=date(2026, 2, 3))
    assert [e.id for e in since] == ["e2", "e4"]
    assert [e.id for e in stores.entries.of_participant("a")] == ["e1", "e2"]
    found = stores.entries.by_id(["e4", "missing"])
    assert found == [entry("e4", filled, "c", "Posts", 4)]
    assert {e.id for e in stores.entries.pending()} == {"e1", "e2", "e3", "e4"}
    assert stores.entries.hashes(["e1", "zz"]) == {"e1": ("hash-e1", "a")}
    with stores.db.transaction() as tx:
        stores.entries.update_text(tx, "e1", "Mehr Follower", "hash-new")
    [e1] = stores.entries.by_id(["e1"])
    assert (e1.text, e1.status) == ("Mehr Follower", "pending")
    assert stores.entries.hashes(["e1"]) == {"e1": ("hash-new", "a")}


def _analyse(stores, entry_id, suggested, scores=(0.7, 0.2, 0.1)):
    with stores.db.transaction() as tx:
        stores.entries.put_analysis(
            tx,
            entry_id,
            MODEL,
            POOL,
            np.full(4, len(entry_id), dtype=np.float32),
            np.array(scores, dtype=np.float64),
            ["lemma", entry_id],
            "de",
            suggested,
        )


@pytest.mark.postgres
def test_analyses_and_suggestions_round_trip(stores, filled):
    _analyse(stores, "e1", [("social_media", 0.7), ("conflict", 0.2)])
    _analyse(stores, "e3", [("work_life", 0.6)])
    assert [e.id for e in stores.entries.pending()] == ["e2", "e4"]  # analysed: processed
    stored = stores.entries.analyses(["e3", "e2", "e1"], MODEL, POOL)
    assert stored.entry_ids == ["e3", "e1"]  # in the order asked; e2 has none
    assert stored.vectors.dtype == np.float32 and stored.vectors.shape == (2, 4)
    assert stored.lemmas == [("lemma", "e3"), ("lemma", "e1")]
    assert isinstance(stored.scores, ScoreRows) and len(stored.scores) == 2
    np.testing.assert_allclose(stored.topic_scores[1], [0.7, 0.2, 0.1])
    other = stores.entries.analyses(["e1"], "model-b", POOL)  # another model: recompute
    assert other.entry_ids == [] and other.scores is None
    assert stores.entries.analyses(["e1"], MODEL, "pool-b").entry_ids == []

    suggestions = stores.entries.suggestions_of(["e1", "e3"])
    assert all(isinstance(s, StoredSuggestion) for s in suggestions)
    assert [(s.entry_id, s.topic_id, s.rank, s.status) for s in suggestions] == [
        ("e1", "social_media", 1, "suggested"),
        ("e1", "conflict", 2, "suggested"),
        ("e3", "work_life", 1, "suggested"),
    ]
    assert stores.entries.set_suggestion_status("e1", "social_media", "accepted")
    assert stores.entries.set_suggestion_status("e3", "work_life", "accepted")
    assert not stores.entries.set_suggestion_status("e1", "nope", "accepted")
    # A new analysis replaces open suggestions but keeps what the participant decided.
    _analyse(stores, "e1", [("social_media", 0.8), ("work_life", 0.3)])
    statuses = {s.topic_id: s.status for s in stores.entries.suggestions_of(["e1"])}
    assert statuses == {"social_media": "accepted", "work_life": "suggested"}
    # b did not consent to analysis: their accepted pair is no feedback.
    assert stores.entries.accepted_suggestions() == [("Instagram", "social_media")]
    assert stores.entries.accepted_suggestions(filled) == [("Instagram", "social_media")]
    assert stores.entries.accepted_suggestions(filled + 1000) == []
    with stores.db.transaction() as tx:
        assert stores.entries.clear_suggestions(tx, "e1") == 2
    assert stores.entries.suggestions_of(["e1"]) == []


@pytest.mark.postgres
def test_a_failed_transaction_keeps_nothing_and_raises_storage_error(stores, filled):
    before = stores.db.count("entries")
    with pytest.raises(StorageError), stores.db.transaction() as tx:
        stores.entries.add(tx, entry("e5", filled, "a", "neu"), "hash-e5")
        stores.entries.add(tx, entry("e1", filled, "a", "doppelt"), "hash-x")  # existing id
    assert stores.db.count("entries") == before
    assert stores.entries.by_id(["e5"]) == []


@pytest.mark.postgres
def test_accounts_grants_and_sign_in_failures(stores, filled):
    stores.accounts.add("co", "coordinator", "hash", grants=[("P", ""), ("P", ""), ("Q", "")])
    stores.accounts.add("pa", "participant", "hash2", participant_id="a", oidc_subject="a@x.org")
    co = stores.accounts.get("co")
    assert isinstance(co, Account)
    assert (co.role, co.grants, co.participant_id) == ("coordinator", (("P", ""), ("Q", "")), None)
    assert co.created_at.tzinfo and co.last_sign_in_at is None
    assert stores.accounts.by_oidc("a@x.org").username == "pa"
    assert stores.accounts.by_oidc("pa") is None  # never a local user name (issue #15)
    assert stores.accounts.by_oidc("stranger") is None and stores.accounts.get("x") is None
    assert [a.username for a in stores.accounts.all()] == ["co", "pa"]
    assert stores.accounts.of_participant("a") == ["pa"]
    assert stores.accounts.set_role("co", "moderator", [("P", "G1")])
    assert stores.accounts.get("co").grants == (("P", "G1"),)
    assert not stores.accounts.set_role("ghost", "admin", [])

    moment = co.created_at
    lock = timedelta(minutes=15)
    assert stores.accounts.record_login_failure("co", 2, lock, moment) is None
    assert stores.accounts.login_lock("co") is None
    until = stores.accounts.record_login_failure("co", 2, lock, moment)
    assert until == moment + lock and stores.accounts.login_lock("co") == until
    stores.accounts.touch_sign_in("co")  # a success clears the counter
    assert stores.accounts.login_lock("co") is None
    assert stores.accounts.get("co").last_sign_in_at is not None


@pytest.mark.postgres
def test_audit_rows_newest_first_by_subject_or_actor(stores):
    stores.audit.append("ad", "user.add", "ok", subject="pa", detail={"role": "participant"})
    stores.audit.append("pa", "signin", "ok")
    stores.audit.append("co", "themes.view", "denied", programme="P", group="G1")
    rows = stores.audit.rows()
    assert all(isinstance(r, AuditRow) for r in rows)
    assert [r.action for r in rows] == ["themes.view", "signin", "user.add"]
    assert (rows[0].programme, rows[0].group, rows[0].outcome) == ("P", "G1", "denied")
    assert [r.action for r in stores.audit.rows(about=["pa"])] == ["signin", "user.add"]
    assert [r.action for r in stores.audit.rows(limit=1)] == ["themes.view"]
    oldest = rows[-1].as_dict()
    assert oldest["detail"] == {"role": "participant"} and oldest["subject"] == "pa"
    assert oldest["at"] == rows[-1].at.isoformat() and rows[-1].at.tzinfo


def _run(fingerprint: str, assignments: dict[str, str]) -> StoredThemeRun:
    cluster = StoredCluster("c0", "Social Media", ("instagram",), 2, 2, "social_media", False, ())
    return StoredThemeRun(fingerprint, len(assignments), 0, 0, False, (cluster,), assignments)


@pytest.mark.postgres
def test_theme_runs_supersede_older_ones_and_forum_choices_are_kept_once(stores, filled):
    assert stores.theme_runs.latest(filled) is None
    stores.theme_runs.save(filled, _run("f1", {"e1": "c0"}))
    second = _run("f2", {"e1": "c0", "e4": "c0"})
    stores.theme_runs.save(filled, second)
    assert stores.theme_runs.latest(filled) == second
    assert stores.db.count("theme_runs") == 1  # the older run is gone
    with stores.db.transaction() as tx:
        assert stores.theme_runs.drop_of_participant(tx, "c") == 1
    assert stores.theme_runs.latest(filled) is None

    [g1] = stores.programmes.find_groups("G1")
    assert stores.theme_runs.choose_forum_topic(g1.id, "conflict", date(2026, 4, 1))
    assert stores.theme_runs.choose_forum_topic(g1.id, "social_media", date(2026, 3, 1))
    assert not stores.theme_runs.choose_forum_topic(g1.id, "conflict", date(2026, 4, 1))
    assert stores.theme_runs.forum_choices(g1.id) == [
        ForumChoice("social_media", date(2026, 3, 1)),
        ForumChoice("conflict", date(2026, 4, 1)),
    ]


@pytest.mark.postgres
def test_erasure_removes_a_person_and_everything_derived_and_nothing_else(stores, filled):
    _analyse(stores, "e1", [("social_media", 0.7)])
    _analyse(stores, "e4", [("social_media", 0.7)])
    stores.theme_runs.save(filled, _run("f", {"e1": "c0", "e4": "c0"}))
    stores.accounts.add("pa", "participant", "hash", participant_id="a")
    with stores.db.transaction() as tx:
        stores.programmes.change_consent(tx, "a", analysis=True, matching=False, by="a")
    counts = stores.erasure.erase_participant("a")
    assert counts == {
        "theme_runs": 1,
        "suggestions": 1,
        "vectors": 1,
        "entries": 2,
        "group_memberships": 1,
        "memberships": 1,
        "participants": 1,
        "scrubbed": 1,  # no reader held the file: no trace is left in it
    }
    assert stores.programmes.participant("a") is None
    assert stores.entries.of_participant("a") == []
    assert stores.accounts.get("pa") is None  # cascades with the person
    assert stores.programmes.consent_history("a") == []
    assert stores.theme_runs.latest(filled) is None  # the run held their entry
    # The others keep their entries and analyses.
    assert [e.id for e in stores.entries.of_programme(filled)] == ["e3", "e4"]
    assert stores.entries.analyses(["e4"], MODEL, POOL).entry_ids == ["e4"]
    assert stores.erasure.erase_participant("a")["participants"] == 0


@pytest.mark.postgres
def test_retention_is_due_months_after_the_end_at_the_end_of_shorter_months(stores, filled):
    with stores.db.transaction() as tx:
        stores.programmes.upsert(tx, "P", "peer_group", ends_on=date(2026, 8, 31))
        stores.programmes.upsert(tx, "Q", "tandem", ends_on=date(2026, 8, 31), retention_months=6)
        stores.programmes.upsert(tx, "R", "tandem")  # no end: kept
    assert stores.erasure.retention_due(date(2027, 2, 27)) == []
    [q] = stores.erasure.retention_due(date(2027, 2, 28))
    assert isinstance(q, RetentionDue)
    assert (q.programme.name, q.delete_after, q.entry_ids) == ("Q", date(2027, 2, 28), [])
    due = stores.erasure.retention_due(date(2027, 8, 31))
    assert [(d.programme.name, d.delete_after) for d in due] == [
        ("P", date(2027, 8, 31)),
        ("Q", date(2027, 2, 28)),
    ]
    assert due[0].entry_ids == ["e1", "e2", "e3", "e4"]
    counts = stores.erasure.erase_entries(due[0].entry_ids)
    assert counts["entries"] == 4 and stores.db.count("entries") == 0
    assert stores.db.count("participants") == 3  # retention deletes texts, not people
