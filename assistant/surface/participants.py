"""The participant's part of the ``Assistant``: own entries, suggestions, peers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from assistant.domain import Entry, Programme
from assistant.policy import Action, Principal
from assistant.services.peering import PeerMode, PeerResult, PeerView
from assistant.services.workspace import EntrySuggestions
from assistant.storage.records import StoredSuggestion
from assistant.surface.base import SurfaceBase, _pid

__all__ = ["ParticipantSurface"]


class ParticipantSurface(SurfaceBase):
    """Checked methods on one's own entries and peers."""

    # -- a participant's workspace -----------------------------------------------------------

    def my_programme(self, who: Principal | None, programme: str) -> Programme:
        """Return one of the signed-in participant's programmes."""
        me = self._own(who, Action.READ_OWN_ENTRIES, programme)
        return self._services().lookups.participant_programme(_pid(me), programme)

    def entries(
        self,
        who: Principal | None,
        programme: str | None = None,
        *,
        participant_id: str | None = None,
    ) -> list[Entry]:
        """Return one's own entries (in ``programme`` or all); anyone else's is refused."""
        target = participant_id or (who.participant_id if who else None)
        me = self._allow(who, Action.READ_OWN_ENTRIES, programme=programme, participant_id=target)
        prog = (
            self._services().lookups.participant_programme(_pid(me), programme)
            if programme
            else None
        )
        found = self._services().workspace.entries(_pid(me), prog)
        self._audit(me, Action.READ_OWN_ENTRIES, programme=programme, subject=_pid(me))
        return found

    def add_entry(
        self,
        who: Principal | None,
        programme: str,
        kind: str,
        text: str,
        stage: str | None = None,
        *,
        created_at: date | None = None,
    ) -> Entry:
        """Save a new goal, offer or reflection of the signed-in participant, then analyse it."""
        me = self._own(who, Action.WRITE_OWN_ENTRIES, programme)
        prog = self._services().lookups.participant_programme(_pid(me), programme)
        entry = self._services().workspace.add_entry(
            _pid(me), prog, kind, text, stage, created_at=created_at
        )
        self._services().peering.refresh({prog.id: {_pid(me)}})
        self._audit(me, Action.WRITE_OWN_ENTRIES, programme=prog.name, subject=_pid(me))
        return entry

    def edit_entry(self, who: Principal | None, entry_id: str, text: str) -> Entry:
        """Replace the text of one's own entry; re-analyse it and reset its suggestions."""
        me = self._own(who, Action.WRITE_OWN_ENTRIES, None)
        before = self._services().workspace.own_entry(_pid(me), entry_id).text
        edited = self._services().workspace.edit_entry(_pid(me), entry_id, text)
        if edited.text != before:  # feedback was on the old text
            self._services().learning.forget_entry(entry_id)
        self._services().peering.refresh({edited.programme_id: {_pid(me)}})
        self._audit(me, Action.WRITE_OWN_ENTRIES, subject=_pid(me))
        return edited

    def suggestions_of(
        self, who: Principal | None, entry_ids: Sequence[str]
    ) -> dict[str, list[StoredSuggestion]]:
        """Return stored suggestions per own entry id, best first; others' entries are left out."""
        me = self._own(who, Action.READ_OWN_ENTRIES, None)
        found = self._services().workspace.suggestions_of(_pid(me), entry_ids)
        self._audit(me, Action.READ_OWN_ENTRIES, subject=_pid(me))
        return found

    def entry_suggestions(self, who: Principal | None, entry_id: str) -> EntrySuggestions:
        """Return the stored suggestions of one's own entry with fresh evidence and statuses."""
        me = self._own(who, Action.READ_OWN_ENTRIES, None)
        found = self._services().workspace.entry_suggestions(_pid(me), entry_id)
        self._audit(me, Action.READ_OWN_ENTRIES, subject=_pid(me))
        return found

    def set_suggestion_status(
        self, who: Principal | None, entry_id: str, topic_id: str, status: str
    ) -> None:
        """Accept, dismiss or restore a suggestion of one's own entry."""
        me = self._own(who, Action.WRITE_OWN_ENTRIES, None)
        self._services().workspace.set_suggestion_status(_pid(me), entry_id, topic_id, status)
        # Feedback of consenting people teaches the programme's suggester (learning from use).
        self._services().learning.record_status(_pid(me), entry_id, topic_id, status)
        self._audit(me, Action.WRITE_OWN_ENTRIES, subject=_pid(me), detail={"suggestion": status})

    # -- peers ------------------------------------------------------------------------------

    def peers(
        self,
        who: Principal | None,
        participant_id: str | None = None,
        *,
        programme: str | None = None,
        k: int = 5,
        mode: PeerMode = "similar",
    ) -> PeerResult:
        """Top-k consenting peers of a consenting participant: one's own, or the operator's pick."""
        if who is not None and participant_id and participant_id != who.participant_id:
            me = self._allow(who, Action.VIEW_ANY_PEERS, programme=programme)
            target = participant_id
        else:
            me = self._own(who, Action.VIEW_PEERS, programme)
            target = _pid(me)
        result = self._services().peering.find_peers(target, programme=programme, k=k, mode=mode)
        self._audit(me, Action.VIEW_PEERS, programme=result.programme, subject=target)
        return result

    def peer_suggestions(self, who: Principal | None, programme: str, k: int = 5) -> list[PeerView]:
        """Peers for the signed-in participant as they may see them (pseudonym, organisation)."""
        me = self._own(who, Action.VIEW_PEERS, programme)
        services = self._services()
        views = services.peering.peer_views(_pid(me), programme, k + 1)
        # One's published partner or group is known by name already, not an anonymous peer.
        known = services.matching.matched_with(programme, _pid(me))
        views = [v for v in views if v.participant_id not in known][:k]
        self._audit(me, Action.VIEW_PEERS, programme=programme, subject=_pid(me))
        return views
