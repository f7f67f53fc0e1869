"""Privacy: consent with immediate effect, the data export, erasure, retention.

Every deletion goes through ``ErasureStore`` (one path), then the embedding cache and the
built peer indexes forget the same texts and people.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from assistant.domain import Participant, Programme
from assistant.services.analyses import Analyses
from assistant.services.learning import Learning
from assistant.services.lookups import Lookups
from assistant.services.peering import Peering
from assistant.storage import Stores
from assistant.storage.files import erase_from_rejects

__all__ = ["EXPORT_FORMAT", "Privacy", "erasure_digest"]

EXPORT_FORMAT = "mentoring-assistant-export/1"


def erasure_digest(participant_id: str, key: bytes) -> str:
    """Return the audit subject of an erasure: a keyed hash of the id, not the id itself.

    Keyed (HMAC-SHA-256 with the data folder's secret): short pseudonymous ids could be
    guessed and tested against a plain hash by anyone who reads the log.
    """
    digest = hmac.new(key, participant_id.encode(), hashlib.sha256).hexdigest()
    return "erased:" + digest[:32]


class Privacy:
    """The rights of the people in a programme, carried out across storage, cache and indexes."""

    def __init__(
        self,
        stores: Stores,
        analyses: Analyses,
        lookups: Lookups,
        peering: Peering,
        key: Callable[[], bytes],
        data_path: Path,
        learning: Learning | None = None,
    ) -> None:
        self.stores = stores
        self.analyses = analyses
        self.lookups = lookups
        self.peering = peering
        self.key = key  # read when first needed: a text-only command never creates the file
        self.data_path = data_path
        self.learning = learning  # feedback learned from: a person's goes with them

    def set_consent(
        self, participant_id: str, *, analysis: bool | None, matching: bool | None, by: str
    ) -> Participant:
        """Change consents now, kept in the history; ``None`` keeps a consent as it is.

        Stored theme runs of the person's programmes are dropped in the same transaction (they
        may hold their sentences), so the next view clusters without (or with) them; built
        peer indexes drop or add them at once.
        """
        person = self.lookups.person(participant_id)
        new_analysis = person.consent_analysis if analysis is None else analysis
        new_matching = person.consent_matching if matching is None else matching
        with self.stores.db.transaction() as tx:
            self.stores.programmes.change_consent(
                tx, participant_id, analysis=new_analysis, matching=new_matching, by=by
            )
            self.stores.theme_runs.drop_of_participant(tx, participant_id)
            self.stores.programmes.touch_of_participant(tx, participant_id)
        self.stores.db.scrub()
        if person.consent_matching and not new_matching:  # out of every draft at once
            self.stores.matches.drop_drafts_of(
                p.id for p in self.stores.programmes.of_participant(participant_id)
            )
        if person.consent_analysis and not new_analysis:  # learned examples go at once
            self.scrub_pools([e.text for e in self.stores.entries.of_participant(participant_id)])
            if self.learning is not None:
                self.learning.remove_person(participant_id)
        programmes = self.stores.programmes.of_participant(participant_id)
        self.peering.refresh({p.id: {participant_id} for p in programmes})
        return self.lookups.person(participant_id)

    def export(self, participant_id: str, accounts: list[dict[str, Any]]) -> dict[str, Any]:
        """All data about a participant as JSON-ready dicts (Art. 15/20 GDPR).

        ``accounts`` are the account rows (no hashes) as the account service lists them.
        """
        person = self.lookups.person(participant_id)
        programmes = self.stores.programmes.of_participant(participant_id)
        memberships = [
            (p, self.stores.programmes.participant(participant_id, p.id)) for p in programmes
        ]
        entries = [
            (p, e)
            for p in programmes
            for e in self.stores.entries.of_programme(p.id, participant_id=participant_id)
        ]
        usernames = self.stores.accounts.of_participant(participant_id)
        names = {p.id: p.name for p in programmes}
        return {
            "format": EXPORT_FORMAT,
            "participant": {
                "id": person.id,
                "organisation": person.organisation,
                "age_band": person.age_band,
                "given_name": person.given_name,
                "consent_analysis": person.consent_analysis,
                "consent_matching": person.consent_matching,
                "programmes": [_membership(p, member or person) for p, member in memberships],
                "groups": [
                    {"programme": p, "group": g}
                    for p, g in self.stores.programmes.group_names_of(participant_id)
                ],
            },
            "accounts": [
                {k: v for k, v in u.items() if k in ("username", "role", "created_at")}
                for u in accounts
                if u["username"] in usernames
            ],
            "entries": [
                {
                    "id": e.id,
                    "programme": p.name,
                    "kind": e.kind,
                    "stage": e.stage,
                    "text": e.text,
                    "created_at": e.created_at.isoformat(),
                }
                for p, e in entries
            ],
            "suggestions": [
                {
                    "entry_id": s.entry_id,
                    "topic_id": s.topic_id,
                    "score": s.score,
                    "rank": s.rank,
                    "status": s.status,
                }
                for s in self.stores.entries.suggestions_of([e.id for _, e in entries])
            ],
            # The tandem's goal agreements, every version with its confirmations: the person
            # wrote or confirmed them together with their partner.
            "agreements": [
                {"programme": names.get(a.programme_id, ""), **a.as_dict()}
                for a in self.stores.agreements.of_participant(participant_id)
            ],
            # The tandem's logged meetings with progress; private notes only the person's own.
            "meetings": [
                {"programme": names.get(m.programme_id, ""), **m.as_dict()}
                for m in self.stores.meetings.of_participant(participant_id)
            ],
            # Check-ins after peer-group sessions, with the person's own private notes.
            "group_checkins": self.stores.group_sessions.of_participant(participant_id),
            # The end-of-programme questionnaire: the person's own values (the free text, if
            # any, is among the entries).
            "questionnaire": [
                {"programme": names.get(a.programme_id, ""), **a.as_dict()}
                for a in self.stores.questionnaire.of_participant(participant_id)
            ],
            # Feedback the programme's suggester learns from, as stored (masked).
            "learned_feedback": [
                {
                    "programme": names.get(f.programme_id, ""),
                    "entry_id": f.entry_id,
                    "topic_id": f.topic_id,
                    "kind": f.kind,
                    "text": f.text,
                }
                for f in self.stores.learning.of_participant(participant_id)
            ],
            "consent_history": [
                c.as_dict() for c in self.stores.programmes.consent_history(participant_id)
            ],
            "audit": [
                r.as_dict() for r in self.stores.audit.rows(about=[participant_id, *usernames])
            ],
        }

    def digest(self, participant_id: str) -> str:
        """Return the erasure digest of an id under this data folder's key."""
        return erasure_digest(participant_id, self.key())

    def erase(self, participant_id: str) -> dict[str, int]:
        """Remove a person's entries, derived data, cache and index entries everywhere."""
        self.lookups.person(participant_id)  # unknown_participant before anything is deleted
        programmes = self.stores.programmes.of_participant(participant_id)
        texts = [e.text for e in self.stores.entries.of_participant(participant_id)]
        accounts = len(self.stores.accounts.of_participant(participant_id))
        taught = self.learning.programmes_of(participant_id) if self.learning else []
        # Drafts may name them in the coordinator's trade-offs: recomputed without them.
        counts = {"match_drafts": self.stores.matches.drop_drafts_of(p.id for p in programmes)}
        counts.update(self.stores.erasure.erase_participant(participant_id))
        counts["cache"] = self.analyses.forget(texts)
        counts["index"] = self.peering.remove(participant_id, {p.id for p in programmes})
        counts["files"] = erase_from_rejects(self.data_path, participant_id)
        counts["pools"] = self.scrub_pools(texts)
        counts["accounts"] = accounts
        if self.learning is not None:  # rows went with the person; the fits follow now
            counts["learned"] = self.learning.remove_person(participant_id, taught)
        return counts

    def scrub_pools(self, texts: list[str]) -> int:
        """Take examples learned from ``texts`` out of edited pools; return files changed."""
        changed, removed = self.analyses.pools.scrub(texts)
        self.analyses.forget(removed)
        return changed

    def run_retention(self, today: date, *, dry_run: bool) -> dict[str, Any]:
        """Delete the entries of programmes past their retention date.

        Entries go with their derived data, suggestions, cache rows and theme runs, through the
        same path as an erasure; built peer indexes of those programmes are dropped; so are the
        tandems' goal agreements (every version), their meetings, the questionnaire's answers
        and the peer groups' sessions with their check-ins.
        """
        report: list[dict[str, Any]] = []
        for due in self.stores.erasure.retention_due(today):
            prog = due.programme
            item: dict[str, Any] = {
                "programme": prog.name,
                "ends_on": prog.ends_on.isoformat() if prog.ends_on else None,
                "delete_after": due.delete_after.isoformat(),
                "entries": len(due.entry_ids),
                "agreements": len(
                    {(a.mentee, a.mentor) for a in self.stores.agreements.of_programme(prog.id)}
                ),
                "meetings": self.stores.meetings.count_of_programme(prog.id),
                "group_sessions": self.stores.group_sessions.count_of_programme(prog.id),
                "questionnaire": len(self.stores.questionnaire.of_programme(prog.id)),
            }
            if not dry_run and due.entry_ids:
                texts = [e.text for e in self.stores.entries.by_id(due.entry_ids)]
                item["removed"] = self.stores.erasure.erase_entries(due.entry_ids)
                item["removed"]["cache"] = self.analyses.forget(texts)
                item["removed"]["pools"] = self.scrub_pools(texts)
                self.peering.drop(prog.id)
            if not dry_run and item["agreements"]:
                item.setdefault("removed", {})["agreements"] = (
                    self.stores.agreements.delete_of_programme(prog.id)
                )
            if not dry_run and item["meetings"]:
                item.setdefault("removed", {})["meetings"] = (
                    self.stores.meetings.delete_of_programme(prog.id)
                )
            if not dry_run and item["group_sessions"]:
                item.setdefault("removed", {})["group_sessions"] = (
                    self.stores.group_sessions.delete_of_programme(prog.id)
                )
            if not dry_run and item["questionnaire"]:
                item.setdefault("removed", {})["questionnaire"] = (
                    self.stores.questionnaire.delete_of_programme(prog.id)
                )
            report.append(item)
        return {"today": today.isoformat(), "dry_run": dry_run, "programmes": report}


def _membership(programme: Programme, member: Participant) -> dict[str, Any]:
    """One programme of the export: the person's role and what the imports set there."""
    return {
        "name": programme.name,
        "kind": programme.kind,
        "role": member.role,
        "capacity": member.capacity,
        "level": member.level,
        "email": member.email,
    }
