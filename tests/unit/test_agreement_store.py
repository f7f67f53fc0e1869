"""AgreementStore on SQLite and (marked postgres) on PostgreSQL: versions, confirmations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.errors import StorageError
from assistant.storage import make_engine, migrate
from tests.unit.journey_support import migrated_stores, two_programmes
from tests.unit.privacy_support import OPEN_ENGINES, dispose_engines

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


@pytest.fixture
def stores(tmp_path):
    yield from migrated_stores(tmp_path)


@pytest.fixture
def tandem(stores):
    return two_programmes(stores)


@pytest.mark.postgres
def test_versions_count_per_tandem_and_keep_content_exactly(stores, tandem):
    pid, other = tandem
    first = stores.agreements.add_version(pid, "m1", "t1", {"goal": "Führen – ß"}, by="u", at=AT)
    second = stores.agreements.add_version(pid, "m1", "t1", {"goal": "neu"}, by="v", at=LATER)
    elsewhere = stores.agreements.add_version(other, "m1", "t1", {"goal": "x"}, by="u", at=AT)
    assert (first.version, second.version, elsewhere.version) == (1, 2, 1)
    got = stores.agreements.versions(pid, "m1", "t1")
    assert [(a.version, a.content, a.created_by) for a in got] == [
        (1, {"goal": "Führen – ß"}, "u"),
        (2, {"goal": "neu"}, "v"),
    ]
    assert got[0].created_at == AT and got[0].mentee == "m1" and got[0].mentor == "t1"
    assert stores.agreements.versions(pid, "m2", "t1") == []


@pytest.mark.postgres
def test_confirmations_belong_to_one_version_once(stores, tandem):
    pid, _ = tandem
    first = stores.agreements.add_version(pid, "m1", "t1", {"v": 1}, by="u", at=AT)
    assert stores.agreements.confirm(first.id, "m1", "acc-m1", AT)
    assert not stores.agreements.confirm(first.id, "m1", "acc-m1", LATER)  # kept, not moved
    second = stores.agreements.add_version(pid, "m1", "t1", {"v": 2}, by="u", at=LATER)
    one, two = stores.agreements.versions(pid, "m1", "t1")
    assert [(c.participant_id, c.username, c.at) for c in one.confirmations] == [
        ("m1", "acc-m1", AT)
    ]
    assert two.id == second.id and two.confirmations == ()


@pytest.mark.postgres
def test_export_erasure_and_retention_remove_agreements(stores, tandem):
    pid, other = tandem
    first = stores.agreements.add_version(pid, "m1", "t1", {"v": 1}, by="u", at=AT)
    stores.agreements.confirm(first.id, "t1", "acc-t1", AT)
    stores.agreements.add_version(other, "m2", "t1", {"v": 1}, by="u", at=AT)
    assert [a.mentee for a in stores.agreements.of_participant("t1")] == ["m1", "m2"]
    assert stores.agreements.of_participant("m1")[0].as_dict()["confirmations"] == [
        {"participant": "t1", "at": AT.isoformat()}
    ]
    stores.erasure.erase_participant("m1")
    assert stores.agreements.of_participant("t1")[0].mentee == "m2"
    assert stores.db.count("agreement_confirmations") == 0
    assert stores.agreements.delete_of_programme(other) == 1
    assert stores.agreements.count() == 0


@pytest.mark.postgres
def test_version_needs_known_people(stores, tandem):
    pid, _ = tandem
    with pytest.raises(StorageError):
        stores.agreements.add_version(pid, "nobody", "t1", {}, by="u", at=AT)


def test_migration_0009_goes_up_from_0008_and_back(tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    OPEN_ENGINES.append(engine)
    config = Config()
    config.set_main_option("script_location", "assistant/storage/migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0008")
    assert "agreements" not in inspect(engine).get_table_names()
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"agreements", "agreement_confirmations"} <= tables
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    assert not {"agreements", "agreement_confirmations"} & set(inspect(engine).get_table_names())
    dispose_engines()
