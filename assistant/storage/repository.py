"""Repository: the only code that speaks SQL (SQLAlchemy Core, SQLite or PostgreSQL).

Writes that belong together run in one transaction (``with repo.transaction() as tx``), so an
import or an erasure is all or nothing. Errors of the driver become ``StorageError``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from assistant.domain import Entry, Participant, Programme
from assistant.errors import StorageError
from assistant.storage import tables as t


def _now() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite files get WAL, foreign keys and secure_delete.

    secure_delete makes SQLite overwrite deleted rows, so an erased reflection does not
    survive in free pages of the database file.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # A busy database waits up to 30 s for a lock unless the URL says otherwise.
        connect_args = {} if "timeout" in parsed.query else {"timeout": 30}
        engine = create_engine(url, connect_args=connect_args)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as err:
        raise StorageError(f"Cannot migrate the database: {_reason(err)}") from err


def _reason(err: SQLAlchemyError) -> str:
    text = str(getattr(err, "orig", err)).splitlines()[0]
    if "readonly" in text or "read-only" in text:
        return "the database is read-only (check file permissions)"
    if "locked" in text:
        return "the database is locked by another process; try again"
    return text


@dataclass(frozen=True)
class StoredVectors:
    """Derived data of entries: embeddings, topic scores, lemmas, in the order asked."""

    entry_ids: list[str]
    vectors: NDArray[np.float32]
    topic_scores: NDArray[np.float64]
    lemmas: list[tuple[str, ...]]


@dataclass(frozen=True)
class StoredSuggestion:
    """A topic suggested for an entry and what the participant did with it."""

    entry_id: str
    topic_id: str
    score: float
    rank: int
    status: str  # suggested | accepted | dismissed
    updated_at: datetime


class Repository:
    """Programmes, participants, entries and their derived data."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction; any driver error is a ``StorageError`` and nothing is kept."""
        try:
            with self.engine.begin() as connection:
                yield connection
        except SQLAlchemyError as err:
            raise StorageError(f"Database error: {_reason(err)}") from err

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as connection:
                yield connection
        except SQLAlchemyError as err:
            raise StorageError(f"Database error: {_reason(err)}") from err

    # -- programmes -------------------------------------------------------------------------

    def upsert_programme(self, tx: Connection, name: str, kind: str, **extra: Any) -> int:
        """Return the id of programme ``name``, creating it when new."""
        found = tx.execute(select(t.programmes.c.id).where(t.programmes.c.name == name)).first()
        if found:
            if extra:
                tx.execute(
                    update(t.programmes).where(t.programmes.c.id == found[0]).values(**extra)
                )
            return int(found[0])
        result = tx.execute(
            insert(t.programmes).values(name=name, kind=kind, created_at=_now(), **extra)
        )
        return _new_id(result)

    def get_programme(self, name: str) -> Programme | None:
        """Return the programme called ``name``, or None."""
        with self._read() as con:
            row = con.execute(select(t.programmes).where(t.programmes.c.name == name)).first()
        return _programme(row) if row else None

    def list_programmes(self) -> list[Programme]:
        """All programmes by name."""
        with self._read() as con:
            rows = con.execute(select(t.programmes).order_by(t.programmes.c.name)).all()
        return [_programme(r) for r in rows]

    def programmes_of(self, participant_id: str) -> list[Programme]:
        """Programmes ``participant_id`` takes part in."""
        with self._read() as con:
            rows = con.execute(
                select(t.programmes)
                .join(t.memberships, t.memberships.c.programme_id == t.programmes.c.id)
                .where(t.memberships.c.participant_id == participant_id)
                .order_by(t.programmes.c.name)
            ).all()
        return [_programme(r) for r in rows]

    # -- participants -----------------------------------------------------------------------

    def upsert_participant(
        self, tx: Connection, programme_id: int, participant: Participant
    ) -> None:
        """Insert or update a participant and their membership of a programme."""
        values: dict[str, Any] = {
            "organisation": participant.organisation,
            "age_band": participant.age_band,
            "consent_analysis": participant.consent_analysis,
            "consent_matching": participant.consent_matching,
        }
        if participant.given_name:
            values["given_name"] = participant.given_name
        current = tx.execute(
            select(t.participants).where(t.participants.c.id == participant.id)
        ).first()
        if current is None:
            tx.execute(
                insert(t.participants).values(
                    id=participant.id, consent_updated_at=_now(), **values
                )
            )
        else:
            changed = (
                current.consent_analysis != participant.consent_analysis
                or current.consent_matching != participant.consent_matching
            )
            if changed:
                values["consent_updated_at"] = _now()
            tx.execute(
                update(t.participants).where(t.participants.c.id == participant.id).values(**values)
            )
        member = tx.execute(
            select(t.memberships.c.role).where(
                t.memberships.c.programme_id == programme_id,
                t.memberships.c.participant_id == participant.id,
            )
        ).first()
        if member is None:
            tx.execute(
                insert(t.memberships).values(
                    programme_id=programme_id, participant_id=participant.id, role=participant.role
                )
            )
        elif member[0] != participant.role:
            tx.execute(
                update(t.memberships)
                .where(
                    t.memberships.c.programme_id == programme_id,
                    t.memberships.c.participant_id == participant.id,
                )
                .values(role=participant.role)
            )

    def get_participant(
        self, participant_id: str, programme_id: int | None = None
    ) -> Participant | None:
        """Return the participant with their role in ``programme_id`` (or their first one)."""
        query = (
            select(t.participants, t.memberships.c.role)
            .join(t.memberships, t.memberships.c.participant_id == t.participants.c.id)
            .where(t.participants.c.id == participant_id)
            .order_by(t.memberships.c.programme_id)
        )
        if programme_id is not None:
            query = query.where(t.memberships.c.programme_id == programme_id)
        with self._read() as con:
            row = con.execute(query).first()
        return _participant(row) if row else None

    def participants_of(self, programme_id: int) -> list[Participant]:
        """Members of a programme, by id."""
        with self._read() as con:
            rows = con.execute(
                select(t.participants, t.memberships.c.role)
                .join(t.memberships, t.memberships.c.participant_id == t.participants.c.id)
                .where(t.memberships.c.programme_id == programme_id)
                .order_by(t.participants.c.id)
            ).all()
        return [_participant(r) for r in rows]

    def set_consent(self, participant_id: str, *, analysis: bool, matching: bool) -> None:
        """Change both consents now; the timestamp records when."""
        with self.transaction() as tx:
            tx.execute(
                update(t.participants)
                .where(t.participants.c.id == participant_id)
                .values(
                    consent_analysis=analysis, consent_matching=matching, consent_updated_at=_now()
                )
            )

    def known_names(self, programme_id: int) -> list[str]:
        """Given names of a programme's participants (for masking)."""
        with self._read() as con:
            rows = con.execute(
                select(t.participants.c.given_name)
                .join(t.memberships, t.memberships.c.participant_id == t.participants.c.id)
                .where(
                    t.memberships.c.programme_id == programme_id,
                    t.participants.c.given_name.is_not(None),
                )
            ).all()
        return sorted({r[0] for r in rows if r[0]})

    # -- groups -----------------------------------------------------------------------------

    def ensure_group_member(
        self, tx: Connection, programme_id: int, group: str, participant_id: str
    ) -> None:
        """Create the group if needed and add the participant to it."""
        found = tx.execute(
            select(t.groups.c.id).where(
                t.groups.c.programme_id == programme_id, t.groups.c.name == group
            )
        ).first()
        group_id = (
            int(found[0])
            if found
            else _new_id(tx.execute(insert(t.groups).values(programme_id=programme_id, name=group)))
        )
        exists = tx.execute(
            select(t.group_members).where(
                t.group_members.c.group_id == group_id,
                t.group_members.c.participant_id == participant_id,
            )
        ).first()
        if not exists:
            tx.execute(
                insert(t.group_members).values(group_id=group_id, participant_id=participant_id)
            )

    def find_groups(self, name: str) -> list[tuple[int, int, str]]:
        """(group id, programme id, name) of groups called ``name``."""
        with self._read() as con:
            rows = con.execute(
                select(t.groups.c.id, t.groups.c.programme_id, t.groups.c.name).where(
                    t.groups.c.name == name
                )
            ).all()
        return [(int(r[0]), int(r[1]), str(r[2])) for r in rows]

    def group_members(self, group_id: int) -> list[str]:
        """Participant ids of a group."""
        with self._read() as con:
            rows = con.execute(
                select(t.group_members.c.participant_id)
                .where(t.group_members.c.group_id == group_id)
                .order_by(t.group_members.c.participant_id)
            ).all()
        return [str(r[0]) for r in rows]

    def groups_of(self, programme_id: int) -> list[str]:
        """Group names of a programme."""
        with self._read() as con:
            rows = con.execute(
                select(t.groups.c.name)
                .where(t.groups.c.programme_id == programme_id)
                .order_by(t.groups.c.name)
            ).all()
        return [str(r[0]) for r in rows]

    # -- entries ----------------------------------------------------------------------------

    def entry_hashes(self, entry_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """Existing entries among ``entry_ids``: id → (content hash, participant id)."""
        ids = list(entry_ids)
        found: dict[str, tuple[str, str]] = {}
        with self._read() as con:
            for start in range(0, len(ids), 500):
                rows = con.execute(
                    select(
                        t.entries.c.id, t.entries.c.content_hash, t.entries.c.participant_id
                    ).where(t.entries.c.id.in_(ids[start : start + 500]))
                ).all()
                found.update({str(r[0]): (str(r[1]), str(r[2])) for r in rows})
        return found

    def add_entry(self, tx: Connection, entry: Entry, content_hash: str) -> None:
        """Insert one entry."""
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

    def put_derived(
        self,
        tx: Connection,
        entry_id: str,
        model_id: str,
        pool_key: str,
        vector: NDArray[np.float32],
        topic_scores: NDArray[np.float64],
        lemmas: Sequence[str],
        language: str,
        suggested: Sequence[tuple[str, float]],
    ) -> None:
        """Store an entry's embedding, topic scores and suggestions; mark it processed."""
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
                "updated_at": _now(),
            }
            for rank, (topic, score) in enumerate(suggested, 1)
            if topic not in kept
        ]
        if rows:
            tx.execute(insert(t.suggestions), rows)
        tx.execute(update(t.entries).where(t.entries.c.id == entry_id).values(status="processed"))

    def entries_of(
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
        with self._read() as con:
            rows = con.execute(query).all()
        return [_entry(r) for r in rows]

    def derived(self, entry_ids: Sequence[str], model_id: str, pool_key: str) -> StoredVectors:
        """Return stored embeddings and scores among ``entry_ids`` made by this model and pool.

        Rows of another model or pool are left out: the caller recomputes them.
        """
        by_id: dict[str, Any] = {}
        with self._read() as con:
            for start in range(0, len(entry_ids), 500):
                rows = con.execute(
                    select(t.entry_vectors).where(
                        t.entry_vectors.c.entry_id.in_(list(entry_ids[start : start + 500])),
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

    def entries_by_id(self, entry_ids: Sequence[str]) -> list[Entry]:
        """Return the entries among ``entry_ids`` that exist."""
        found: list[Entry] = []
        with self._read() as con:
            for start in range(0, len(entry_ids), 500):
                rows = con.execute(
                    select(t.entries).where(
                        t.entries.c.id.in_(list(entry_ids[start : start + 500]))
                    )
                ).all()
                found.extend(_entry(r) for r in rows)
        return found

    def pending_entries(self) -> list[Entry]:
        """Entries whose processing has not finished."""
        with self._read() as con:
            rows = con.execute(select(t.entries).where(t.entries.c.status == "pending")).all()
        return [_entry(r) for r in rows]

    # -- participant workspace (own entries, suggestion feedback) ---------------------------

    def update_entry_text(
        self, tx: Connection, entry_id: str, text: str, content_hash: str
    ) -> None:
        """Replace an entry's text; its derived data is rewritten by the caller."""
        tx.execute(
            update(t.entries)
            .where(t.entries.c.id == entry_id)
            .values(text=text, content_hash=content_hash, status="pending")
        )

    def clear_suggestions(self, tx: Connection, entry_id: str) -> int:
        """Delete every suggestion of an entry, accepted and dismissed ones included."""
        return int(
            tx.execute(delete(t.suggestions).where(t.suggestions.c.entry_id == entry_id)).rowcount
        )

    def suggestions_of(self, entry_ids: Sequence[str]) -> list[StoredSuggestion]:
        """Return stored suggestions of ``entry_ids``, by entry then rank."""
        found: list[StoredSuggestion] = []
        with self._read() as con:
            for start in range(0, len(entry_ids), 500):
                rows = con.execute(
                    select(t.suggestions)
                    .where(t.suggestions.c.entry_id.in_(list(entry_ids[start : start + 500])))
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
        with self.transaction() as tx:
            changed = tx.execute(
                update(t.suggestions)
                .where(t.suggestions.c.entry_id == entry_id, t.suggestions.c.topic_id == topic_id)
                .values(status=status, updated_at=_now())
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
        with self._read() as con:
            rows = con.execute(query).all()
        return [(str(r[0]), str(r[1])) for r in rows]

    # -- themes -----------------------------------------------------------------------------

    def save_theme_run(
        self,
        programme_id: int,
        fingerprint: str,
        summary: dict[str, Any],
        clusters: Sequence[dict[str, Any]],
        assignments: dict[str, str],
    ) -> int:
        """Store a clustering run with its clusters and assignments; return its id."""
        with self.transaction() as tx:
            run_id = _new_id(
                tx.execute(
                    insert(t.theme_runs).values(
                        programme_id=programme_id,
                        fingerprint=fingerprint,
                        created_at=_now(),
                        **summary,
                    )
                )
            )
            if clusters:
                tx.execute(
                    insert(t.theme_clusters),
                    [{"run_id": run_id, "position": i, **c} for i, c in enumerate(clusters)],
                )
            if assignments:
                tx.execute(
                    insert(t.theme_assignments),
                    [
                        {"run_id": run_id, "entry_id": e, "cluster_id": c}
                        for e, c in sorted(assignments.items())
                    ],
                )
            # Older runs of the programme are superseded: keep only the newest.
            tx.execute(
                delete(t.theme_runs).where(
                    t.theme_runs.c.programme_id == programme_id, t.theme_runs.c.id != run_id
                )
            )
        return run_id

    def latest_theme_run(
        self, programme_id: int
    ) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, str]] | None:
        """Return the newest stored run: (summary, clusters, assignments)."""
        with self._read() as con:
            run = con.execute(
                select(t.theme_runs)
                .where(t.theme_runs.c.programme_id == programme_id)
                .order_by(t.theme_runs.c.id.desc())
            ).first()
            if run is None:
                return None
            clusters = con.execute(
                select(t.theme_clusters)
                .where(t.theme_clusters.c.run_id == run.id)
                .order_by(t.theme_clusters.c.position)
            ).all()
            assigned = con.execute(
                select(t.theme_assignments.c.entry_id, t.theme_assignments.c.cluster_id).where(
                    t.theme_assignments.c.run_id == run.id
                )
            ).all()
        summary = dict(run._mapping)
        return (
            summary,
            [dict(c._mapping) for c in clusters],
            {str(a[0]): str(a[1]) for a in assigned},
        )

    # -- forum ------------------------------------------------------------------------------

    def choose_forum_topic(self, group_id: int, topic_id: str, session_date: date) -> bool:
        """Record a topic chosen for a forum date; False when it was recorded already."""
        with self.transaction() as tx:
            exists = tx.execute(
                select(t.forum_choices).where(
                    t.forum_choices.c.group_id == group_id,
                    t.forum_choices.c.topic_id == topic_id,
                    t.forum_choices.c.session_date == session_date,
                )
            ).first()
            if exists:
                return False
            tx.execute(
                insert(t.forum_choices).values(
                    group_id=group_id,
                    topic_id=topic_id,
                    session_date=session_date,
                    created_at=_now(),
                )
            )
        return True

    def forum_choices(self, group_id: int) -> list[tuple[str, date]]:
        """(topic id, session date) chosen for a group, oldest first."""
        with self._read() as con:
            rows = con.execute(
                select(t.forum_choices.c.topic_id, t.forum_choices.c.session_date)
                .where(t.forum_choices.c.group_id == group_id)
                .order_by(t.forum_choices.c.session_date, t.forum_choices.c.topic_id)
            ).all()
        return [(str(r[0]), r[1]) for r in rows]

    # -- erasure ----------------------------------------------------------------------------

    def erase_participant(self, participant_id: str) -> dict[str, int]:
        """Delete a participant and everything derived from them; return counts per table.

        Theme runs containing their entries are dropped too (recomputed on the next view),
        so no cluster keeps their sentences.
        """
        with self.transaction() as tx:
            entry_ids = [
                r[0]
                for r in tx.execute(
                    select(t.entries.c.id).where(t.entries.c.participant_id == participant_id)
                )
            ]
            counts: dict[str, int] = {}
            runs = (
                {
                    r[0]
                    for r in tx.execute(
                        select(t.theme_assignments.c.run_id).where(
                            t.theme_assignments.c.entry_id.in_(entry_ids)
                        )
                    )
                }
                if entry_ids
                else set()
            )
            counts["theme_runs"] = (
                tx.execute(delete(t.theme_runs).where(t.theme_runs.c.id.in_(runs))).rowcount
                if runs
                else 0
            )
            for name, table in (("suggestions", t.suggestions), ("vectors", t.entry_vectors)):
                counts[name] = (
                    tx.execute(delete(table).where(table.c.entry_id.in_(entry_ids))).rowcount
                    if entry_ids
                    else 0
                )
            counts["entries"] = tx.execute(
                delete(t.entries).where(t.entries.c.participant_id == participant_id)
            ).rowcount
            counts["group_memberships"] = tx.execute(
                delete(t.group_members).where(t.group_members.c.participant_id == participant_id)
            ).rowcount
            counts["memberships"] = tx.execute(
                delete(t.memberships).where(t.memberships.c.participant_id == participant_id)
            ).rowcount
            counts["participants"] = tx.execute(
                delete(t.participants).where(t.participants.c.id == participant_id)
            ).rowcount
        self._scrub()
        return counts

    def _scrub(self) -> None:
        """Flush the WAL and rebuild the file so deleted text leaves no trace (SQLite)."""
        if self.engine.dialect.name != "sqlite":
            return
        try:
            with self.engine.connect() as con:
                con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                con.commit()
                con.exec_driver_sql("VACUUM")
                con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                con.commit()
        except SQLAlchemyError as err:
            raise StorageError(f"Database error while scrubbing: {_reason(err)}") from err

    def count(self, table: str) -> int:
        """Rows in a table (for tests and reports)."""
        with self._read() as con:
            return int(
                con.execute(select(func.count()).select_from(t.metadata.tables[table])).scalar_one()
            )

    # -- accounts, consent history, audit, retention (issue #5) -----------------------------

    def add_user(
        self,
        username: str,
        role: str,
        password_hash: str | None,
        *,
        participant_id: str | None = None,
        oidc_subject: str | None = None,
        grants: Iterable[tuple[str, str]] = (),
    ) -> int:
        """Create an account with its grants ``(programme, group or "")``; return its id."""
        with self.transaction() as tx:
            user_id = _new_id(
                tx.execute(
                    insert(t.users).values(
                        username=username,
                        role=role,
                        password_hash=password_hash,
                        participant_id=participant_id,
                        oidc_subject=oidc_subject,
                        created_at=_now(),
                    )
                )
            )
            self._put_grants(tx, user_id, grants)
        return user_id

    def _put_grants(self, tx: Connection, user_id: int, grants: Iterable[tuple[str, str]]) -> None:
        rows = [
            {"user_id": user_id, "programme": p, "group_name": g} for p, g in sorted(set(grants))
        ]
        if rows:
            tx.execute(insert(t.role_grants), rows)

    def set_role(self, username: str, role: str, grants: Iterable[tuple[str, str]]) -> bool:
        """Replace an account's role and grants; False when the account does not exist."""
        with self.transaction() as tx:
            found = tx.execute(select(t.users.c.id).where(t.users.c.username == username)).first()
            if found is None:
                return False
            tx.execute(update(t.users).where(t.users.c.id == found[0]).values(role=role))
            tx.execute(delete(t.role_grants).where(t.role_grants.c.user_id == found[0]))
            self._put_grants(tx, int(found[0]), grants)
        return True

    def get_user(self, username: str) -> dict[str, Any] | None:
        """Return an account row with its ``grants`` (list of (programme, group)), or None."""
        return self._user(t.users.c.username == username)

    def user_by_oidc(self, subject: str) -> dict[str, Any] | None:
        """Return the account whose OIDC subject or user name is ``subject``, or None."""
        return self._user(t.users.c.oidc_subject == subject) or self.get_user(subject)

    def _user(self, condition: Any) -> dict[str, Any] | None:
        with self._read() as con:
            row = con.execute(select(t.users).where(condition)).first()
            if row is None:
                return None
            grants = con.execute(
                select(t.role_grants.c.programme, t.role_grants.c.group_name)
                .where(t.role_grants.c.user_id == row.id)
                .order_by(t.role_grants.c.programme, t.role_grants.c.group_name)
            ).all()
        user = dict(row._mapping)
        user["grants"] = [(str(g[0]), str(g[1])) for g in grants]
        return user

    def list_users(self) -> list[dict[str, Any]]:
        """Accounts by name, without password hashes."""
        with self._read() as con:
            names = [r[0] for r in con.execute(select(t.users.c.username))]
        users = [self.get_user(n) for n in sorted(names)]
        return [
            {k: v for k, v in u.items() if k != "password_hash"} for u in users if u is not None
        ]

    def users_of_participant(self, participant_id: str) -> list[str]:
        """User names of the accounts that speak for ``participant_id``."""
        with self._read() as con:
            rows = con.execute(
                select(t.users.c.username).where(t.users.c.participant_id == participant_id)
            ).all()
        return sorted(str(r[0]) for r in rows)

    def touch_sign_in(self, username: str) -> None:
        """Record a successful sign-in and clear the failure counter."""
        with self.transaction() as tx:
            tx.execute(
                update(t.users).where(t.users.c.username == username).values(last_sign_in_at=_now())
            )
            tx.execute(delete(t.login_failures).where(t.login_failures.c.username == username))

    def login_lock(self, username: str) -> datetime | None:
        """Return until when sign-in of ``username`` is locked (UTC), or None."""
        with self._read() as con:
            row = con.execute(
                select(t.login_failures.c.locked_until).where(
                    t.login_failures.c.username == username
                )
            ).first()
        return _aware(row[0]) if row and row[0] else None

    def record_login_failure(
        self, username: str, max_failures: int, lock_for: Any, now: datetime
    ) -> datetime | None:
        """Count a failed sign-in; from ``max_failures`` on lock for ``lock_for``.

        Returns the lock's end when this failure locked the name. Runs in one transaction, so
        concurrent processes count every failure.
        """
        with self.transaction() as tx:
            row = tx.execute(
                select(t.login_failures).where(t.login_failures.c.username == username)
            ).first()
            failures = (int(row.failures) if row else 0) + 1
            locked_until = now + lock_for if failures >= max_failures else None
            values = {"failures": failures, "locked_until": locked_until, "updated_at": now}
            if row is None:
                tx.execute(insert(t.login_failures).values(username=username, **values))
            else:
                if locked_until is not None:
                    values["failures"] = 0  # the lock is the consequence; count afresh after
                tx.execute(
                    update(t.login_failures)
                    .where(t.login_failures.c.username == username)
                    .values(**values)
                )
        return locked_until

    def change_consent(
        self, participant_id: str, *, analysis: bool, matching: bool, by: str
    ) -> bool:
        """Set both consents, append them to the history and drop stored theme runs.

        Theme runs of the person's programmes may hold their sentences: they are dropped in the
        same transaction and recomputed on the next view. False when the participant is unknown.
        """
        with self.transaction() as tx:
            now = _now()
            changed = tx.execute(
                update(t.participants)
                .where(t.participants.c.id == participant_id)
                .values(
                    consent_analysis=analysis, consent_matching=matching, consent_updated_at=now
                )
            ).rowcount
            if not changed:
                return False
            tx.execute(
                insert(t.consent_history).values(
                    participant_id=participant_id,
                    consent_analysis=analysis,
                    consent_matching=matching,
                    changed_at=now,
                    changed_by=by,
                )
            )
            programme_ids = select(t.memberships.c.programme_id).where(
                t.memberships.c.participant_id == participant_id
            )
            tx.execute(delete(t.theme_runs).where(t.theme_runs.c.programme_id.in_(programme_ids)))
        self._scrub()
        return True

    def consent_history(self, participant_id: str) -> list[dict[str, Any]]:
        """Consent changes of a participant, oldest first."""
        with self._read() as con:
            rows = con.execute(
                select(t.consent_history)
                .where(t.consent_history.c.participant_id == participant_id)
                .order_by(t.consent_history.c.id)
            ).all()
        return [
            {
                "analysis": bool(r.consent_analysis),
                "matching": bool(r.consent_matching),
                "changed_at": _aware(r.changed_at).isoformat(),
                "changed_by": r.changed_by,
            }
            for r in rows
        ]

    def group_names_of(self, participant_id: str) -> list[tuple[str, str]]:
        """(programme name, group name) of the groups a participant belongs to."""
        with self._read() as con:
            rows = con.execute(
                select(t.programmes.c.name, t.groups.c.name)
                .join(t.groups, t.groups.c.programme_id == t.programmes.c.id)
                .join(t.group_members, t.group_members.c.group_id == t.groups.c.id)
                .where(t.group_members.c.participant_id == participant_id)
                .order_by(t.programmes.c.name, t.groups.c.name)
            ).all()
        return [(str(r[0]), str(r[1])) for r in rows]

    def append_audit(
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
        """Append one audit row. There is deliberately no update or delete for this table."""
        with self.transaction() as tx:
            tx.execute(
                insert(t.audit_log).values(
                    at=_now(),
                    actor=actor,
                    action=action,
                    outcome=outcome,
                    programme=programme,
                    group_name=group,
                    subject=subject,
                    detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
                )
            )

    def audit_rows(
        self, *, about: Sequence[str] | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Return audit rows, newest first; ``about`` keeps rows whose subject or actor is named."""
        query = select(t.audit_log).order_by(t.audit_log.c.id.desc())
        if about is not None:
            names = list(about)
            query = query.where(t.audit_log.c.subject.in_(names) | t.audit_log.c.actor.in_(names))
        if limit is not None:
            query = query.limit(limit)
        with self._read() as con:
            rows = con.execute(query).all()
        return [
            {
                "id": int(r.id),
                "at": _aware(r.at).isoformat(),
                "actor": r.actor,
                "action": r.action,
                "outcome": r.outcome,
                "programme": r.programme,
                "group": r.group_name,
                "subject": r.subject,
                "detail": json.loads(r.detail or "{}"),
            }
            for r in rows
        ]

    def retention_due(self, today: date) -> list[tuple[Programme, date, list[str]]]:
        """Programmes past their retention date with the ids of the entries to delete.

        The date is ``ends_on`` plus ``retention_months``; programmes without an end are kept.
        """
        due: list[tuple[Programme, date, list[str]]] = []
        with self._read() as con:
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
                due.append((_programme(row), deadline, ids))
        return due

    def erase_entries(self, entry_ids: Sequence[str]) -> dict[str, int]:
        """Delete entries with their derived data and the theme runs that contain them."""
        counts = {"theme_runs": 0, "suggestions": 0, "vectors": 0, "entries": 0}
        with self.transaction() as tx:
            for start in range(0, len(entry_ids), 500):
                chunk = list(entry_ids[start : start + 500])
                runs = select(t.theme_assignments.c.run_id).where(
                    t.theme_assignments.c.entry_id.in_(chunk)
                )
                counts["theme_runs"] += tx.execute(
                    delete(t.theme_runs).where(t.theme_runs.c.id.in_(runs))
                ).rowcount
                for name, table in (("suggestions", t.suggestions), ("vectors", t.entry_vectors)):
                    counts[name] += tx.execute(
                        delete(table).where(table.c.entry_id.in_(chunk))
                    ).rowcount
                counts["entries"] += tx.execute(
                    delete(t.entries).where(t.entries.c.id.in_(chunk))
                ).rowcount
        self._scrub()
        return counts


def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _programme(row: Any) -> Programme:
    return Programme(
        id=int(row.id),
        name=row.name,
        kind=row.kind,
        description=row.description or "",
        starts_on=row.starts_on,
        ends_on=row.ends_on,
    )


def _participant(row: Any) -> Participant:
    return Participant(
        id=row.id,
        organisation=row.organisation or "",
        role=row.role,
        age_band=row.age_band,
        consent_analysis=bool(row.consent_analysis),
        consent_matching=bool(row.consent_matching),
        given_name=row.given_name,
    )


def _entry(row: Any) -> Entry:
    return Entry(
        id=row.id,
        programme_id=int(row.programme_id),
        participant_id=row.participant_id,
        kind=row.kind,
        text=row.text,
        created_at=row.created_at,
        stage=row.stage,
        status=row.status,
    )


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored one is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the last day of a shorter month)."""
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
