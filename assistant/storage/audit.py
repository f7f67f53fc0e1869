"""AuditStore: the append-only audit log (no update, no delete)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select

from assistant.storage import tables as t
from assistant.storage.engine import Database, aware, now
from assistant.storage.records import AuditRow

__all__ = ["AuditStore"]


class AuditStore:
    """Who did what, when, with which outcome. There is deliberately no update or delete."""

    def __init__(self, db: Database) -> None:
        self.db = db

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
        """Append one row (no participant text in ``detail``)."""
        with self.db.transaction() as tx:
            tx.execute(
                insert(t.audit_log).values(
                    at=now(),
                    actor=actor,
                    action=action,
                    outcome=outcome,
                    programme=programme,
                    group_name=group,
                    subject=subject,
                    detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
                )
            )

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
