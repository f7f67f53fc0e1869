"""Workspace: a participant's own entries and the topic suggestions on them."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from assistant.domain import (
    ENTRY_KINDS,
    STAGES,
    Entry,
    Programme,
    SuggestionResult,
    TopicSuggestion,
    content_hash,
)
from assistant.errors import AccessDenied, InvalidEntryError
from assistant.nlp.text import validate_text
from assistant.services.analyses import Analyses
from assistant.storage import Stores
from assistant.storage.records import StoredSuggestion

__all__ = ["SUGGESTION_STATUSES", "EntrySuggestions", "Workspace"]

log = logging.getLogger(__name__)

SUGGESTION_STATUSES = ("suggested", "accepted", "dismissed")


@dataclass(frozen=True)
class EntrySuggestions:
    """One's own entry with its stored suggestions (fresh evidence) and their statuses."""

    entry: Entry
    result: SuggestionResult
    status: dict[str, str]  # topic id -> suggested | accepted | dismissed


class Workspace:
    """Write, edit and read one's own entries; accept or dismiss suggestions."""

    def __init__(self, stores: Stores, analyses: Analyses) -> None:
        self.stores = stores
        self.analyses = analyses

    def add_entry(
        self,
        participant_id: str,
        programme: Programme,
        kind: str,
        text: str,
        stage: str | None = None,
        *,
        created_at: date | None = None,
    ) -> Entry:
        """Save a new goal, offer or reflection, then analyse it.

        The entry is committed before any NLP runs; if analysis fails it stays ``pending``
        (completed at the next start or by ``assistant reprocess``) and is returned as such.

        Raises
        ------
        InvalidEntryError
            Invalid text (``empty``, ``too_long``, ...), kind (``bad_kind``) or stage
            (``bad_stage``).
        """
        if kind not in ENTRY_KINDS:
            raise InvalidEntryError(f"kind: must be one of {', '.join(ENTRY_KINDS)}.", "bad_kind")
        if stage is not None and stage not in STAGES:
            raise InvalidEntryError(f"stage: must be one of {', '.join(STAGES)}.", "bad_stage")
        cleaned = validate_text(text)
        entry = Entry(
            id=f"w-{uuid.uuid4().hex}",  # random, so ids reveal nothing about the text
            programme_id=programme.id,
            participant_id=participant_id,
            kind=kind,
            text=cleaned,
            created_at=created_at or date.today(),
            # Stages exist only in peer-group programmes.
            stage=stage if programme.kind == "peer_group" else None,
            status="pending",
        )
        with self.stores.db.transaction() as tx:
            self.stores.entries.add(tx, entry, _hash(programme, entry))
        return self._process(entry)

    def edit_entry(self, participant_id: str, entry_id: str, text: str) -> Entry:
        """Replace the text of one's own entry; re-analyse it and reset its suggestions.

        Raises
        ------
        AccessDenied
            The entry belongs to someone else.
        InvalidEntryError
            Unknown entry (``unknown_entry``) or invalid text.
        """
        entry = self.own_entry(participant_id, entry_id)
        cleaned = validate_text(text)
        if cleaned == entry.text:
            return entry
        programme = next(
            p
            for p in self.stores.programmes.of_participant(participant_id)
            if p.id == entry.programme_id
        )
        edited = replace(entry, text=cleaned, status="pending")
        with self.stores.db.transaction() as tx:
            self.stores.entries.update_text(tx, entry_id, cleaned, _hash(programme, edited))
            # Feedback on the old text does not hold for the new one.
            self.stores.entries.clear_suggestions(tx, entry_id)
        self.analyses.forget([entry.text])
        return self._process(edited)

    def _process(self, entry: Entry) -> Entry:
        try:
            self.analyses.complete([entry])
        except Exception:  # a stage failure must not lose the participant's text
            log.exception("analysis failed; entry %s stays pending", entry.id)
            return entry
        return replace(entry, status="processed")

    def entries(self, participant_id: str, programme: Programme | None = None) -> list[Entry]:
        """Return a participant's own entries (in ``programme`` or all), oldest first."""
        if programme is not None:
            return self.stores.entries.of_programme(programme.id, participant_id=participant_id)
        return self.stores.entries.of_participant(participant_id)

    def own_entry(self, participant_id: str, entry_id: str) -> Entry:
        """Return an entry of ``participant_id``; someone else's is ``AccessDenied``."""
        found = self.stores.entries.by_id([entry_id])
        if not found:
            raise InvalidEntryError(f"Unknown entry '{entry_id}'.", "unknown_entry")
        if found[0].participant_id != participant_id:
            raise AccessDenied(
                f"'{participant_id}' may not change entry '{entry_id}'.", "entries.write"
            )
        return found[0]

    def suggestions_of(
        self, participant_id: str, entry_ids: Sequence[str]
    ) -> dict[str, list[StoredSuggestion]]:
        """Return stored suggestions per own entry id, best first (none: absent)."""
        own = {
            e.id for e in self.stores.entries.by_id(entry_ids) if e.participant_id == participant_id
        }
        found: dict[str, list[StoredSuggestion]] = {}
        for suggestion in self.stores.entries.suggestions_of([i for i in entry_ids if i in own]):
            found.setdefault(suggestion.entry_id, []).append(suggestion)
        return found

    def set_suggestion_status(
        self, participant_id: str, entry_id: str, topic_id: str, status: str
    ) -> None:
        """Accept, dismiss or restore a suggestion of one's own entry.

        Raises
        ------
        AccessDenied
            The entry belongs to someone else.
        InvalidEntryError
            ``bad_status``, ``unknown_entry`` or ``unknown_suggestion``.
        """
        if status not in SUGGESTION_STATUSES:
            raise InvalidEntryError(
                f"status: must be one of {', '.join(SUGGESTION_STATUSES)}.", "bad_status"
            )
        self.own_entry(participant_id, entry_id)
        if not self.stores.entries.set_suggestion_status(entry_id, topic_id, status):
            raise InvalidEntryError(
                f"Topic '{topic_id}' was not suggested for entry '{entry_id}'.",
                "unknown_suggestion",
            )

    def entry_suggestions(self, participant_id: str, entry_id: str) -> EntrySuggestions:
        """Return the stored suggestions of one's own entry, with fresh evidence and statuses.

        The stored rows decide which topics and scores are shown; the text is analysed again
        only to point at the sentences and keywords behind each topic.
        """
        entry = self.own_entry(participant_id, entry_id)
        stored = self.suggestions_of(participant_id, [entry_id]).get(entry_id, [])
        analyzer = self.analyses.analyzer_for(entry.programme_id)
        fresh = analyzer.analyse([entry.text], k=max(3, len(stored)))[0].result
        by_topic = {s.topic_id: s for s in fresh.topics}
        labels = analyzer.labels()
        strength = analyzer.suggester.strength
        probability = analyzer.suggester.probability
        topics = tuple(
            replace(
                by_topic[s.topic_id],
                score=s.score,
                strength=strength(s.topic_id, s.score),
                probability=probability(s.score),
            )
            if s.topic_id in by_topic
            else TopicSuggestion(
                s.topic_id,
                labels.get(s.topic_id, s.topic_id),
                s.score,
                (),
                (),
                strength(s.topic_id, s.score),
            )
            for s in stored
        )
        return EntrySuggestions(
            entry=entry,
            result=SuggestionResult(fresh.language, topics, no_fit=not topics),
            status={s.topic_id: s.status for s in stored},
        )


def _hash(programme: Programme, entry: Entry) -> str:
    """Return the importer's content hash, so a later re-import of the same row matches."""
    return content_hash(
        programme.name, entry.participant_id, entry.kind, entry.text, entry.created_at
    )
