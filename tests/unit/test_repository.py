from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from assistant.storage.repository import make_engine, migrate


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


def test_sqlite_runs_in_wal_mode_with_secure_delete(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    with engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert con.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert con.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
