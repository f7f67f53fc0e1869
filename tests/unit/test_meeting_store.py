"""MeetingStore on SQLite and (marked postgres) on PostgreSQL: meetings, progress, own notes."""

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
def programmes(stores):
    return two_programmes(stores)


def _add(stores, pid, on, *, by="m1", note="", mentee="m1", progress=((0, "1. Ziel", 3),)):
    return stores.meetings.add(
        pid,
        mentee,
        "t1",
        held_on=on,
        minutes=90,
        topics=["führung", "netzwerk"],
        progress=list(progress),
        logged_by=by,
        logged_at=AT,
        note=note,
    )


@pytest.mark.postgres
def test_meetings_by_date_with_progress_and_only_the_readers_note(stores, programmes):
    pid, other = programmes
    _add(stores, pid, date(2026, 6, 1), by="t1", note="Notiz von t1 – ß")
    _add(stores, pid, date(2026, 5, 1), note="Notiz von m1", progress=((1, "2. B", 5),))
    _add(stores, other, date(2026, 5, 2))
    _add(stores, pid, date(2026, 5, 3), mentee="m2")
    as_mentee = stores.meetings.of_tandem(pid, "m1", "t1", reader="m1")
    assert [m.held_on for m in as_mentee] == [date(2026, 5, 1), date(2026, 6, 1)]
    assert [m.note for m in as_mentee] == ["Notiz von m1", ""]
    assert as_mentee[0].progress == ((1, "2. B", 5),)
    assert as_mentee[1].topics == ("führung", "netzwerk") and as_mentee[1].logged_by == "t1"
    as_mentor = stores.meetings.of_tandem(pid, "m1", "t1", reader="t1")
    assert [m.note for m in as_mentor] == ["", "Notiz von t1 – ß"]
    assert [m.note for m in stores.meetings.of_tandem(pid, "m1", "t1", reader="x")] == ["", ""]


@pytest.mark.postgres
def test_progress_outside_one_to_five_is_refused_by_the_database(stores, programmes):
    pid, _ = programmes
    with pytest.raises(StorageError):
        _add(stores, pid, date(2026, 5, 1), progress=((0, "1. A", 6),))
    assert stores.meetings.of_tandem(pid, "m1", "t1", reader="m1") == []


@pytest.mark.postgres
def test_export_erasure_and_retention_remove_meetings(stores, programmes):
    pid, other = programmes
    _add(stores, pid, date(2026, 5, 1), by="t1", note="geheim")
    _add(stores, other, date(2026, 5, 1), note="meins")
    exported = [m.as_dict() for m in stores.meetings.of_participant("m1")]
    assert [m["private_note"] for m in exported] == ["", "meins"]
    assert stores.meetings.count_of_programme(pid) == 1
    assert stores.meetings.delete_of_programme(pid) == 1
    assert stores.meetings.of_participant("t1")[0].programme_id == other
    stores.erasure.erase_participant("t1")
    for table in ("meetings", "meeting_progress", "meeting_notes"):
        assert stores.db.count(table) == 0


def test_migration_0010_goes_up_from_0009_and_back(tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    OPEN_ENGINES.append(engine)
    config = Config()
    config.set_main_option("script_location", "assistant/storage/migrations")
    new = {"meetings", "meeting_progress", "meeting_notes"}
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0009")
    assert not new & set(inspect(engine).get_table_names())
    migrate(engine)
    assert new <= set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
    assert not new & set(inspect(engine).get_table_names())
    dispose_engines()
