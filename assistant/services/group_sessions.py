"""Group sessions: a peer group's sessions through the four stages and its members' check-ins.

Unaware of who asks (the facade checks that only the group's moderator plans, only its
members check in, and that a private note is read by its author only: every read names the
reader). Moderators see counts per session and a mean only from k check-ins on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from assistant import texts
from assistant.domain import STAGES, Programme
from assistant.errors import InvalidEntryError
from assistant.journey.groups import (
    CheckinInput,
    SessionInput,
    session_mean,
    validate_checkin,
    validate_session,
)
from assistant.services.analyses import Analyses
from assistant.services.lookups import Lookups
from assistant.services.theming import Theming
from assistant.storage import Stores
from assistant.storage.group_sessions import StoredCheckin, StoredGroupSession
from assistant.storage.records import GroupRef

__all__ = ["GroupSessionRow", "GroupSessions", "GroupSessionsView"]


@dataclass(frozen=True)
class GroupSessionRow:
    """One session with how many members checked in and their mean (None below k)."""

    session: StoredGroupSession
    checkins: int
    mean: float | None


@dataclass(frozen=True)
class GroupSessionsView:
    """A group's sessions as one reader sees them.

    Attributes
    ----------
    sessions : tuple of GroupSessionRow
        By stage (Seminar, Simulation, Forum, Anwendung), then date.
    own : tuple of StoredCheckin
        The reader's own check-ins with their private notes (empty for a moderator).
    k : int
        The fewest check-ins a session needs before its mean is shown.
    """

    programme: str
    group: str
    sessions: tuple[GroupSessionRow, ...]
    own: tuple[StoredCheckin, ...]
    k: int

    def past(self, today: date) -> tuple[StoredGroupSession, ...]:
        """Sessions that have taken place by ``today`` (those one may check in), newest first."""
        done = [r.session for r in self.sessions if r.session.held_on <= today]
        return tuple(sorted(done, key=lambda s: (s.held_on, s.id), reverse=True))


class GroupSessions:
    """Planned sessions of peer groups and their members' check-ins."""

    def __init__(
        self,
        stores: Stores,
        analyses: Analyses,
        lookups: Lookups,
        theming: Theming,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.stores = stores
        self.analyses = analyses
        self.lookups = lookups
        self.theming = theming
        self.now = now

    def group(self, group: str, programme: str | None) -> tuple[GroupRef, Programme]:
        """Return the group by name (see ``Lookups.group``) and its programme."""
        return self.lookups.group(group, programme)

    def members(self, ref: GroupRef) -> frozenset[str]:
        """Participant ids of the group (the policy's scope for members' actions)."""
        return frozenset(self.stores.programmes.group_members(ref.id))

    def groups_of_member(self, participant_id: str, programme: str) -> list[str]:
        """Names of the groups of ``programme`` that ``participant_id`` belongs to."""
        return [
            g for p, g in self.stores.programmes.group_names_of(participant_id) if p == programme
        ]

    def plan(self, ref: GroupRef, session: SessionInput, by: str) -> int:
        """Check and store a planned session; return its id.

        Raises
        ------
        InvalidEntryError
            See ``validate_session``; nothing is stored then.
        """
        checked = validate_session(session)
        return self.stores.group_sessions.add(
            ref.id,
            stage=checked.stage,
            held_on=checked.held_on,
            title=checked.title,
            created_by=by,
            created_at=self.now(),
        )

    def plan_forum(self, ref: GroupRef, prog: Programme, topic: str, on: date, by: str) -> int:
        """Store a Forum session for a chosen topic with its forum prompts; return its id.

        A pool topic brings its German ``forum_prompts``; an emerging theme has none in the
        pool, so it gets one generic prompt.
        """
        analyzer = self.analyses.analyzer_for(prog.id)
        prompts = {t.id: tuple(t.forum_prompts.get("de", ())) for t in analyzer.pool.topics}
        # Emerging themes' labels need the programme's clustering; a pool topic's do not.
        labels = analyzer.labels() if topic in prompts else self.theming.labels(prog)
        label = labels.get(topic, topic)
        return self.stores.group_sessions.add(
            ref.id,
            stage="forum",
            held_on=on,
            title=label,
            topic_id=topic,
            prompts=prompts.get(topic, (texts.GROUP_FORUM_SESSION_PROMPT,)),
            created_by=by,
            created_at=self.now(),
        )

    def session_of(self, ref: GroupRef, session_id: int) -> StoredGroupSession:
        """Return one of the group's sessions; another group's raises ``InvalidEntryError``."""
        found = self.stores.group_sessions.get(session_id)
        if found is None or found.group_id != ref.id:
            raise InvalidEntryError(texts.INVALID_GROUP_CHECKIN["session"], "session")
        return found

    def check_in(self, ref: GroupRef, by: str, checkin: CheckinInput) -> tuple[bool, CheckinInput]:
        """Check and store ``by``'s check-in; return (new, the checked input).

        Raises
        ------
        InvalidEntryError
            ``session`` (not the group's), or see ``validate_checkin``; nothing is stored then.
        """
        session = self.session_of(ref, checkin.session_id)
        checked = validate_checkin(checkin, held_on=session.held_on, today=self.now().date())
        new = self.stores.group_sessions.check_in(
            session.id,
            by,
            value=checked.value,
            logged_at=self.now(),
            note=checked.private_note,
        )
        return new, checked

    def view(self, ref: GroupRef, prog: Programme, reader: str, k: int) -> GroupSessionsView:
        """Return the group's sessions with counts, means under the k rule, the reader's own."""
        checkins = self.stores.group_sessions.checkins_of_group(ref.id, reader=reader)
        values: dict[int, list[int]] = {}
        for c in checkins:
            values.setdefault(c.session_id, []).append(c.value)
        order = {s: i for i, s in enumerate(STAGES)}
        sessions = sorted(
            self.stores.group_sessions.of_group(ref.id),
            key=lambda s: (order.get(s.stage, len(order)), s.held_on, s.id),
        )
        rows = tuple(
            GroupSessionRow(s, len(values.get(s.id, [])), session_mean(values.get(s.id, []), k))
            for s in sessions
        )
        own = tuple(c for c in checkins if c.participant_id == reader)
        return GroupSessionsView(prog.name, ref.name, rows, own, k)
