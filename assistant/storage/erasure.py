"""ErasureStore: the one path that deletes entries and people, and what retention finds due.

Entries go with everything derived from them (vectors, suggestions, the theme runs that hold
them); then the SQLite file is scrubbed so deleted text leaves no trace in free pages.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select

from assistant.storage import tables as t
from assistant.storage.engine import Database, Tx, chunked
from assistant.storage.programmes import programmes_of_participant, raise_versions
from assistant.storage.records import RetentionDue, programme_from

__all__ = ["ErasureStore"]


class ErasureStore:
    """Deletes entries and participants; finds programmes past their retention date."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def erase_entries(self, entry_ids: Sequence[str]) -> dict[str, int]:
        """Delete entries with their derived data and the theme runs that contain them.

        ``scrubbed`` in the counts is 1 when the file holds no trace of them any more, 0 when a
        concurrent reader kept the clean-up from completing (``Database.scrub``).
        """
        with self.db.transaction() as tx:
            counts = _erase_entries(tx, entry_ids)
        counts["scrubbed"] = int(self.db.scrub())
        return counts

    def erase_participant(self, participant_id: str) -> dict[str, int]:
        """Delete a participant and everything derived from them; return counts per table.

        Accounts, role grants and the consent history go with them (foreign keys cascade).
        """
        with self.db.transaction() as tx:
            entry_ids = [
                str(r[0])
                for r in tx.execute(
                    select(t.entries.c.id).where(t.entries.c.participant_id == participant_id)
                )
            ]
            counts = _erase_entries(tx, entry_ids)
            # Other processes drop this person from their caches at their next query.
            raise_versions(tx, programmes_of_participant(participant_id))
            counts["group_memberships"] = tx.execute(
                delete(t.group_members).where(t.group_members.c.participant_id == participant_id)
            ).rowcount
            counts["memberships"] = tx.execute(
                delete(t.memberships).where(t.memberships.c.participant_id == participant_id)
            ).rowcount
            counts["participants"] = tx.execute(
                delete(t.participants).where(t.participants.c.id == participant_id)
            ).rowcount
        counts["scrubbed"] = int(self.db.scrub())
        return counts

    def retention_due(self, today: date) -> list[RetentionDue]:
        """Programmes past their retention date with the ids of the entries to delete.

        The date is ``ends_on`` plus ``retention_months``; programmes without an end are kept.
        """
        due: list[RetentionDue] = []
        with self.db.read() as con:
            rows = con.execute(
                select(t.programmes)
                .where(t.programmes.c.ends_on.is_not(None))
                .order_by(t.programmes.c.name)
            ).all()
            for row in rows:
                deadline = _add_months(row.ends_on, int(row.retention_months))
                if today < deadline:
                    continue
                ids = [
                    str(r[0])
                    for r in con.execute(
                        select(t.entries.c.id)
                        .where(t.entries.c.programme_id == row.id)
                        .order_by(t.entries.c.id)
                    )
                ]
                due.append(RetentionDue(programme_from(row), deadline, ids))
        return due


def _erase_entries(tx: Tx, entry_ids: Sequence[str]) -> dict[str, int]:
    counts = {"theme_runs": 0, "suggestions": 0, "vectors": 0, "entries": 0}
    for chunk in chunked(entry_ids):
        raise_versions(tx, select(t.entries.c.programme_id).where(t.entries.c.id.in_(chunk)))
        runs = select(t.theme_assignments.c.run_id).where(t.theme_assignments.c.entry_id.in_(chunk))
        counts["theme_runs"] += tx.execute(
            delete(t.theme_runs).where(t.theme_runs.c.id.in_(runs))
        ).rowcount
        for name, table in (("suggestions", t.suggestions), ("vectors", t.entry_vectors)):
            counts[name] += tx.execute(delete(table).where(table.c.entry_id.in_(chunk))).rowcount
        counts["entries"] += tx.execute(delete(t.entries).where(t.entries.c.id.in_(chunk))).rowcount
    return counts


def _add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the last day of a shorter month)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
