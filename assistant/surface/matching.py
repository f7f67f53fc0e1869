"""The matching part of the ``Assistant``: tandems and peer groups, drafted and published.

Coordinators of a programme (and the operator) compute, adjust and publish; each step is
audited with counts, never texts. A participant reads only their own published partner or
group (``my_match``).
"""

from __future__ import annotations

from assistant.policy import Action, Principal
from assistant.services.matching import EntryCandidates, GroupsView, PairsView, mode_of
from assistant.services.my_match import MyMatch, my_match
from assistant.surface.base import SurfaceBase

__all__ = ["MatchingSurface"]


class MatchingSurface(SurfaceBase):
    """Checked methods of cohort matching."""

    def matching_mode(self, who: Principal | None, programme: str) -> str:
        """Return ``pairs`` (cross, reverse, tandem) or ``groups`` (peer_group) for a programme."""
        self._allow(who, Action.MATCH, programme=programme)
        return mode_of(self._services().lookups.programme(programme).kind)

    # -- tandems (cross, reverse, tandem programmes) ----------------------------------------

    def match(self, who: Principal | None, programme: str, *, recompute: bool = False) -> PairsView:
        """Return the draft tandems (computed when there is none), else the published ones."""
        me = self._allow(who, Action.MATCH, programme=programme)
        view = self._services().matching.pairs(programme, recompute=recompute, by=me.username)
        return self._matched(me, view, "view" if not recompute else "recompute")

    def match_lock(
        self, who: Principal | None, programme: str, mentee: str, mentor: str
    ) -> PairsView:
        """Fix a tandem; the draft is recomputed around it."""
        me = self._allow(who, Action.MATCH, programme=programme)
        view = self._services().matching.lock_pair(programme, mentee, mentor, by=me.username)
        return self._matched(me, view, "lock", subject=mentee)

    def match_exclude(
        self, who: Principal | None, programme: str, mentee: str, mentor: str
    ) -> PairsView:
        """Never form this tandem; the draft is recomputed."""
        me = self._allow(who, Action.MATCH, programme=programme)
        view = self._services().matching.exclude_pair(programme, mentee, mentor, by=me.username)
        return self._matched(me, view, "exclude", subject=mentee)

    def match_rematch(self, who: Principal | None, programme: str, mentee: str) -> PairsView:
        """Find another mentor for one mentee ("passt nicht"), keeping the other tandems."""
        me = self._allow(who, Action.MATCH, programme=programme)
        view = self._services().matching.rematch(programme, mentee, by=me.username)
        return self._matched(me, view, "rematch", subject=mentee)

    def match_publish(self, who: Principal | None, programme: str) -> PairsView:
        """Publish the draft tandems: each participant sees their partner from now on."""
        me = self._allow(who, Action.MATCH, programme=programme)
        view = self._services().matching.publish_pairs(programme, by=me.username)
        return self._matched(me, view, "publish")

    def match_enter(
        self, who: Principal | None, programme: str, mentee: str, mentor: str
    ) -> PairsView:
        """Enter a pair formed outside the assistant as a published tandem (returned view)."""
        me = self._allow(who, Action.MATCH, programme=programme)
        view = self._services().matching.enter_pair(programme, mentee, mentor, by=me.username)
        return self._matched(me, view, "enter", subject=mentee)

    def match_end(self, who: Principal | None, programme: str, mentee: str) -> PairsView:
        """End a published tandem: it no longer shows; its agreement and meetings stay stored."""
        me = self._allow(who, Action.MATCH, programme=programme)
        view = self._services().matching.end_pair(programme, mentee, by=me.username)
        return self._matched(me, view, "end", subject=mentee)

    def match_candidates(self, who: Principal | None, programme: str) -> EntryCandidates:
        """Return who may be entered as a tandem, and the published tandems (to end one)."""
        self._allow(who, Action.MATCH, programme=programme)
        return self._services().matching.entry_candidates(programme)

    # -- peer groups (peer_group programmes) ------------------------------------------------

    def groups(
        self,
        who: Principal | None,
        programme: str,
        *,
        size: tuple[int, int] | None = None,
        recompute: bool = False,
    ) -> GroupsView:
        """Return the draft peer groups (computed when there are none), else the published."""
        me = self._allow(who, Action.MATCH, programme=programme)
        view = self._services().grouping.groups(
            programme, size=size, recompute=recompute, by=me.username
        )
        return self._grouped(me, view, "view" if not (recompute or size) else "recompute")

    def groups_lock(
        self,
        who: Principal | None,
        programme: str,
        participant: str,
        group: str,
        *,
        size: tuple[int, int] | None = None,
    ) -> GroupsView:
        """Put a person into a group for good; the draft is recomputed around it."""
        me = self._allow(who, Action.MATCH, programme=programme)
        view = self._services().grouping.group_rule(
            programme, "lock", participant, group, size=size, by=me.username
        )
        return self._grouped(me, view, "lock", subject=participant)

    def groups_exclude(
        self,
        who: Principal | None,
        programme: str,
        participant: str,
        group: str,
        *,
        size: tuple[int, int] | None = None,
    ) -> GroupsView:
        """Keep a person out of a group; the draft is recomputed."""
        me = self._allow(who, Action.MATCH, programme=programme)
        view = self._services().grouping.group_rule(
            programme, "exclude", participant, group, size=size, by=me.username
        )
        return self._grouped(me, view, "exclude", subject=participant)

    def groups_publish(self, who: Principal | None, programme: str) -> GroupsView:
        """Publish the draft groups: the programme's groups are created with these members."""
        me = self._allow(who, Action.MATCH, programme=programme)
        view = self._services().grouping.publish_groups(programme, by=me.username)
        return self._grouped(me, view, "publish")

    # -- the participant's view -------------------------------------------------------------

    def my_match(self, who: Principal | None, programme: str) -> MyMatch | None:
        """One's own published partner or group (None while nothing is published)."""
        me = self._own(who, Action.VIEW_MY_MATCH, programme)
        assert me.participant_id is not None
        found = my_match(self._services().matching, programme, me.participant_id)
        self._audit(me, Action.VIEW_MY_MATCH, programme=programme, subject=me.participant_id)
        return found

    # -- audit rows -------------------------------------------------------------------------

    def _matched(
        self, me: Principal, view: PairsView, step: str, subject: str | None = None
    ) -> PairsView:
        counts = {"pairs": len(view.result.pairs), "unmatched": len(view.result.unmatched)}
        self._audit_step(me, view.programme.name, view.status, step, subject, counts)
        return view

    def _grouped(
        self, me: Principal, view: GroupsView, step: str, subject: str | None = None
    ) -> GroupsView:
        counts = {"groups": len(view.result.groups), "unassigned": len(view.result.unassigned)}
        self._audit_step(me, view.programme.name, view.status, step, subject, counts)
        return view

    def _audit_step(
        self,
        me: Principal,
        programme: str,
        status: str,
        step: str,
        subject: str | None,
        counts: dict[str, int],
    ) -> None:
        """One audit row per step of the workflow: counts, never names of others or texts."""
        detail = {"step": step, "status": status, **counts}
        self._audit(me, Action.MATCH, programme=programme, subject=subject, detail=detail)
