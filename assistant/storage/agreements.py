"""AgreementStore: the versions of each tandem's goal agreement and who confirmed which."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, or_, select

from assistant.storage import tables as t
from assistant.storage.engine import Database, aware

__all__ = ["AgreementStore", "StoredAgreement", "StoredConfirmation"]


@dataclass(frozen=True)
class StoredConfirmation:
    """A partner's confirmation of one version."""

    participant_id: str
    username: str
    at: datetime


@dataclass(frozen=True)
class StoredAgreement:
    """One version of a tandem's agreement with its confirmations (oldest first)."""

    id: int
    programme_id: int
    mentee: str
    mentor: str
    version: int
    content: dict[str, Any]
    created_by: str
    created_at: datetime
    confirmations: tuple[StoredConfirmation, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form (the self export).

        Confirmations name the partner by pseudonym and time; account names stay out (the
        partner's account name is theirs, not part of the other partner's export).
        """
        return {
            "mentee": self.mentee,
            "mentor": self.mentor,
            "version": self.version,
            "content": self.content,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "confirmations": [
                {"participant": c.participant_id, "at": c.at.isoformat()}
                for c in self.confirmations
            ],
        }


class AgreementStore:
    """Rows of ``agreements`` and ``agreement_confirmations``; a version is never changed."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add_version(
        self,
        programme_id: int,
        mentee: str,
        mentor: str,
        content: dict[str, Any],
        *,
        by: str,
        at: datetime,
    ) -> StoredAgreement:
        """Store the next version of a tandem's agreement (1 for the first); return it.

        Two partners saving at once both read the same last version; the unique constraint
        refuses the second insert (``StorageError``) instead of numbering two rows alike.
        """
        key = _tandem(programme_id, mentee, mentor)
        with self.db.transaction() as tx:
            last = tx.execute(select(func.max(t.agreements.c.version)).where(*key)).scalar()
            version = int(last or 0) + 1
            tx.execute(
                insert(t.agreements).values(
                    programme_id=programme_id,
                    mentee_id=mentee,
                    mentor_id=mentor,
                    version=version,
                    content=json.dumps(content, ensure_ascii=False, sort_keys=True),
                    created_by=by,
                    created_at=at,
                )
            )
        found = self.versions(programme_id, mentee, mentor)
        return found[-1]

    def versions(self, programme_id: int, mentee: str, mentor: str) -> list[StoredAgreement]:
        """Return every version of a tandem's agreement, oldest first (empty: none stored)."""
        return self._select(_tandem(programme_id, mentee, mentor))

    def of_programme(self, programme_id: int) -> list[StoredAgreement]:
        """Return every version of every agreement of a programme (retention counts them)."""
        return self._select((t.agreements.c.programme_id == programme_id,))

    def of_participant(self, participant_id: str) -> list[StoredAgreement]:
        """Return the versions of every agreement a person is a partner of (the export)."""
        return self._select(
            (
                or_(
                    t.agreements.c.mentee_id == participant_id,
                    t.agreements.c.mentor_id == participant_id,
                ),
            )
        )

    def confirm(self, agreement_id: int, participant_id: str, username: str, at: datetime) -> bool:
        """Record a partner's confirmation of a version; False when they had confirmed it."""
        with self.db.transaction() as tx:
            known = tx.execute(
                select(t.agreement_confirmations.c.at).where(
                    t.agreement_confirmations.c.agreement_id == agreement_id,
                    t.agreement_confirmations.c.participant_id == participant_id,
                )
            ).first()
            if known is not None:
                return False
            tx.execute(
                insert(t.agreement_confirmations).values(
                    agreement_id=agreement_id,
                    participant_id=participant_id,
                    username=username,
                    at=at,
                )
            )
        return True

    def delete_of_programme(self, programme_id: int) -> int:
        """Delete every agreement of a programme (retention); return how many versions went."""
        with self.db.transaction() as tx:
            gone = tx.execute(
                delete(t.agreements).where(t.agreements.c.programme_id == programme_id)
            ).rowcount
        return int(gone)

    def count(self) -> int:
        """Versions stored (for tests and reports)."""
        return self.db.count("agreements")

    def _select(self, where: Sequence[Any]) -> list[StoredAgreement]:
        a, c = t.agreements, t.agreement_confirmations
        with self.db.read() as con:
            rows = con.execute(
                select(a).where(*where).order_by(a.c.programme_id, a.c.mentee_id, a.c.version)
            ).all()
            ids = [int(r.id) for r in rows]
            confirmations: dict[int, list[StoredConfirmation]] = {}
            if ids:
                for row in con.execute(
                    select(c).where(c.c.agreement_id.in_(ids)).order_by(c.c.at, c.c.participant_id)
                ):
                    confirmations.setdefault(int(row.agreement_id), []).append(
                        StoredConfirmation(
                            str(row.participant_id), str(row.username), aware(row.at)
                        )
                    )
        return [
            StoredAgreement(
                id=int(r.id),
                programme_id=int(r.programme_id),
                mentee=str(r.mentee_id),
                mentor=str(r.mentor_id),
                version=int(r.version),
                content=json.loads(r.content),
                created_by=str(r.created_by),
                created_at=aware(r.created_at),
                confirmations=tuple(confirmations.get(int(r.id), ())),
            )
            for r in rows
        ]


def _tandem(programme_id: int, mentee: str, mentor: str) -> tuple[Any, ...]:
    return (
        t.agreements.c.programme_id == programme_id,
        t.agreements.c.mentee_id == mentee,
        t.agreements.c.mentor_id == mentor,
    )
