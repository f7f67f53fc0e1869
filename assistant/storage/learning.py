"""LearningStore: feedback kept as training examples of a programme's pool, and when it learned.

Rows of ``learned_examples`` hold masked texts only (the caller masks); which of them count is
decided by ``assistant.topics.learning.counted_examples``, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update

from assistant.storage import tables as t
from assistant.storage.engine import Database, Tx, aware, now

__all__ = ["LEARNED_KINDS", "LearningState", "LearningStore", "StoredFeedback"]

LEARNED_KINDS = ("accepted", "dismissed", "confirmed")


@dataclass(frozen=True)
class StoredFeedback:
    """One feedback event: a person's accepted or dismissed topic, or a confirmed example."""

    programme_id: int
    participant_id: str | None  # None: confirmed by the coordinator, no author
    entry_id: str | None
    topic_id: str
    kind: str  # accepted | dismissed | confirmed
    text: str  # masked


@dataclass(frozen=True)
class LearningState:
    """When a programme's suggester last learned, from how many examples; events since."""

    learned_at: datetime | None
    n_feedback: int
    pending: int


class LearningStore:
    """Rows of ``learned_examples`` and ``learning_state``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def put(self, feedback: StoredFeedback) -> int:
        """Store one event (replacing the same person's earlier one on the entry and topic).

        Returns the programme's events waiting for the next refit, this one included.
        """
        if feedback.kind not in LEARNED_KINDS:
            raise ValueError(f"kind: must be one of {', '.join(LEARNED_KINDS)}")
        with self.db.transaction() as tx:
            if feedback.entry_id is not None:
                _drop_entry_topic(tx, feedback.entry_id, feedback.topic_id)
            tx.execute(
                insert(t.learned_examples).values(
                    programme_id=feedback.programme_id,
                    participant_id=feedback.participant_id,
                    entry_id=feedback.entry_id,
                    topic_id=feedback.topic_id,
                    kind=feedback.kind,
                    text=feedback.text,
                    created_at=now(),
                )
            )
            return _bump(tx, feedback.programme_id)

    def drop(self, entry_id: str, topic_id: str | None = None) -> int:
        """Delete the events on an entry (one topic, or all); return how many went."""
        with self.db.transaction() as tx:
            if topic_id is not None:
                return _drop_entry_topic(tx, entry_id, topic_id)
            le = t.learned_examples
            return int(tx.execute(delete(le).where(le.c.entry_id == entry_id)).rowcount)

    def drop_of_participant(self, participant_id: str) -> list[int]:
        """Delete every event of a person; return the programmes that had some."""
        le = t.learned_examples
        with self.db.transaction() as tx:
            programmes = sorted(
                int(r[0])
                for r in tx.execute(
                    select(le.c.programme_id)
                    .where(le.c.participant_id == participant_id)
                    .distinct()
                )
            )
            tx.execute(delete(le).where(le.c.participant_id == participant_id))
        return programmes

    def programmes_of(self, participant_id: str) -> list[int]:
        """Programmes where a person gave feedback that is stored."""
        le = t.learned_examples
        with self.db.read() as con:
            rows = con.execute(
                select(le.c.programme_id).where(le.c.participant_id == participant_id).distinct()
            ).all()
        return sorted(int(r[0]) for r in rows)

    def of_participant(self, participant_id: str) -> list[StoredFeedback]:
        """Every event a person gave, in every programme (the self export), oldest first."""
        le = t.learned_examples
        with self.db.read() as con:
            rows = con.execute(
                select(le).where(le.c.participant_id == participant_id).order_by(le.c.id)
            ).all()
        return [_feedback(r) for r in rows]

    def of_programme(
        self, programme_id: int, until: datetime | None = None
    ) -> list[StoredFeedback]:
        """Events of a programme whose author (if any) consents to analysis, oldest first.

        ``until``: only those stored up to then (what the last refit learned from).
        """
        le, p = t.learned_examples, t.participants
        query = (
            select(le)
            .outerjoin(p, p.c.id == le.c.participant_id)
            .where(
                le.c.programme_id == programme_id,
                (le.c.participant_id.is_(None)) | p.c.consent_analysis,
            )
            .order_by(le.c.id)
        )
        if until is not None:
            query = query.where(le.c.created_at <= until)
        with self.db.read() as con:
            rows = con.execute(query).all()
        return [_feedback(r) for r in rows]

    def state(self, programme_id: int) -> LearningState:
        """Return the programme's learning state (never learned: ``learned_at`` None)."""
        with self.db.read() as con:
            row = con.execute(
                select(t.learning_state).where(t.learning_state.c.programme_id == programme_id)
            ).first()
        if row is None:
            return LearningState(None, 0, 0)
        return LearningState(
            aware(row.learned_at) if row.learned_at is not None else None,
            int(row.n_feedback),
            int(row.pending),
        )

    def mark_learned(self, programme_id: int, n_feedback: int, at: datetime) -> None:
        """Record a refit: when, from how many examples; no event is pending after it."""
        ls = t.learning_state
        with self.db.transaction() as tx:
            _ensure(tx, programme_id)
            tx.execute(
                update(ls)
                .where(ls.c.programme_id == programme_id)
                .values(learned_at=at, n_feedback=n_feedback, pending=0)
            )

    def count(self, programme_id: int) -> int:
        """Return how many events of a programme are stored (all kinds, consent not checked)."""
        le = t.learned_examples
        with self.db.read() as con:
            found = con.execute(
                select(func.count()).where(le.c.programme_id == programme_id)
            ).scalar_one()
        return int(found)


def _feedback(r: Any) -> StoredFeedback:
    return StoredFeedback(
        programme_id=int(r.programme_id),
        participant_id=None if r.participant_id is None else str(r.participant_id),
        entry_id=None if r.entry_id is None else str(r.entry_id),
        topic_id=str(r.topic_id),
        kind=str(r.kind),
        text=str(r.text),
    )


def _drop_entry_topic(tx: Tx, entry_id: str, topic_id: str) -> int:
    le = t.learned_examples
    return int(
        tx.execute(
            delete(le).where(and_(le.c.entry_id == entry_id, le.c.topic_id == topic_id))
        ).rowcount
    )


def _ensure(tx: Tx, programme_id: int) -> None:
    ls = t.learning_state
    found = tx.execute(select(ls.c.programme_id).where(ls.c.programme_id == programme_id)).first()
    if found is None:
        tx.execute(insert(ls).values(programme_id=programme_id, n_feedback=0, pending=0))


def _bump(tx: Tx, programme_id: int) -> int:
    ls = t.learning_state
    _ensure(tx, programme_id)
    tx.execute(update(ls).where(ls.c.programme_id == programme_id).values(pending=ls.c.pending + 1))
    return int(
        tx.execute(select(ls.c.pending).where(ls.c.programme_id == programme_id)).scalar_one()
    )
