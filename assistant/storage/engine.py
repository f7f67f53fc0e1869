"""The database: engine, migrations, transactions, and the helpers every store shares.

Writes that belong together run in one transaction (``with db.transaction() as tx``), so an
import or an erasure is all or nothing. Errors of the driver become ``StorageError``.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from assistant.errors import StorageError
from assistant.storage import tables as t

__all__ = ["CHUNK", "Database", "Tx", "chunked", "make_engine", "migrate", "safe_db_url"]

Tx = Connection
"""An open transaction, handed from ``Database.transaction`` to the stores' write methods."""

CHUNK = 500
"""Ids per ``IN (...)`` clause: well below SQLite's limit of 999 bound parameters."""

_T = TypeVar("_T")
log = logging.getLogger(__name__)


def chunked(items: Sequence[_T], size: int = CHUNK) -> Iterator[list[_T]]:
    """Yield ``items`` in lists of at most ``size``, in order."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def now() -> datetime:
    """Return the current time in UTC (every stored time is UTC)."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """Return ``moment`` with UTC attached: SQLite returns naive datetimes."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def new_id(result: Any) -> int:
    """Return the primary key of the row an insert created."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def safe_db_url(url: str) -> str:
    """Return ``url`` with any password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid database URL>"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite files get WAL, foreign keys and secure_delete.

    secure_delete makes SQLite overwrite deleted rows, so an erased reflection does not
    survive in free pages of the database file.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # A busy database waits up to 30 s for a lock unless the URL says otherwise.
        connect_args = {} if "timeout" in parsed.query else {"timeout": 30}
        engine = create_engine(url, connect_args=connect_args)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


_MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r'^(down_)?revision\b[^=\n]*=\s*"([^"]+)"', re.MULTILINE)


def head_revision() -> str | None:
    """Return the newest migration's id, read from the version files; ``None`` if unclear.

    Alembic takes a third of a second to import: a command on an up-to-date database (nearly
    every call) skips it. Anything unusual (a merge, two heads, an unread file) is ``None``, and
    ``migrate`` leaves it to Alembic.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (_MIGRATIONS / "versions").glob("*.py"):
        found = dict((bool(m[0]), m[1]) for m in _REVISION.findall(path.read_text("utf-8")))
        if False not in found:
            return None
        revisions.add(found[False])
        if True in found:
            parents.add(found[True])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:  # no table yet: a new database
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (nothing to import when it is there)."""
    head = head_revision()
    if head is not None and _current_revision(engine) == head:
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as err:
        raise StorageError(f"Cannot migrate the database: {reason(err)}") from err


def reason(err: SQLAlchemyError) -> str:
    """Return the driver's message in one line, with a hint for the usual causes."""
    text = str(getattr(err, "orig", err)).splitlines()[0]
    if "readonly" in text or "read-only" in text:
        return "the database is read-only (check file permissions)"
    if "locked" in text:
        return "the database is locked by another process; try again"
    return text


class Database:
    """One engine and its transactions; every store holds the same ``Database``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One transaction; any driver error is a ``StorageError`` and nothing is kept."""
        try:
            with self.engine.begin() as connection:
                yield connection
        except SQLAlchemyError as err:
            raise StorageError(f"Database error: {reason(err)}") from err

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """Open a connection for reads; driver errors become ``StorageError``."""
        try:
            with self.engine.connect() as connection:
                yield connection
        except SQLAlchemyError as err:
            raise StorageError(f"Database error: {reason(err)}") from err

    def scrub(self, attempts: int = 3, wait_s: float = 0.2) -> bool:
        """Flush the WAL and rebuild the file so deleted text leaves no trace (SQLite).

        Returns whether it completed. A reader that holds an old snapshot keeps the WAL from
        being emptied (SQLite reports it as "busy"); then this tries ``attempts`` times, each
        waiting at most a second for the reader, and returns False: the rows are deleted, but
        their old pages may stay in the file until the next scrub. PostgreSQL: always True.
        """
        if self.engine.dialect.name != "sqlite":
            return True
        problem = "a reader kept the write-ahead log busy"
        for attempt in range(attempts):
            if attempt:
                time.sleep(wait_s)
            try:
                with self.engine.connect() as con:
                    timeout = con.exec_driver_sql("PRAGMA busy_timeout").scalar_one()
                    con.exec_driver_sql("PRAGMA busy_timeout=1000")
                    try:
                        con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                        con.commit()
                        con.exec_driver_sql("VACUUM")
                        busy = con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
                        con.commit()
                    finally:
                        con.exec_driver_sql(f"PRAGMA busy_timeout={int(timeout)}")
            except SQLAlchemyError as err:
                problem = reason(err)
                continue
            if busy is not None and int(busy[0]) == 0:
                return True
        log.warning("scrub after deletion incomplete after %d attempts: %s", attempts, problem)
        return False

    def count(self, table: str) -> int:
        """Rows in a table (for tests and reports)."""
        with self.read() as con:
            return int(
                con.execute(select(func.count()).select_from(t.metadata.tables[table])).scalar_one()
            )
