"""GroupSessionStore on SQLite and (marked postgres) on PostgreSQL: sessions, check-ins, notes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from assistant.errors import StorageError
from assistant.storage import make_engine, migrate
from tests.unit.journey_support import migrated_stores, two_programmes
from tests.unit.privacy_support import OPEN_ENGINES, dispose_engines

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def stores(tmp_path):
    yield from migrated_stores(tmp_path)


@pytest.fixture
def groups(stores):
    """Group "Nord" of "Cross" with m1 and t1, group "Nord" of "Other" with m1: their ids."""
    pid, other = two_programmes(stores)
    with stores.db.transaction() as tx:
        for who in ("m1", "t1"):
            stores.programmes.ensure_group_member(tx, pid, "Nord", who)
        stores.programmes.ensure_group_member(tx, other, "Nord", "m1")
    [north] = [g for g in stores.programmes.find_groups("Nord") if g.programme_id == pid]
    [elsewhere] = [g for g in stores.programmes.find_groups("Nord") if g.programme_id == other]
    return pid, north.id, elsewhere.id


def _session(stores, group_id, on, stage="seminar", **kw):
    return stores.group_sessions.add(
        group_id,
        stage=stage,
        held_on=on,
        title=f"{stage} – ß",
        created_by="mod",
        created_at=AT,
        **kw,
    )


@pytest.mark.postgres
def test_sessions_by_date_with_topic_and_prompts(stores, groups):
    _, north, elsewhere = groups
    forum = _session(
        stores, north, date(2026, 6, 1), "forum", topic_id="führung", prompts=("Was hilft?",)
    )
    seminar = _session(stores, north, date(2026, 5, 1))
    _session(stores, elsewhere, date(2026, 5, 2))
    found = stores.group_sessions.of_group(north)
    assert [s.id for s in found] == [seminar, forum]
    assert found[1].topic_id == "führung" and found[1].prompts == ("Was hilft?",)
    assert found[0].topic_id is None and found[0].prompts == () and found[0].title == "seminar – ß"
    assert stores.group_sessions.get(forum) == found[1]
    assert stores.group_sessions.get(9999) is None


@pytest.mark.postgres
def test_checkins_carry_the_note_for_its_author_only_and_a_second_replaces_the_first(
    stores, groups
):
    _, north, _ = groups
    session = _session(stores, north, date(2026, 5, 1))
    assert stores.group_sessions.check_in(session, "m1", value=2, logged_at=AT, note="erst")
    assert not stores.group_sessions.check_in(session, "m1", value=4, logged_at=AT, note="meins")
    stores.group_sessions.check_in(session, "t1", value=5, logged_at=AT, note="deins")
    as_m1 = stores.group_sessions.checkins_of_group(north, reader="m1")
    assert [(c.participant_id, c.value, c.note) for c in as_m1] == [
        ("m1", 4, "meins"),
        ("t1", 5, ""),
    ]
    as_moderator = stores.group_sessions.checkins_of_group(north, reader="mod")
    assert [c.note for c in as_moderator] == ["", ""]


@pytest.mark.postgres
def test_a_value_outside_one_to_five_is_refused_by_the_database(stores, groups):
    _, north, _ = groups
    session = _session(stores, north, date(2026, 5, 1))
    with pytest.raises(StorageError):
        stores.group_sessions.check_in(session, "m1", value=6, logged_at=AT, note="")
    assert stores.group_sessions.checkins_of_group(north, reader="m1") == []


@pytest.mark.postgres
def test_export_erasure_and_retention_remove_sessions_and_checkins(stores, groups):
    pid, north, elsewhere = groups
    here = _session(stores, north, date(2026, 5, 1))
    there = _session(stores, elsewhere, date(2026, 5, 2), "simulation")
    stores.group_sessions.check_in(here, "m1", value=3, logged_at=AT, note="meins")
    stores.group_sessions.check_in(here, "t1", value=4, logged_at=AT, note="deins")
    stores.group_sessions.check_in(there, "m1", value=5, logged_at=AT, note="")
    exported = stores.group_sessions.of_participant("m1")
    assert [(c["programme"], c["group"], c["stage"], c["private_note"]) for c in exported] == [
        ("Cross", "Nord", "seminar", "meins"),
        ("Other", "Nord", "simulation", ""),
    ]
    assert "deins" not in str(exported)
    assert stores.group_sessions.count_of_programme(pid) == 1
    assert stores.group_sessions.delete_of_programme(pid) == 1
    assert stores.db.count("group_checkins") == 1
    stores.erasure.erase_participant("m1")
    assert stores.db.count("group_checkins") == 0
    assert stores.db.count("group_sessions") == 1  # the group's session stays, without m1


def test_migration_0011_goes_up_from_0010_and_back(tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    OPEN_ENGINES.append(engine)
    config = Config()
    config.set_main_option("script_location", "assistant/storage/migrations")
    new = {"group_sessions", "group_checkins"}
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0010")
    assert not new & set(inspect(engine).get_table_names())
    migrate(engine)
    assert new <= set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
    assert not new & set(inspect(engine).get_table_names())
    dispose_engines()
