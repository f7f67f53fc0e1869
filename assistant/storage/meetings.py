"""MeetingStore: a tandem's logged meetings, progress per goal and the authors' private notes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select

from assistant.storage import tables as t
from assistant.storage.engine import Database, aware, new_id

__all__ = ["MeetingStore", "StoredMeeting"]


@dataclass(frozen=True)
class StoredMeeting:
    """One logged meeting; ``note`` is the reader's own private note ("" for anyone else).

    ``progress`` holds ``(goal index, goal label, value 1 to 5)``.
    """

    id: int
    programme_id: int
    mentee: str
    mentor: str
    held_on: date
    minutes: int
    topics: tuple[str, ...]
    logged_by: str
    logged_at: datetime
    progress: tuple[tuple[int, str, int], ...] = ()
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form (the self export; ``note`` only the reader's own)."""
        return {
            "mentee": self.mentee,
            "mentor": self.mentor,
            "held_on": self.held_on.isoformat(),
            "minutes": self.minutes,
            "topics": list(self.topics),
            "logged_by": self.logged_by,
            "logged_at": self.logged_at.isoformat(),
            "progress": [{"goal": g, "label": label, "value": v} for g, label, v in self.progress],
            "private_note": self.note,
        }


class MeetingStore:
    """Rows of ``meetings``, ``meeting_progress`` and ``meeting_notes``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        programme_id: int,
        mentee: str,
        mentor: str,
        *,
        held_on: date,
        minutes: int,
        topics: Sequence[str],
        progress: Sequence[tuple[int, str, int]],
        logged_by: str,
        logged_at: datetime,
        note: str = "",
    ) -> int:
        """Store a meeting with its progress and the logger's private note; return its id."""
        with self.db.transaction() as tx:
            meeting_id = new_id(
                tx.execute(
                    insert(t.meetings).values(
                        programme_id=programme_id,
                        mentee_id=mentee,
                        mentor_id=mentor,
                        held_on=held_on,
                        minutes=minutes,
                        topics=json.dumps(list(topics), ensure_ascii=False),
                        logged_by=logged_by,
                        logged_at=logged_at,
                    )
                )
            )
            if progress:
                tx.execute(
                    insert(t.meeting_progress),
                    [
                        {"meeting_id": meeting_id, "goal": g, "label": label, "value": v}
                        for g, label, v in progress
                    ],
                )
            if note:
                tx.execute(
                    insert(t.meeting_notes).values(
                        meeting_id=meeting_id, author_id=logged_by, note=note
                    )
                )
        return meeting_id

    def of_tandem(
        self, programme_id: int, mentee: str, mentor: str, *, reader: str
    ) -> list[StoredMeeting]:
        """Return the tandem's meetings by date, each with ``reader``'s own note only."""
        m = t.meetings
        where = (m.c.programme_id == programme_id, m.c.mentee_id == mentee, m.c.mentor_id == mentor)
        return self._select(where, reader)

    def of_participant(self, participant_id: str) -> list[StoredMeeting]:
        """Return the meetings of every tandem a person is in, with their own notes (export)."""
        m = t.meetings
        where = (or_(m.c.mentee_id == participant_id, m.c.mentor_id == participant_id),)
        return self._select(where, participant_id)

    def delete_of_programme(self, programme_id: int) -> int:
        """Delete every meeting of a programme (retention); return how many went."""
        with self.db.transaction() as tx:
            gone = tx.execute(
                delete(t.meetings).where(t.meetings.c.programme_id == programme_id)
            ).rowcount
        return int(gone)

    def count_of_programme(self, programme_id: int) -> int:
        """Meetings of a programme (retention's dry run)."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.meetings.c.id).where(t.meetings.c.programme_id == programme_id)
            ).all()
        return len(rows)

    def _select(self, where: Sequence[Any], reader: str) -> list[StoredMeeting]:
        m, p, n = t.meetings, t.meeting_progress, t.meeting_notes
        with self.db.read() as con:
            rows = con.execute(
                select(m).where(*where).order_by(m.c.programme_id, m.c.held_on, m.c.id)
            ).all()
            ids = [int(r.id) for r in rows]
            progress: dict[int, list[tuple[int, str, int]]] = {}
            notes: dict[int, str] = {}
            if ids:
                for row in con.execute(
                    select(p).where(p.c.meeting_id.in_(ids)).order_by(p.c.meeting_id, p.c.goal)
                ):
                    progress.setdefault(int(row.meeting_id), []).append(
                        (int(row.goal), str(row.label), int(row.value))
                    )
                for row in con.execute(
                    select(n).where(n.c.meeting_id.in_(ids), n.c.author_id == reader)
                ):
                    notes[int(row.meeting_id)] = str(row.note)
        return [
            StoredMeeting(
                id=int(r.id),
                programme_id=int(r.programme_id),
                mentee=str(r.mentee_id),
                mentor=str(r.mentor_id),
                held_on=r.held_on,
                minutes=int(r.minutes),
                topics=tuple(json.loads(r.topics)),
                logged_by=str(r.logged_by),
                logged_at=aware(r.logged_at),
                progress=tuple(progress.get(int(r.id), ())),
                note=notes.get(int(r.id), ""),
            )
            for r in rows
        ]
