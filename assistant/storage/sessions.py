"""SessionStore: signed-in browser sessions and hand-over tokens, kept by the hash of their id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update

from assistant.storage import tables as t
from assistant.storage.engine import Database, aware
from assistant.storage.records import SessionRecord

__all__ = ["SessionStore"]


class SessionStore:
    """Rows of ``sessions``; callers pass the SHA-256 hex of the id, never the id itself."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self, id_hash: str, kind: str, username: str, created_at: datetime, expires_at: datetime
    ) -> None:
        """Store a session or hand-over token of ``username``."""
        with self.db.transaction() as tx:
            tx.execute(
                insert(t.sessions).values(
                    id_hash=id_hash,
                    kind=kind,
                    username=username,
                    created_at=created_at,
                    expires_at=expires_at,
                    last_seen_at=created_at,
                )
            )

    def get(self, id_hash: str, kind: str) -> SessionRecord | None:
        """Return the row of ``id_hash`` and ``kind``, or None."""
        with self.db.read() as con:
            row = con.execute(
                select(t.sessions).where(t.sessions.c.id_hash == id_hash, t.sessions.c.kind == kind)
            ).first()
        if row is None:
            return None
        return SessionRecord(
            username=str(row.username),
            kind=str(row.kind),
            created_at=aware(row.created_at),
            expires_at=aware(row.expires_at),
            last_seen_at=aware(row.last_seen_at),
        )

    def take(self, id_hash: str, kind: str) -> SessionRecord | None:
        """Return and delete the row in one transaction: of two concurrent callers one gets it."""
        found = self.get(id_hash, kind)
        if found is None:
            return None
        with self.db.transaction() as tx:
            gone = tx.execute(
                delete(t.sessions).where(t.sessions.c.id_hash == id_hash, t.sessions.c.kind == kind)
            ).rowcount
        return found if gone == 1 else None

    def touch(self, id_hash: str, moment: datetime) -> None:
        """Record that the session was used at ``moment``."""
        with self.db.transaction() as tx:
            tx.execute(
                update(t.sessions)
                .where(t.sessions.c.id_hash == id_hash)
                .values(last_seen_at=moment)
            )

    def delete(self, id_hash: str) -> bool:
        """Delete one session or token; False when there was none."""
        with self.db.transaction() as tx:
            gone = tx.execute(delete(t.sessions).where(t.sessions.c.id_hash == id_hash)).rowcount
        return bool(gone)

    def delete_of(self, username: str) -> int:
        """Delete every session and token of ``username`` (disabled account); return how many."""
        with self.db.transaction() as tx:
            gone = tx.execute(delete(t.sessions).where(t.sessions.c.username == username)).rowcount
        return int(gone)

    def purge(self, moment: datetime) -> int:
        """Delete what expired before ``moment``; return how many rows went."""
        with self.db.transaction() as tx:
            gone = tx.execute(delete(t.sessions).where(t.sessions.c.expires_at < moment)).rowcount
        return int(gone)

    def count(self) -> int:
        """Rows in the table (sessions and tokens)."""
        return self.db.count("sessions")
