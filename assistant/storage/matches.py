"""MatchStore: drafts and published results of cohort matching, and the coordinator's rules.

One draft and one published run per programme and mode (``pairs`` or ``groups``). Rows that
name a person reference them with ON DELETE CASCADE (``tables.match_items``), so an erasure
takes their pairs and rules with it without code here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import and_, delete, insert, or_, select

from assistant.storage import tables as t
from assistant.storage.engine import Database, Tx, new_id, now
from assistant.storage.records import StoredMatchItem, StoredMatchRule, StoredMatchRun

__all__ = ["MatchStore"]


class MatchStore:
    """Matching runs (draft, published) and rules (lock, exclude) per programme and mode."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- runs -------------------------------------------------------------------------------

    def save(self, programme_id: int, run: StoredMatchRun, *, by: str) -> None:
        """Store ``run`` as the programme's draft or published run, replacing the previous one."""
        with self.db.transaction() as tx:
            self._delete(tx, programme_id, run.mode, run.status)
            run_id = new_id(
                tx.execute(
                    insert(t.match_runs).values(
                        programme_id=programme_id,
                        mode=run.mode,
                        status=run.status,
                        objective=run.objective,
                        gap=run.gap,
                        solver=run.solver,
                        binding=json.dumps(list(run.binding), ensure_ascii=False),
                        created_at=now(),
                        created_by=by,
                    )
                )
            )
            if run.items:
                tx.execute(
                    insert(t.match_items),
                    [
                        {
                            "run_id": run_id,
                            "item": i.item,
                            "participant_id": i.participant,
                            "partner_id": i.partner,
                            "group_key": i.group,
                            "score": i.score,
                            "detail": json.dumps(i.detail, ensure_ascii=False),
                        }
                        for i in run.items
                    ],
                )

    def get(self, programme_id: int, mode: str, status: str) -> StoredMatchRun | None:
        """Return the programme's draft or published run of ``mode``, or None."""
        with self.db.read() as con:
            run = con.execute(
                select(t.match_runs).where(
                    t.match_runs.c.programme_id == programme_id,
                    t.match_runs.c.mode == mode,
                    t.match_runs.c.status == status,
                )
            ).first()
            if run is None:
                return None
            rows = con.execute(
                select(t.match_items)
                .where(t.match_items.c.run_id == run.id)
                .order_by(t.match_items.c.id)
            ).all()
        return StoredMatchRun(
            mode=run.mode,
            status=run.status,
            objective=float(run.objective),
            gap=None if run.gap is None else float(run.gap),
            solver=run.solver,
            binding=tuple(json.loads(run.binding or "[]")),
            items=tuple(
                StoredMatchItem(
                    item=r.item,
                    participant=r.participant_id,
                    partner=r.partner_id,
                    group=r.group_key,
                    score=None if r.score is None else float(r.score),
                    detail=json.loads(r.detail or "{}"),
                )
                for r in rows
            ),
            created_at=run.created_at,
            created_by=run.created_by,
        )

    def drop(self, programme_id: int, mode: str, status: str) -> None:
        """Delete the programme's run of ``mode`` and ``status`` (if any)."""
        with self.db.transaction() as tx:
            self._delete(tx, programme_id, mode, status)

    def drop_drafts_of(self, programme_ids: Iterable[int]) -> int:
        """Delete every draft of the programmes (a person left: drafts are recomputed)."""
        ids = list(programme_ids)
        if not ids:
            return 0
        with self.db.transaction() as tx:
            return int(
                tx.execute(
                    delete(t.match_runs).where(
                        t.match_runs.c.programme_id.in_(ids), t.match_runs.c.status == "draft"
                    )
                ).rowcount
            )

    @staticmethod
    def _delete(tx: Tx, programme_id: int, mode: str, status: str) -> None:
        tx.execute(
            delete(t.match_runs).where(
                t.match_runs.c.programme_id == programme_id,
                t.match_runs.c.mode == mode,
                t.match_runs.c.status == status,
            )
        )

    # -- the coordinator's rules ------------------------------------------------------------

    def add_rule(self, programme_id: int, mode: str, rule: StoredMatchRule, *, by: str) -> bool:
        """Store a lock or exclusion; False when it was there already.

        A lock replaces an exclusion of the same pair (and the other way round): the newest
        word of the coordinator counts.
        """
        same = and_(
            t.match_rules.c.programme_id == programme_id,
            t.match_rules.c.mode == mode,
            t.match_rules.c.participant_id == rule.participant,
            (t.match_rules.c.other_id == rule.other)
            if rule.other is not None
            else t.match_rules.c.other_id.is_(None),
            (t.match_rules.c.group_key == rule.group)
            if rule.group is not None
            else t.match_rules.c.group_key.is_(None),
        )
        with self.db.transaction() as tx:
            found = tx.execute(select(t.match_rules.c.rule).where(same)).all()
            if [r.rule for r in found] == [rule.rule]:
                return False
            tx.execute(delete(t.match_rules).where(same))
            tx.execute(
                insert(t.match_rules).values(
                    programme_id=programme_id,
                    mode=mode,
                    rule=rule.rule,
                    participant_id=rule.participant,
                    other_id=rule.other,
                    group_key=rule.group,
                    created_at=now(),
                    created_by=by,
                )
            )
        return True

    def rules(self, programme_id: int, mode: str) -> list[StoredMatchRule]:
        """Return the programme's locks and exclusions of ``mode``, oldest first."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.match_rules)
                .where(t.match_rules.c.programme_id == programme_id, t.match_rules.c.mode == mode)
                .order_by(t.match_rules.c.id)
            ).all()
        return [StoredMatchRule(r.rule, r.participant_id, r.other_id, r.group_key) for r in rows]

    def drop_rules_of(self, programme_id: int, mode: str, participant_id: str) -> int:
        """Delete the rules naming a person in a programme (a re-match starts them afresh)."""
        with self.db.transaction() as tx:
            return int(
                tx.execute(
                    delete(t.match_rules).where(
                        t.match_rules.c.programme_id == programme_id,
                        t.match_rules.c.mode == mode,
                        or_(
                            t.match_rules.c.participant_id == participant_id,
                            t.match_rules.c.other_id == participant_id,
                        ),
                        t.match_rules.c.rule == "lock",
                    )
                ).rowcount
            )
