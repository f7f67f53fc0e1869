"""GroupSessionStore: a peer group's sessions by stage and its members' check-ins with own notes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from assistant.storage import tables as t
from assistant.storage.engine import Database, aware, new_id

__all__ = ["GroupSessionStore", "StoredCheckin", "StoredGroupSession"]


@dataclass(frozen=True)
class StoredGroupSession:
    """One planned session of a peer group; ``prompts`` are German forum prompts (may be empty)."""

    id: int
    group_id: int
    stage: str
    held_on: date
    title: str
    topic_id: str | None
    prompts: tuple[str, ...]
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class StoredCheckin:
    """One member's check-in of a session; ``note`` is "" unless the reader is its author."""

    session_id: int
    participant_id: str
    value: int
    logged_at: datetime
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form (the self export: the person's own note)."""
        return {
            "session_id": self.session_id,
            "value": self.value,
            "logged_at": self.logged_at.isoformat(),
            "private_note": self.note,
        }


class GroupSessionStore:
    """Rows of ``group_sessions`` and ``group_checkins``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        group_id: int,
        *,
        stage: str,
        held_on: date,
        title: str,
        created_by: str,
        created_at: datetime,
        topic_id: str | None = None,
        prompts: Sequence[str] = (),
    ) -> int:
        """Store a planned session; return its id."""
        with self.db.transaction() as tx:
            return new_id(
                tx.execute(
                    insert(t.group_sessions).values(
                        group_id=group_id,
                        stage=stage,
                        held_on=held_on,
                        title=title,
                        topic_id=topic_id,
                        prompts=json.dumps(list(prompts), ensure_ascii=False),
                        created_by=created_by,
                        created_at=created_at,
                    )
                )
            )

    def of_group(self, group_id: int) -> list[StoredGroupSession]:
        """Return a group's sessions by date (then id)."""
        s = t.group_sessions
        with self.db.read() as con:
            rows = con.execute(
                select(s).where(s.c.group_id == group_id).order_by(s.c.held_on, s.c.id)
            ).all()
        return [_session(r) for r in rows]

    def get(self, session_id: int) -> StoredGroupSession | None:
        """Return one session, or None."""
        s = t.group_sessions
        with self.db.read() as con:
            row = con.execute(select(s).where(s.c.id == session_id)).first()
        return _session(row) if row is not None else None

    def check_in(
        self, session_id: int, participant_id: str, *, value: int, logged_at: datetime, note: str
    ) -> bool:
        """Store a member's check-in; a second one for the same session replaces the first.

        Returns True for a new check-in, False when an earlier one was replaced.
        """
        c = t.group_checkins
        key = (c.c.session_id == session_id, c.c.participant_id == participant_id)
        with self.db.transaction() as tx:
            if tx.execute(select(c.c.value).where(*key)).first() is not None:
                tx.execute(
                    update(c).where(*key).values(value=value, note=note, logged_at=logged_at)
                )
                return False
            tx.execute(
                insert(c).values(
                    session_id=session_id,
                    participant_id=participant_id,
                    value=value,
                    note=note,
                    logged_at=logged_at,
                )
            )
        return True

    def checkins_of_group(self, group_id: int, *, reader: str) -> list[StoredCheckin]:
        """Return every check-in of a group's sessions; notes only where ``reader`` wrote them.

        Counts and means are computed from these; a moderator's ``reader`` is their account
        name, which is never a participant, so they get no note at all.
        """
        c, s = t.group_checkins, t.group_sessions
        with self.db.read() as con:
            rows = con.execute(
                select(c)
                .join(s, s.c.id == c.c.session_id)
                .where(s.c.group_id == group_id)
                .order_by(c.c.session_id, c.c.participant_id)
            ).all()
        return [_checkin(r, reader) for r in rows]

    def of_participant(self, participant_id: str) -> list[dict[str, Any]]:
        """Return a person's own check-ins with their sessions and notes (the self export)."""
        c, s, g, p = t.group_checkins, t.group_sessions, t.groups, t.programmes
        with self.db.read() as con:
            rows = con.execute(
                select(c, s, g.c.name.label("group_name"), p.c.name.label("programme_name"))
                .join(s, s.c.id == c.c.session_id)
                .join(g, g.c.id == s.c.group_id)
                .join(p, p.c.id == g.c.programme_id)
                .where(c.c.participant_id == participant_id)
                .order_by(s.c.held_on, s.c.id)
            ).all()
        return [
            {
                "programme": str(r.programme_name),
                "group": str(r.group_name),
                "stage": str(r.stage),
                "held_on": r.held_on.isoformat(),
                "title": str(r.title),
                **_checkin(r, participant_id).as_dict(),
            }
            for r in rows
        ]

    def delete_of_programme(self, programme_id: int) -> int:
        """Delete every session (with its check-ins) of a programme's groups; return how many."""
        with self.db.transaction() as tx:
            gone = tx.execute(
                delete(t.group_sessions).where(
                    t.group_sessions.c.group_id.in_(_groups_of(programme_id))
                )
            ).rowcount
        return int(gone)

    def count_of_programme(self, programme_id: int) -> int:
        """Sessions of a programme's groups (retention's dry run)."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.group_sessions.c.id).where(
                    t.group_sessions.c.group_id.in_(_groups_of(programme_id))
                )
            ).all()
        return len(rows)


def _groups_of(programme_id: int) -> Any:
    return select(t.groups.c.id).where(t.groups.c.programme_id == programme_id)


def _session(row: Any) -> StoredGroupSession:
    return StoredGroupSession(
        id=int(row.id),
        group_id=int(row.group_id),
        stage=str(row.stage),
        held_on=row.held_on,
        title=str(row.title),
        topic_id=None if row.topic_id is None else str(row.topic_id),
        prompts=tuple(json.loads(row.prompts)),
        created_by=str(row.created_by),
        created_at=aware(row.created_at),
    )


def _checkin(row: Any, reader: str) -> StoredCheckin:
    return StoredCheckin(
        session_id=int(row.session_id),
        participant_id=str(row.participant_id),
        value=int(row.value),
        logged_at=aware(row.logged_at),
        note=str(row.note) if str(row.participant_id) == reader else "",
    )
