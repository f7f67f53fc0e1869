"""The journey part of the ``Assistant``: a published tandem's guide and goal agreement.

Only the two partners of the tandem see, change and confirm them (``VIEW_TANDEM``,
``EDIT_AGREEMENT`` with the tandem as scope): no coordinator, moderator or admin, and a
partner of another tandem is refused and audited. The operator prints a tandem's documents on
its request (``PRINT_TANDEM``, like ``export``). Audit rows carry versions and formats, never
the agreement's text.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import InvalidEntryError
from assistant.journey import AgreementContent, Document, Tandem
from assistant.journey.meetings import MeetingInput
from assistant.policy import Action, Principal
from assistant.services.journey import AgreementView, DocumentFormat, DocumentKind
from assistant.services.meetings import Invitation, MeetingsView
from assistant.surface.base import SurfaceBase

__all__ = ["JourneySurface", "MeetingLogged"]


@dataclass(frozen=True)
class MeetingLogged:
    """A stored meeting's id; ``reflection``: saved as an entry (True), not (False), none given."""

    meeting_id: int
    reflection: bool | None


class JourneySurface(SurfaceBase):
    """Checked methods of the tandem's journey."""

    def tandem_guide(
        self, who: Principal | None, programme: str, mentee: str | None = None
    ) -> Document | None:
        """Return the first-meeting guide of one's tandem (None while none is published).

        ``mentee`` names the tandem (either partner's id); by default one's own.
        """
        found = self._tandem(who, Action.VIEW_TANDEM, programme, mentee)
        if found is None:
            return None
        me, tandem = found
        guide = self._services().journey.guide(tandem)
        self._audit_tandem(me, Action.VIEW_TANDEM, tandem, {"document": "guide"})
        return guide

    def tandem_agreement(
        self, who: Principal | None, programme: str, mentee: str | None = None
    ) -> AgreementView | None:
        """Return one's tandem's agreement as it stands, or its prefilled draft (version 0)."""
        found = self._tandem(who, Action.VIEW_TANDEM, programme, mentee)
        if found is None:
            return None
        me, tandem = found
        view = self._services().journey.agreement(tandem)
        detail = {"document": "agreement", "version": view.version}
        self._audit_tandem(me, Action.VIEW_TANDEM, tandem, detail)
        return view

    def save_agreement(
        self,
        who: Principal | None,
        programme: str,
        content: AgreementContent,
        mentee: str | None = None,
    ) -> AgreementView:
        """Store a changed agreement as a new version; both partners confirm it again.

        Raises ``InvalidEntryError`` (German message) for a field over its limit; nothing is
        stored then, and the form keeps what was typed.
        """
        me, tandem = self._required(who, Action.EDIT_AGREEMENT, programme, mentee)
        assert me.participant_id is not None
        # The version names its author by pseudonym, as the tandem knows them (not the account).
        view = self._services().journey.save(tandem, content, by=me.participant_id)
        detail = {"step": "save", "version": view.version}
        self._audit_tandem(me, Action.EDIT_AGREEMENT, tandem, detail)
        return view

    def confirm_agreement(
        self, who: Principal | None, programme: str, version: int, mentee: str | None = None
    ) -> AgreementView:
        """Confirm ``version`` of one's tandem's agreement (recorded with the time).

        Anyone outside the tandem is refused (``AccessDenied``, audited); a version that is no
        longer the current one raises ``InvalidEntryError`` (``stale``).
        """
        me, tandem = self._required(who, Action.EDIT_AGREEMENT, programme, mentee)
        assert me.participant_id is not None
        view = self._services().journey.confirm(
            tandem, me.participant_id, version, username=me.username
        )
        detail = {"step": "confirm", "version": view.version, "confirmed": view.confirmed}
        self._audit_tandem(me, Action.EDIT_AGREEMENT, tandem, detail)
        return view

    def tandem_document(
        self,
        who: Principal | None,
        programme: str,
        kind: DocumentKind,
        fmt: DocumentFormat,
        mentee: str | None = None,
    ) -> bytes:
        """Render the guide or the agreement as PDF or DOCX for a partner, or the operator.

        The agreement is the version both confirmed last, else the current draft marked
        "Entwurf". The operator (``PRINT_TANDEM``) names the tandem by ``mentee``.
        """
        action = Action.PRINT_TANDEM if who and who.role == "operator" else Action.VIEW_TANDEM
        me, tandem = self._required(who, action, programme, mentee)
        data = self._services().journey.document(tandem, kind, fmt)
        self._audit_tandem(me, action, tandem, {"document": kind, "format": fmt})
        return data

    def log_meeting(
        self,
        who: Principal | None,
        programme: str,
        meeting: MeetingInput,
        mentee: str | None = None,
    ) -> MeetingLogged:
        """Log a meeting of one's tandem; its private note stays the author's alone.

        The reflection, when given, becomes a normal reflection entry of the author (analysed
        like any other) only with their consent to analysis; ``MeetingLogged.reflection`` says
        whether it was saved. Raises ``InvalidEntryError`` (German message) for a date in the
        future or before the programme's start, a duration or progress out of range: nothing
        is stored then.
        """
        me, tandem = self._required(who, Action.LOG_MEETING, programme, mentee)
        pid = me.participant_id
        assert pid is not None
        services = self._services()
        meeting_id = services.meetings.log(tandem, pid, meeting)
        detail: dict[str, object] = {"step": "log", "meeting": meeting_id}
        self._audit_tandem(me, Action.LOG_MEETING, tandem, detail)
        saved: bool | None = None
        if meeting.reflection.strip():
            saved = services.lookups.member(pid, tandem.programme).consent_analysis
            if saved:
                services.workspace.add_entry(
                    pid, tandem.programme, "reflection", meeting.reflection
                )
                services.peering.refresh({tandem.programme.id: {pid}})
                self._audit(
                    me, Action.WRITE_OWN_ENTRIES, programme=tandem.programme.name, subject=pid
                )
        return MeetingLogged(meeting_id, saved)

    def tandem_meetings(
        self, who: Principal | None, programme: str, mentee: str | None = None
    ) -> MeetingsView | None:
        """Return one's tandem's meetings, next date and progress (None: none published)."""
        found = self._tandem(who, Action.VIEW_TANDEM, programme, mentee)
        if found is None:
            return None
        me, tandem = found
        assert me.participant_id is not None
        view = self._services().meetings.view(tandem, me.participant_id)
        self._audit_tandem(me, Action.VIEW_TANDEM, tandem, {"document": "meetings"})
        return view

    def meeting_invitation(
        self, who: Principal | None, programme: str, *, send: bool = False
    ) -> Invitation | None:
        """Return the .ics for one's tandem's next meeting; ``send``: mail it to both partners.

        The mail goes only when an SMTP server is set; ``Invitation.mail`` says what happened
        ("sent", "off", "no_address", "failed"), and a failure raises nothing.
        """
        action = Action.LOG_MEETING if send else Action.VIEW_TANDEM
        found = self._tandem(who, action, programme, None)
        if found is None:
            return None
        me, tandem = found
        meetings = self._services().meetings
        invitation = meetings.send_invitation(tandem) if send else meetings.invitation(tandem)
        detail: dict[str, object] = {"document": "invitation"}
        if send:
            detail = {"step": "invite", "mail": invitation.mail, "to": invitation.recipients}
        self._audit_tandem(me, action, tandem, detail)
        return invitation

    # -- scope ------------------------------------------------------------------------------

    def _tandem(
        self, who: Principal | None, action: Action, programme: str, mentee: str | None
    ) -> tuple[Principal, Tandem] | None:
        """Return the caller with the tandem in scope, None when their own has none yet.

        The programme is checked before it is looked up (an unknown name's error lists the
        known ones); the tandem then is the policy's scope: its two partners, or the operator.
        """
        if who is None or (who.role != "operator" and programme not in who.programmes):
            self._allow(who, action, programme=programme)  # refused and audited
        assert who is not None
        pid = mentee or who.participant_id
        tandem = self._services().journey.tandem(programme, pid) if pid else None
        if tandem is None and mentee is None and who.role == "participant":
            self._own(who, Action.VIEW_MY_MATCH, programme)  # their own: none published yet
            return None
        if tandem is None and who.role == "operator" and action is Action.PRINT_TANDEM:
            raise InvalidEntryError(
                f"No published tandem of '{pid}' in programme '{programme}'.", "no_tandem"
            )
        partners = tandem.partners if tandem is not None else None
        me = self._allow(who, action, programme=programme, participant_id=pid, tandem=partners)
        assert tandem is not None  # the policy refuses a missing tandem
        return me, tandem

    def _required(
        self, who: Principal | None, action: Action, programme: str, mentee: str | None
    ) -> tuple[Principal, Tandem]:
        found = self._tandem(who, action, programme, mentee)
        if found is None:  # one's own tandem is not published (yet): nothing to change
            self._allow(who, action, programme=programme)
            raise AssertionError("unreachable: the policy refuses a missing tandem")
        return found

    def _audit_tandem(
        self, me: Principal, action: Action, tandem: Tandem, detail: dict[str, object]
    ) -> None:
        """One row per use: the tandem (by its mentee), versions and formats, never texts."""
        self._audit(
            me, action, programme=tandem.programme.name, subject=tandem.mentee, detail=detail
        )
