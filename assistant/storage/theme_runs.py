"""ThemeRunStore: stored clusterings of a programme, and the forum topics chosen for groups."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import delete, insert, select

from assistant.storage import tables as t
from assistant.storage.engine import Database, Tx, new_id, now
from assistant.storage.records import ForumChoice, StoredCluster, StoredThemeRun

__all__ = ["ThemeRunStore"]


class ThemeRunStore:
    """The newest clustering run per programme, and forum choices per group."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, programme_id: int, run: StoredThemeRun) -> int:
        """Store a clustering run, superseding older runs of the programme; return its id."""
        with self.db.transaction() as tx:
            run_id = new_id(
                tx.execute(
                    insert(t.theme_runs).values(
                        programme_id=programme_id,
                        fingerprint=run.fingerprint,
                        created_at=now(),
                        n_entries=run.n_entries,
                        n_boilerplate=run.n_boilerplate,
                        n_duplicates=run.n_duplicates,
                        too_few=run.too_few,
                    )
                )
            )
            if run.clusters:
                tx.execute(
                    insert(t.theme_clusters),
                    [
                        {
                            "run_id": run_id,
                            "position": i,
                            "cluster_id": c.cluster_id,
                            "label": c.label,
                            "keywords": json.dumps(list(c.keywords), ensure_ascii=False),
                            "size": c.size,
                            "n_entries": c.n_entries,
                            "topic": c.topic,
                            "emerging": c.emerging,
                            "sentences": json.dumps(list(c.sentences), ensure_ascii=False),
                        }
                        for i, c in enumerate(run.clusters)
                    ],
                )
            if run.assignments:
                tx.execute(
                    insert(t.theme_assignments),
                    [
                        {"run_id": run_id, "entry_id": e, "cluster_id": c}
                        for e, c in sorted(run.assignments.items())
                    ],
                )
            tx.execute(
                delete(t.theme_runs).where(
                    t.theme_runs.c.programme_id == programme_id, t.theme_runs.c.id != run_id
                )
            )
        return run_id

    def latest(self, programme_id: int) -> StoredThemeRun | None:
        """Return the newest stored run of a programme, or None."""
        with self.db.read() as con:
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
        return StoredThemeRun(
            fingerprint=str(run.fingerprint),
            n_entries=int(run.n_entries),
            n_boilerplate=int(run.n_boilerplate),
            n_duplicates=int(run.n_duplicates),
            too_few=bool(run.too_few),
            clusters=tuple(
                StoredCluster(
                    cluster_id=str(c.cluster_id),
                    label=str(c.label),
                    keywords=tuple(json.loads(c.keywords)),
                    size=int(c.size),
                    n_entries=int(c.n_entries),
                    topic=c.topic,
                    emerging=bool(c.emerging),
                    sentences=tuple(json.loads(c.sentences)),
                )
                for c in clusters
            ),
            assignments={str(a[0]): str(a[1]) for a in assigned},
        )

    def drop_of_participant(self, tx: Tx, participant_id: str) -> int:
        """Drop the runs of every programme of a participant (they may hold their sentences)."""
        programme_ids = select(t.memberships.c.programme_id).where(
            t.memberships.c.participant_id == participant_id
        )
        return int(
            tx.execute(
                delete(t.theme_runs).where(t.theme_runs.c.programme_id.in_(programme_ids))
            ).rowcount
        )

    # -- forum ------------------------------------------------------------------------------

    def choose_forum_topic(self, group_id: int, topic_id: str, session_date: date) -> bool:
        """Record a topic chosen for a forum date; False when it was recorded already."""
        with self.db.transaction() as tx:
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
                    created_at=now(),
                )
            )
        return True

    def forum_choices(self, group_id: int) -> list[ForumChoice]:
        """Topics chosen for a group's forum, oldest first."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.forum_choices.c.topic_id, t.forum_choices.c.session_date)
                .where(t.forum_choices.c.group_id == group_id)
                .order_by(t.forum_choices.c.session_date, t.forum_choices.c.topic_id)
            ).all()
        return [ForumChoice(str(r[0]), r[1]) for r in rows]
