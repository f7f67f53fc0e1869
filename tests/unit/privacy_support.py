"""Build assistants on a fresh database for the privacy tests: SQLite, or PostgreSQL.

``ASSISTANT_TEST_DB_URL`` (e.g. set by ``.ci/postgres.sh``) names a PostgreSQL database that the
tests may wipe: each test drops and recreates its ``public`` schema. ``ASSISTANT_DB_URL`` is
deliberately not used here, so a test run can never wipe the database the app works on.
"""

from __future__ import annotations

import os
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine

from assistant.config import Settings
from assistant.nlp.cache import CachedEmbedder, EmbeddingCache
from assistant.nlp.embed import HashingEmbedder
from assistant.service import Assistant
from assistant.storage import Stores, make_engine, migrate
from assistant.storage.secrets import load_or_create_key
from assistant.topics.analyser import TopicAnalyzer

TEST_DB_URL = os.environ.get("ASSISTANT_TEST_DB_URL", "")
# Cheap argon2 parameters: the tests check behaviour, not the cost of an attack.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


OPEN_ENGINES: list[Engine] = []


def dispose_engines() -> None:
    """Close the pooled connections of every engine made here (psycopg warns about leaks)."""
    while OPEN_ENGINES:
        OPEN_ENGINES.pop().dispose()


def on_postgres() -> bool:
    return TEST_DB_URL.startswith("postgresql")


def fresh_db_url(data_dir: Path) -> str:
    """An empty database: the test PostgreSQL with a new schema, else a SQLite file."""
    if not TEST_DB_URL:
        return f"sqlite:///{data_dir / 'assistant.db'}"
    dispose_engines()  # an open connection of the last test would block DROP SCHEMA
    engine = create_engine(TEST_DB_URL)
    with engine.begin() as con:
        con.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        con.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return TEST_DB_URL


def make_assistant(base: Assistant, data_dir: Path, *, k: int = 5, **settings: int) -> Assistant:
    """An assistant on a fresh database and its own embedding cache under ``data_dir``.

    ``base`` lends its fitted suggester (fitting costs seconds), so each test pays only for
    the migration.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    config = Settings(
        embedder="hashing",
        data_dir=str(data_dir),
        db_url=fresh_db_url(data_dir),
        k_min_cluster=k,
        **settings,
    )
    engine = make_engine(config.database_url)
    OPEN_ENGINES.append(engine)
    migrate(engine)
    embedder = CachedEmbedder(HashingEmbedder(512), EmbeddingCache(config.cache_path))
    lent = base._analyzer  # the tests' own wiring: borrow the fitted stages
    analyzer = TopicAnalyzer(base.pool, embedder, lent.preprocessor, lent.suggester)
    stores = Stores.open(engine, audit_key=lambda: load_or_create_key(config.audit_key_path))
    return Assistant(analyzer, stores, settings=config, password_hasher=FAST_HASHER)


def stores_of(engine: Assistant) -> Stores:
    """The stores behind an assistant, for tests that check what was written."""
    return engine._services().stores


def second_process(engine: Assistant) -> Assistant:
    """Another assistant on the same database, as a second process would have: own caches,
    own connections, the same stages and settings."""
    db = make_engine(engine.settings.database_url)
    OPEN_ENGINES.append(db)
    lent = engine._analyzer
    analyzer = TopicAnalyzer(engine.pool, lent.embedder, lent.preprocessor, lent.suggester)
    key = engine.settings.audit_key_path
    stores = Stores.open(db, audit_key=lambda: load_or_create_key(key))
    return Assistant(analyzer, stores, settings=engine.settings, password_hasher=FAST_HASHER)
