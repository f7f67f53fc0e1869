"""QuestionnaireStore: answers to the end-of-programme questionnaire, one per person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, insert, select

from assistant.storage import tables as t
from assistant.storage.engine import Database, aware

__all__ = ["QuestionnaireStore", "StoredAnswer"]


@dataclass(frozen=True)
class StoredAnswer:
    """One person's answer: overall satisfaction and the five Munich dimensions, each 1 to 5.

    ``dimensions`` follows ``DIMENSIONS`` of ``assistant.journey.evaluation``: networking,
    exchange, advice, feedback, future.
    """

    programme_id: int
    participant_id: str
    answered_at: datetime
    satisfaction: int
    dimensions: tuple[int, int, int, int, int]

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form (the self export)."""
        names = t.QUESTIONNAIRE_SCORES[1:]
        return {
            "answered_at": self.answered_at.isoformat(),
            "satisfaction": self.satisfaction,
            **dict(zip(names, self.dimensions, strict=True)),
        }


class QuestionnaireStore:
    """Rows of ``questionnaire_answers``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def save(
        self,
        programme_id: int,
        participant_id: str,
        *,
        satisfaction: int,
        dimensions: tuple[int, int, int, int, int],
        at: datetime,
    ) -> None:
        """Store a person's answer; a second answer replaces the first."""
        values = dict(zip(t.QUESTIONNAIRE_SCORES[1:], dimensions, strict=True))
        q = t.questionnaire_answers
        with self.db.transaction() as tx:
            tx.execute(delete(q).where(_key(programme_id, participant_id)))
            tx.execute(
                insert(q).values(
                    programme_id=programme_id,
                    participant_id=participant_id,
                    answered_at=at,
                    satisfaction=satisfaction,
                    **values,
                )
            )

    def get(self, programme_id: int, participant_id: str) -> StoredAnswer | None:
        """Return a person's answer in a programme, or None."""
        found = self._select(_key(programme_id, participant_id))
        return found[0] if found else None

    def of_programme(self, programme_id: int) -> list[StoredAnswer]:
        """Return every answer of a programme (the evaluation aggregates them)."""
        return self._select(t.questionnaire_answers.c.programme_id == programme_id)

    def of_participant(self, participant_id: str) -> list[StoredAnswer]:
        """Return a person's answers in every programme (self export)."""
        return self._select(t.questionnaire_answers.c.participant_id == participant_id)

    def delete_of_programme(self, programme_id: int) -> int:
        """Delete every answer of a programme (retention); return how many went."""
        q = t.questionnaire_answers
        with self.db.transaction() as tx:
            gone = tx.execute(delete(q).where(q.c.programme_id == programme_id)).rowcount
        return int(gone)

    def _select(self, where: Any) -> list[StoredAnswer]:
        q = t.questionnaire_answers
        with self.db.read() as con:
            rows = con.execute(
                select(q).where(where).order_by(q.c.programme_id, q.c.participant_id)
            ).all()
        return [
            StoredAnswer(
                programme_id=int(r.programme_id),
                participant_id=str(r.participant_id),
                answered_at=aware(r.answered_at),
                satisfaction=int(r.satisfaction),
                dimensions=(
                    int(r.networking),
                    int(r.exchange),
                    int(r.advice),
                    int(r.feedback),
                    int(r.future),
                ),
            )
            for r in rows
        ]


def _key(programme_id: int, participant_id: str) -> Any:
    q = t.questionnaire_answers
    return and_(q.c.programme_id == programme_id, q.c.participant_id == participant_id)
