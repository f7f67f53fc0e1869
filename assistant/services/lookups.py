"""Lookups: programmes, participants and groups by name, with errors that list the options."""

from __future__ import annotations

from assistant.domain import Participant, Programme
from assistant.errors import InvalidEntryError
from assistant.storage import Stores
from assistant.storage.records import GroupRef

__all__ = ["Lookups"]


class Lookups:
    """Resolve the names people type into stored programmes, participants and groups."""

    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    def programme(self, name: str) -> Programme:
        """Return the programme called ``name``; the error lists the known ones."""
        found = self.stores.programmes.get(name)
        if found is None:
            known = ", ".join(p.name for p in self.stores.programmes.all()) or "none yet"
            raise InvalidEntryError(
                f"Unknown programme '{name}'. Known programmes: {known}.", "unknown_programme"
            )
        return found

    def participant_programme(self, participant_id: str, programme: str | None) -> Programme:
        """Return the programme of a participant; ``programme`` picks one of several."""
        programmes = self.stores.programmes.of_participant(participant_id)
        if not programmes:
            raise InvalidEntryError(
                f"Unknown participant '{participant_id}'.", "unknown_participant"
            )
        if programme is not None:
            for p in programmes:
                if p.name == programme:
                    return p
            raise InvalidEntryError(
                f"Participant '{participant_id}' does not take part in '{programme}'.",
                "unknown_participant",
            )
        if len(programmes) > 1:
            raise InvalidEntryError(
                f"Participant '{participant_id}' takes part in several programmes; name one with "
                f"--programme: {', '.join(p.name for p in programmes)}.",
                "ambiguous_programme",
            )
        return programmes[0]

    def member(self, participant_id: str, programme: Programme) -> Participant:
        """Return a participant with their role in ``programme``."""
        person = self.stores.programmes.participant(participant_id, programme.id)
        if person is None:
            raise InvalidEntryError(
                f"Participant '{participant_id}' does not take part in '{programme.name}'.",
                "unknown_participant",
            )
        return person

    def person(self, participant_id: str) -> Participant:
        """Return a participant (their role in their first programme)."""
        person = self.stores.programmes.participant(participant_id)
        if person is None:
            raise InvalidEntryError(
                f"Unknown participant '{participant_id}'.", "unknown_participant"
            )
        return person

    def group(self, group: str, programme: str | None) -> tuple[GroupRef, Programme]:
        """Return a peer group by name (``programme`` picks one of several) and its programme."""
        found = self.stores.programmes.find_groups(group)
        programmes = {p.id: p for p in self.stores.programmes.all()}
        if programme is not None:
            found = [g for g in found if programmes[g.programme_id].name == programme]
        if not found:
            known = sorted(
                {
                    name
                    for p in programmes.values()
                    for name in self.stores.programmes.groups_of(p.id)
                }
            )
            raise InvalidEntryError(
                f"Unknown peer group '{group}'. Known groups: {', '.join(known) or 'none yet'}.",
                "unknown_group",
            )
        if len(found) > 1:
            raise InvalidEntryError(
                f"Several programmes have a group '{group}'; name one with --programme.",
                "ambiguous_group",
            )
        return found[0], programmes[found[0].programme_id]
