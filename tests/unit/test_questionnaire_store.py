"""QuestionnaireStore on SQLite and (marked postgres) on PostgreSQL: one answer per person."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.errors import StorageError
from assistant.storage import make_engine, migrate
from tests.unit.journey_support import migrated_stores, two_programmes
from tests.unit.privacy_support import OPEN_ENGINES

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def stores(tmp_path):
    yield from migrated_stores(tmp_path)


@pytest.fixture
def programmes(stores):
    return two_programmes(stores)


@pytest.mark.postgres
def test_a_second_answer_replaces_the_first(stores, programmes):
    pid, other = programmes
    stores.questionnaire.save(pid, "m1", satisfaction=3, dimensions=(1, 2, 3, 4, 5), at=AT)
    stores.questionnaire.save(other, "m1", satisfaction=1, dimensions=(1, 1, 1, 1, 1), at=AT)
    stores.questionnaire.save(pid, "m1", satisfaction=5, dimensions=(5, 4, 3, 2, 1), at=LATER)
    mine = stores.questionnaire.get(pid, "m1")
    assert mine is not None
    assert (mine.satisfaction, mine.dimensions, mine.answered_at) == (5, (5, 4, 3, 2, 1), LATER)
    assert [a.participant_id for a in stores.questionnaire.of_programme(pid)] == ["m1"]
    assert stores.questionnaire.get(pid, "t1") is None
    assert mine.as_dict() == {
        "answered_at": LATER.isoformat(),
        "satisfaction": 5,
        "networking": 5,
        "exchange": 4,
        "advice": 3,
        "feedback": 2,
        "future": 1,
    }


@pytest.mark.postgres
@pytest.mark.parametrize("bad", [0, 6])
def test_values_outside_one_to_five_are_refused_by_the_database(stores, programmes, bad):
    pid, _ = programmes
    with pytest.raises(StorageError):
        stores.questionnaire.save(pid, "m1", satisfaction=bad, dimensions=(3,) * 5, at=AT)
    with pytest.raises(StorageError):
        stores.questionnaire.save(pid, "m1", satisfaction=3, dimensions=(3, 3, bad, 3, 3), at=AT)
    assert stores.questionnaire.of_programme(pid) == []


@pytest.mark.postgres
def test_erasure_and_retention_remove_answers(stores, programmes):
    pid, other = programmes
    for who in ("m1", "t1"):
        stores.questionnaire.save(pid, who, satisfaction=4, dimensions=(4,) * 5, at=AT)
    stores.questionnaire.save(other, "m1", satisfaction=2, dimensions=(2,) * 5, at=AT)
    assert [a.programme_id for a in stores.questionnaire.of_participant("m1")] == [pid, other]
    assert stores.questionnaire.delete_of_programme(other) == 1
    stores.erasure.erase_participant("m1")
    assert [a.participant_id for a in stores.questionnaire.of_programme(pid)] == ["t1"]
    assert stores.questionnaire.of_participant("m1") == []


def test_migration_0012_goes_up_and_back(tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    OPEN_ENGINES.append(engine)
    config = Config()
    config.set_main_option("script_location", "assistant/storage/migrations")
    migrate(engine)
    assert "questionnaire_answers" in inspect(engine).get_table_names()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
    assert "questionnaire_answers" not in inspect(engine).get_table_names()
