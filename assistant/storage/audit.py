"""AuditStore: the append-only audit log, its rows chained by a keyed hash.

Each row carries ``link`` = HMAC-SHA-256(key, previous link + the row). The key is a file of the
data folder (mode 0600), not in the database: whoever can write the database (drop the
append-only triggers, update or delete rows) cannot write a consistent chain, and
``verify`` names the first row where it breaks. ``audit_head`` holds the newest link and the
number of chained rows, so deleting the newest rows shows too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import insert, select, update

from assistant.errors import StorageError
from assistant.storage import tables as t
from assistant.storage.engine import Database, aware, now
from assistant.storage.records import AuditRow

__all__ = ["AuditCheck", "AuditStore"]


@dataclass(frozen=True)
class AuditCheck:
    """The result of checking the chain: intact, or where and why it broke."""

    intact: bool
    rows: int  # chained rows checked
    first_broken: int | None  # row id; for missing newest rows the id after the last one
    reason: str  # "" | "altered" | "missing" | "unchained" | "truncated"


def _link(key: bytes, previous: str, values: Sequence[Any]) -> str:
    message = previous + "\x00" + json.dumps(list(values), ensure_ascii=False)
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _values(row: Mapping[Any, Any]) -> list[Any]:
    """Return what a row's link covers, in a form that survives the database's round trip."""
    at = aware(row["at"]).astimezone(UTC).isoformat()
    names = ("actor", "action", "outcome", "programme", "group_name", "subject", "detail")
    return [at, *(row[name] for name in names)]


class AuditStore:
    """Who did what, when, with which outcome. There is deliberately no update or delete.

    Parameters
    ----------
    db : Database
    key : callable, optional
        Returns the chain's key; without one, rows are appended unchained (tests of other
        stores) and ``verify`` reports them.
    """

    def __init__(self, db: Database, key: Callable[[], bytes] | None = None) -> None:
        self.db = db
        self.key = key

    def append(
        self,
        actor: str,
        action: str,
        outcome: str,
        *,
        programme: str | None = None,
        group: str | None = None,
        subject: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one row (no participant text in ``detail``), chained to the one before."""
        key = self.key() if self.key is not None else None
        row: dict[str, Any] = {
            "at": now(),
            "actor": actor,
            "action": action,
            "outcome": outcome,
            "programme": programme,
            "group_name": group,
            "subject": subject,
            "detail": json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
        }
        with self.db.transaction() as tx:
            if key is None:
                tx.execute(insert(t.audit_log).values(**row))
                return
            # Take the head's row lock first: concurrent writers queue here, the chain is linear.
            tx.execute(
                update(t.audit_head)
                .where(t.audit_head.c.id == 1)
                .values(rows=t.audit_head.c.rows + 1)
            )
            head = tx.execute(
                select(t.audit_head.c.link).where(t.audit_head.c.id == 1)
            ).scalar_one()
            # Computed before the insert: the log's triggers refuse any later update of a row.
            link = _link(key, str(head), _values(row))
            tx.execute(insert(t.audit_log).values(**row, link=link))
            tx.execute(update(t.audit_head).where(t.audit_head.c.id == 1).values(link=link))

    def rows(
        self, *, about: Sequence[str] | None = None, limit: int | None = None
    ) -> list[AuditRow]:
        """Return rows, newest first; ``about`` keeps rows whose subject or actor is named."""
        query = select(t.audit_log).order_by(t.audit_log.c.id.desc())
        if about is not None:
            names = list(about)
            query = query.where(t.audit_log.c.subject.in_(names) | t.audit_log.c.actor.in_(names))
        if limit is not None:
            query = query.limit(limit)
        with self.db.read() as con:
            rows = con.execute(query).all()
        return [
            AuditRow(
                id=int(r.id),
                at=aware(r.at),
                actor=str(r.actor),
                action=str(r.action),
                outcome=str(r.outcome),
                programme=r.programme,
                group=r.group_name,
                subject=r.subject,
                detail=json.loads(r.detail or "{}"),
            )
            for r in rows
        ]

    def verify(self) -> AuditCheck:
        """Check the chain from its first linked row to the head."""
        if self.key is None:
            raise StorageError("The audit log cannot be verified without the data folder's key.")
        key = self.key()
        with self.db.read() as con:
            rows = con.execute(select(t.audit_log).order_by(t.audit_log.c.id)).all()
            head = con.execute(select(t.audit_head).where(t.audit_head.c.id == 1)).one()
        previous, chained, started = "", 0, False
        for row in rows:
            if row.link is None:
                if started:  # a row slipped in without the key
                    return AuditCheck(False, chained, int(row.id), "unchained")
                continue  # written before the chain began (an older database)
            started = True
            if not hmac.compare_digest(row.link, _link(key, previous, _values(row._mapping))):
                return AuditCheck(False, chained, int(row.id), "altered")
            previous, chained = row.link, chained + 1
        if chained != head.rows or previous != head.link:
            after = int(rows[-1].id) + 1 if rows else 1
            reason = "missing" if chained < head.rows else "truncated"
            return AuditCheck(False, chained, after, reason)
        return AuditCheck(True, chained, None, "")
