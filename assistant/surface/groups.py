"""The peer groups' part of the ``Assistant``: sessions through the four stages, check-ins.

Only a group's moderator plans its sessions (``PLAN_GROUP_SESSION``); only its members check
in after one (``CHECK_IN``, the group's members as scope); both see the sessions
(``VIEW_GROUP_SESSIONS``): the moderator counts and means from k check-ins on, a member also
their own check-ins and private notes. Audit rows carry session ids, stages and values'
counts, never a note or a reflection.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import InvalidEntryError
from assistant.journey.groups import CheckinInput, SessionInput
from assistant.policy import Action, Principal
from assistant.services.group_sessions import GroupSessionsView
from assistant.storage.records import GroupRef
from assistant.surface.base import SurfaceBase, _programme_of_group

__all__ = ["CheckinLogged", "GroupSurface"]


@dataclass(frozen=True)
class CheckinLogged:
    """A stored check-in: ``new`` (False: an earlier one replaced); ``reflection`` as meetings'."""

    session_id: int
    new: bool
    reflection: bool | None


class GroupSurface(SurfaceBase):
    """Checked methods of peer groups' sessions."""

    def plan_group_session(
        self,
        who: Principal | None,
        group: str,
        session: SessionInput,
        programme: str | None = None,
    ) -> int:
        """Plan a session of a group one moderates; return its id.

        Raises ``InvalidEntryError`` (German message) for an unknown stage or a missing or
        overlong title: nothing is stored then.
        """
        programme = programme or _programme_of_group(who, group)
        me = self._allow(who, Action.PLAN_GROUP_SESSION, programme=programme, group=group)
        services = self._services()
        ref, prog = services.group_sessions.group(group, programme)
        session_id = services.group_sessions.plan(ref, session, me.username)
        detail = {"session": session_id, "stage": session.stage}
        self._audit(me, Action.PLAN_GROUP_SESSION, programme=prog.name, group=group, detail=detail)
        return session_id

    def group_sessions(
        self, who: Principal | None, group: str, programme: str | None = None
    ) -> GroupSessionsView:
        """Return a group's sessions: to its moderator (counts) or a member (and their own).

        The operator (``assistant group sessions``) gets what the moderator gets: stages,
        dates, titles, counts and means from k check-ins on, never a note.
        """
        me, ref, programme = self._group(who, Action.VIEW_GROUP_SESSIONS, group, programme)
        services = self._services()
        prog = services.lookups.programme(programme)
        reader = me.participant_id or me.username
        view = services.group_sessions.view(ref, prog, reader, self.k)
        self._audit(me, Action.VIEW_GROUP_SESSIONS, programme=programme, group=group)
        return view

    def my_group_sessions(self, who: Principal | None, programme: str) -> list[GroupSessionsView]:
        """Return the sessions of each group one belongs to in ``programme`` (often one)."""
        me = self._own(who, Action.VIEW_MY_MATCH, programme)
        assert me.participant_id is not None
        names = self._services().group_sessions.groups_of_member(me.participant_id, programme)
        return [self.group_sessions(me, name, programme) for name in names]

    def check_in(
        self,
        who: Principal | None,
        group: str,
        checkin: CheckinInput,
        programme: str | None = None,
    ) -> CheckinLogged:
        """Check in after a past session of one's group; the private note stays one's own.

        The reflection, when given, becomes a normal reflection entry (with the session's
        stage) only with consent to analysis, as ``log_meeting`` does. Raises
        ``InvalidEntryError`` (German message) for a session not yet held or not the group's,
        or a value outside 1 to 5: nothing is stored then.
        """
        me, ref, programme = self._group(who, Action.CHECK_IN, group, programme)
        pid = me.participant_id
        assert pid is not None
        services = self._services()
        new, checked = services.group_sessions.check_in(ref, pid, checkin)
        detail: dict[str, object] = {"session": checked.session_id, "new": new}
        self._audit(me, Action.CHECK_IN, programme=programme, group=group, detail=detail)
        saved: bool | None = None
        if checked.reflection:
            prog = services.lookups.programme(programme)
            saved = services.lookups.member(pid, prog).consent_analysis
            if saved:
                stage = services.group_sessions.session_of(ref, checked.session_id).stage
                services.workspace.add_entry(pid, prog, "reflection", checked.reflection, stage)
                services.peering.refresh({prog.id: {pid}})
                self._audit(me, Action.WRITE_OWN_ENTRIES, programme=programme, subject=pid)
        return CheckinLogged(checked.session_id, new, saved)

    # -- scope ------------------------------------------------------------------------------

    def _group(
        self, who: Principal | None, action: Action, group: str, programme: str | None
    ) -> tuple[Principal, GroupRef, str]:
        """Return the caller, the group and its programme once the policy allows ``action``.

        The group is looked up only for someone who may be in scope (its moderator, or a
        participant of the programme); a group unknown to them is refused like another's.
        """
        programme = programme or _programme_of_group(who, group)
        in_scope = who is not None and (
            (who.role == "operator" and action is Action.VIEW_GROUP_SESSIONS)
            or (who.role == "moderator" and (programme, group) in who.groups)
            or (who.role == "participant" and programme in who.programmes)
        )
        if not in_scope or programme is None:
            self._allow(who, action, programme=programme, group=group)  # refused and audited
            raise AssertionError("unreachable: the policy refuses")
        try:
            ref, _ = self._services().group_sessions.group(group, programme)
        except InvalidEntryError:
            if who is not None and who.role in ("moderator", "operator"):
                raise  # their own group (or the operator's command): the error names groups
            self._allow(who, action, programme=programme, group=group)  # not theirs: refused
            raise
        members = self._services().group_sessions.members(ref)
        me = self._allow(who, action, programme=programme, group=group, members=members)
        return me, ref, programme
