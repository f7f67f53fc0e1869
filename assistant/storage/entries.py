"""EntryStore: goals, offers and reflections, their stored analyses and suggestions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import delete, insert, select, update

from assistant.domain import Entry
from assistant.storage import tables as t
from assistant.storage.engine import Database, Tx, chunked, now
from assistant.storage.records import StoredSuggestion, StoredVectors, entry_from

__all__ = ["AnalysisRow", "EntryStore"]


@dataclass(frozen=True)
class AnalysisRow:
    """One entry's analysis as ``EntryStore.put_analyses`` stores it."""

    entry_id: str
    vector: NDArray[np.float32]
    topic_scores: NDArray[np.float64]
    lemmas: Sequence[str]
    language: str
    suggested: Sequence[tuple[str, float]]


class EntryStore:
    """Entries and what was derived from them (vectors, topic scores, lemmas, suggestions)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- entries ----------------------------------------------------------------------------

    def hashes(self, entry_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """Existing entries among ``entry_ids``: id → (content hash, participant id)."""
        found: dict[str, tuple[str, str]] = {}
        with self.db.read() as con:
            for chunk in chunked(list(entry_ids)):
                rows = con.execute(
                    select(
                        t.entries.c.id, t.entries.c.content_hash, t.entries.c.participant_id
                    ).where(t.entries.c.id.in_(chunk))
                ).all()
                found.update({str(r[0]): (str(r[1]), str(r[2])) for r in rows})
        return found

    def add(self, tx: Tx, entry: Entry, content_hash: str) -> None:
        """Insert one entry as it is (status ``pending`` until its analysis is stored)."""
        tx.execute(
            insert(t.entries).values(
                id=entry.id,
                programme_id=entry.programme_id,
                participant_id=entry.participant_id,
                kind=entry.kind,
                stage=entry.stage,
                text=entry.text,
                content_hash=content_hash,
                created_at=entry.created_at,
                status=entry.status,
            )
        )

    def add_many(self, tx: Tx, entries: Sequence[tuple[Entry, str]]) -> None:
        """Insert entries with their content hashes in one statement (as ``add`` does each)."""
        if not entries:
            return
        tx.execute(
            insert(t.entries),
            [
                {
                    "id": entry.id,
                    "programme_id": entry.programme_id,
                    "participant_id": entry.participant_id,
                    "kind": entry.kind,
                    "stage": entry.stage,
                    "text": entry.text,
                    "content_hash": content_hash,
                    "created_at": entry.created_at,
                    "status": entry.status,
                }
                for entry, content_hash in entries
            ],
        )

    def update_text(self, tx: Tx, entry_id: str, text: str, content_hash: str) -> None:
        """Replace an entry's text; it is pending until its new analysis is stored."""
        tx.execute(
            update(t.entries)
            .where(t.entries.c.id == entry_id)
            .values(text=text, content_hash=content_hash, status="pending")
        )

    def of_programme(
        self,
        programme_id: int,
        *,
        participant_id: str | None = None,
        consent_analysis: bool | None = None,
        since: date | None = None,
    ) -> list[Entry]:
        """Entries of a programme, oldest first, optionally filtered."""
        query = (
            select(t.entries)
            .join(t.participants, t.participants.c.id == t.entries.c.participant_id)
            .where(t.entries.c.programme_id == programme_id)
            .order_by(t.entries.c.created_at, t.entries.c.id)
        )
        if participant_id is not None:
            query = query.where(t.entries.c.participant_id == participant_id)
        if consent_analysis is not None:
            query = query.where(t.participants.c.consent_analysis == consent_analysis)
        if since is not None:
            query = query.where(t.entries.c.created_at >= since)
        with self.db.read() as con:
            rows = con.execute(query).all()
        return [entry_from(r) for r in rows]

    def of_participant(self, participant_id: str) -> list[Entry]:
        """Every entry of a participant in any programme, oldest first."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.entries)
                .where(t.entries.c.participant_id == participant_id)
                .order_by(t.entries.c.created_at, t.entries.c.id)
            ).all()
        return [entry_from(r) for r in rows]

    def by_id(self, entry_ids: Sequence[str]) -> list[Entry]:
        """Return the entries among ``entry_ids`` that exist."""
        found: list[Entry] = []
        with self.db.read() as con:
            for chunk in chunked(entry_ids):
                rows = con.execute(select(t.entries).where(t.entries.c.id.in_(chunk))).all()
                found.extend(entry_from(r) for r in rows)
        return found

    def pending(self) -> list[Entry]:
        """Entries saved but not yet analysed (a crash or a failing stage left them)."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.entries)
                .where(t.entries.c.status == "pending")
                .order_by(t.entries.c.created_at, t.entries.c.id)
            ).all()
        return [entry_from(r) for r in rows]

    # -- analyses ---------------------------------------------------------------------------

    def put_analysis(
        self,
        tx: Tx,
        entry_id: str,
        model_id: str,
        pool_key: str,
        vector: NDArray[np.float32],
        topic_scores: NDArray[np.float64],
        lemmas: Sequence[str],
        language: str,
        suggested: Sequence[tuple[str, float]],
    ) -> None:
        """Store an entry's embedding, topic scores and suggestions; mark it processed.

        Suggestions the participant accepted or dismissed are kept; only open ones are replaced.
        """
        tx.execute(delete(t.entry_vectors).where(t.entry_vectors.c.entry_id == entry_id))
        tx.execute(
            insert(t.entry_vectors).values(
                entry_id=entry_id,
                model_id=model_id,
                pool_key=pool_key,
                vector=np.asarray(vector, dtype=np.float32).tobytes(),
                topic_scores=np.asarray(topic_scores, dtype=np.float64).tobytes(),
                lemmas=json.dumps(list(lemmas), ensure_ascii=False),
                language=language,
            )
        )
        tx.execute(
            delete(t.suggestions).where(
                t.suggestions.c.entry_id == entry_id, t.suggestions.c.status == "suggested"
            )
        )
        kept = {
            r[0]
            for r in tx.execute(
                select(t.suggestions.c.topic_id).where(t.suggestions.c.entry_id == entry_id)
            )
        }
        rows = [
            {
                "entry_id": entry_id,
                "topic_id": topic,
                "score": score,
                "rank": rank,
                "status": "suggested",
                "updated_at": now(),
            }
            for rank, (topic, score) in enumerate(suggested, 1)
            if topic not in kept
        ]
        if rows:
            tx.execute(insert(t.suggestions), rows)
        tx.execute(update(t.entries).where(t.entries.c.id == entry_id).values(status="processed"))

    def put_analyses(
        self, tx: Tx, model_id: str, pool_key: str, analyses: Sequence[AnalysisRow]
    ) -> None:
        """Store many entries' analyses as ``put_analysis`` does each, a few statements in all.

        An import stores hundreds of analyses per transaction: six statements per entry were
        the largest share of its time around the encoder (``bench/speed.py``).
        """
        stamp = now()
        for chunk in chunked(analyses):
            ids = [a.entry_id for a in chunk]
            tx.execute(delete(t.entry_vectors).where(t.entry_vectors.c.entry_id.in_(ids)))
            tx.execute(
                insert(t.entry_vectors),
                [
                    {
                        "entry_id": a.entry_id,
                        "model_id": model_id,
                        "pool_key": pool_key,
                        "vector": np.asarray(a.vector, dtype=np.float32).tobytes(),
                        "topic_scores": np.asarray(a.topic_scores, dtype=np.float64).tobytes(),
                        "lemmas": json.dumps(list(a.lemmas), ensure_ascii=False),
                        "language": a.language,
                    }
                    for a in chunk
                ],
            )
            tx.execute(
                delete(t.suggestions).where(
                    t.suggestions.c.entry_id.in_(ids), t.suggestions.c.status == "suggested"
                )
            )
            kept = {
                (str(r[0]), str(r[1]))
                for r in tx.execute(
                    select(t.suggestions.c.entry_id, t.suggestions.c.topic_id).where(
                        t.suggestions.c.entry_id.in_(ids)
                    )
                )
            }
            rows = [
                {
                    "entry_id": a.entry_id,
                    "topic_id": topic,
                    "score": score,
                    "rank": rank,
                    "status": "suggested",
                    "updated_at": stamp,
                }
                for a in chunk
                for rank, (topic, score) in enumerate(a.suggested, 1)
                if (a.entry_id, topic) not in kept
            ]
            if rows:
                tx.execute(insert(t.suggestions), rows)
            tx.execute(update(t.entries).where(t.entries.c.id.in_(ids)).values(status="processed"))

    def analyses(self, entry_ids: Sequence[str], model_id: str, pool_key: str) -> StoredVectors:
        """Return stored analyses among ``entry_ids`` made by this model and pool, in order.

        Rows of another model or pool are left out: the caller recomputes them.
        """
        by_id: dict[str, Any] = {}
        with self.db.read() as con:
            for chunk in chunked(entry_ids):
                rows = con.execute(
                    select(t.entry_vectors).where(
                        t.entry_vectors.c.entry_id.in_(chunk),
                        t.entry_vectors.c.model_id == model_id,
                        t.entry_vectors.c.pool_key == pool_key,
                    )
                ).all()
                by_id.update({r.entry_id: r for r in rows})
        ids = [i for i in entry_ids if i in by_id]
        if not ids:
            return StoredVectors([], np.zeros((0, 0), np.float32), np.zeros((0, 0)), [])
        return StoredVectors(
            ids,
            np.stack([np.frombuffer(by_id[i].vector, dtype=np.float32) for i in ids]),
            np.stack([np.frombuffer(by_id[i].topic_scores, dtype=np.float64) for i in ids]),
            [tuple(json.loads(by_id[i].lemmas)) for i in ids],
        )

    # -- suggestions ------------------------------------------------------------------------

    def clear_suggestions(self, tx: Tx, entry_id: str) -> int:
        """Delete every suggestion of an entry, accepted and dismissed ones included."""
        return int(
            tx.execute(delete(t.suggestions).where(t.suggestions.c.entry_id == entry_id)).rowcount
        )

    def suggestions_of(self, entry_ids: Sequence[str]) -> list[StoredSuggestion]:
        """Return stored suggestions of ``entry_ids``, by entry then rank."""
        found: list[StoredSuggestion] = []
        with self.db.read() as con:
            for chunk in chunked(entry_ids):
                rows = con.execute(
                    select(t.suggestions)
                    .where(t.suggestions.c.entry_id.in_(chunk))
                    .order_by(t.suggestions.c.entry_id, t.suggestions.c.rank)
                ).all()
                found.extend(
                    StoredSuggestion(
                        entry_id=str(r.entry_id),
                        topic_id=str(r.topic_id),
                        score=float(r.score),
                        rank=int(r.rank),
                        status=str(r.status),
                        updated_at=r.updated_at,
                    )
                    for r in rows
                )
        return found

    def set_suggestion_status(self, entry_id: str, topic_id: str, status: str) -> bool:
        """Set the status of one stored suggestion; False when there is no such suggestion."""
        with self.db.transaction() as tx:
            changed = tx.execute(
                update(t.suggestions)
                .where(t.suggestions.c.entry_id == entry_id, t.suggestions.c.topic_id == topic_id)
                .values(status=status, updated_at=now())
            ).rowcount
        return bool(changed)

    def accepted_suggestions(self, programme_id: int | None = None) -> list[tuple[str, str]]:
        """(entry text, topic id) of accepted suggestions, consenting participants only."""
        query = (
            select(t.entries.c.text, t.suggestions.c.topic_id)
            .join(t.entries, t.entries.c.id == t.suggestions.c.entry_id)
            .join(t.participants, t.participants.c.id == t.entries.c.participant_id)
            .where(t.suggestions.c.status == "accepted", t.participants.c.consent_analysis)
            .order_by(t.entries.c.id, t.suggestions.c.rank)
        )
        if programme_id is not None:
            query = query.where(t.entries.c.programme_id == programme_id)
        with self.db.read() as con:
            rows = con.execute(query).all()
        return [(str(r[0]), str(r[1])) for r in rows]
