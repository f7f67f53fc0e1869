"""Build assistants on a fresh database for the privacy tests: SQLite, or PostgreSQL.

``ASSISTANT_TEST_DB_URL`` (e.g. set by ``.ci/postgres.sh``) names a PostgreSQL database that the
tests may wipe: each test drops and recreates its ``public`` schema. ``ASSISTANT_DB_URL`` is
deliberately not used here, so a test run can never wipe the database the app works on.

With ``ASSISTANT_TEST_ADMIN_DB_URL`` too (``.ci/postgres.sh`` sets both), the tests run as a
hardened deployment does: the admin role owns the schema and wipes it, the app's role (of
``ASSISTANT_TEST_DB_URL``) migrates it, and ``deploy/postgres/audit-owner.sql`` (run with psql as
the admin) hands the audit log to its own owner before the test starts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from assistant.config import Settings
from assistant.nlp.cache import CachedEmbedder, EmbeddingCache
from assistant.nlp.embed import HashingEmbedder
from assistant.service import Assistant
from assistant.storage import Stores, make_engine, migrate
from assistant.storage.secrets import load_or_create_key
from assistant.topics.analyser import TopicAnalyzer

TEST_DB_URL = os.environ.get("ASSISTANT_TEST_DB_URL", "")
TEST_ADMIN_DB_URL = os.environ.get("ASSISTANT_TEST_ADMIN_DB_URL", "")
AUDIT_OWNER_SQL = Path(__file__).resolve().parents[2] / "deploy" / "postgres" / "audit-owner.sql"
# Cheap argon2 parameters: the tests check behaviour, not the cost of an attack.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


OPEN_ENGINES: list[Engine] = []


def dispose_engines() -> None:
    """Close the pooled connections of every engine made here (psycopg warns about leaks)."""
    while OPEN_ENGINES:
        OPEN_ENGINES.pop().dispose()


def on_postgres() -> bool:
    return TEST_DB_URL.startswith("postgresql")


def audit_owner_apart() -> bool:
    """Whether the test PostgreSQL gives the audit log an owner apart from the app's role."""
    return on_postgres() and bool(TEST_ADMIN_DB_URL)


def admin_db_url() -> str:
    """The role that owns the test schema: the admin's, else the tests' own."""
    return TEST_ADMIN_DB_URL or TEST_DB_URL


def fresh_db_url(data_dir: Path, *, audit_owner: bool = True) -> str:
    """An empty database: the test PostgreSQL with a new schema, else a SQLite file.

    With an admin URL the schema comes migrated, and with ``audit_owner`` its audit log
    belongs to ``assistant_audit`` (``give_audit_log_its_owner``).
    """
    if not TEST_DB_URL:
        return f"sqlite:///{data_dir / 'assistant.db'}"
    dispose_engines()  # an open connection of the last test would block DROP SCHEMA
    engine = create_engine(admin_db_url())
    with engine.begin() as con:
        con.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        con.exec_driver_sql("CREATE SCHEMA public")
        if TEST_ADMIN_DB_URL:  # as a DBA would: the app creates tables, owns no schema
            app = engine.dialect.identifier_preparer.quote(str(make_url(TEST_DB_URL).username))
            con.exec_driver_sql(f"GRANT USAGE, CREATE ON SCHEMA public TO {app}")
    engine.dispose()
    if TEST_ADMIN_DB_URL and audit_owner:
        app_engine = make_engine(TEST_DB_URL)
        migrate(app_engine)
        app_engine.dispose()
        give_audit_log_its_owner()
    return TEST_DB_URL


def give_audit_log_its_owner() -> None:
    """Run ``deploy/postgres/audit-owner.sql`` with psql as the admin, as the README says."""
    psql = shutil.which("psql")
    if psql is None:
        raise RuntimeError("psql is needed with ASSISTANT_TEST_ADMIN_DB_URL")
    admin = make_url(TEST_ADMIN_DB_URL).set(drivername="postgresql")
    admin_url = admin.set(password=None).render_as_string()  # the password goes by environment
    app_role = make_url(TEST_DB_URL).username
    env = dict(os.environ)
    if admin.password:
        env["PGPASSWORD"] = str(admin.password)
    done = subprocess.run(
        [psql, "-X", "-q", "-v", f"app_role={app_role}", "-f", str(AUDIT_OWNER_SQL), admin_url],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"audit-owner.sql failed: {done.stderr.strip()}")


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
