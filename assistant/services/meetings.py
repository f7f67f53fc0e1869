"""Meetings: what a tandem logs after each meeting, its schedule and its progress.

Unaware of who asks (the facade checks that only the two partners get here, and that a
private note is read by its author only: every read names the reader).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from assistant import texts
from assistant.journey import Tandem
from assistant.journey.invitation import invitation_ics
from assistant.journey.meetings import (
    MeetingInput,
    ProgressPoint,
    Schedule,
    next_meeting,
    progress_series,
    topic_counts,
    validate_meeting,
)
from assistant.services.journey import Journey
from assistant.services.mail import MailNotSent, SmtpMailer
from assistant.storage import Stores
from assistant.storage.meetings import StoredMeeting

__all__ = ["Invitation", "Meetings", "MeetingsView", "goal_labels"]

_LABEL = 60


@dataclass(frozen=True)
class MeetingsView:
    """A tandem's meetings as one partner sees them.

    Attributes
    ----------
    meetings : tuple of StoredMeeting
        By date; each carries the reader's own private note only.
    schedule : Schedule
        The next date by the agreement's rhythm, and whether it has passed.
    progress : tuple of ProgressPoint
        Each goal's values over time.
    topics : tuple of (str, int, bool)
        Topic id, meetings that discussed it, whether the agreement names it.
    drift : tuple of (date, str)
        The reader's own reflections whose best suggested topic the agreement does not name.
    """

    meetings: tuple[StoredMeeting, ...]
    schedule: Schedule
    goals: tuple[str, ...]
    agreed_topics: tuple[str, ...]
    progress: tuple[ProgressPoint, ...]
    topics: tuple[tuple[str, int, bool], ...]
    drift: tuple[tuple[date, str], ...]


@dataclass(frozen=True)
class Invitation:
    """The .ics for the next meeting and, after a send, what happened to the mail.

    ``mail`` is "sent", "off" (no SMTP server set), "no_address" or "failed"; "" when no
    mail was asked for.
    """

    on: date
    ics: bytes
    mail: str = ""
    recipients: int = 0


def goal_labels(goals: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """Return ``"1. goal text"`` per ``(topic, goal)`` of the agreement, shortened."""
    labels = []
    for i, (topic, goal) in enumerate(goals, start=1):
        text = " ".join((goal or topic).split())
        labels.append(f"{i}. {text[:_LABEL]}{'…' if len(text) > _LABEL else ''}")
    return tuple(labels)


class Meetings:
    """Logged meetings of published tandems."""

    def __init__(
        self,
        stores: Stores,
        journey: Journey,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        mailer: SmtpMailer | None = None,
    ) -> None:
        self.stores = stores
        self.journey = journey
        self.now = now
        self.mailer = mailer

    def starts_on(self, tandem: Tandem) -> date | None:
        """Return the programme's start: its start date, else its first entry's date (or None)."""
        if tandem.programme.starts_on is not None:
            return tandem.programme.starts_on
        entries = self.stores.entries.of_programme(tandem.programme.id)
        return min((e.created_at for e in entries), default=None)

    def _agreement(self, tandem: Tandem) -> tuple[tuple[tuple[str, str], ...], str]:
        content = self.journey.agreement(tandem).content
        return tuple((g.topic, g.goal) for g in content.goals), content.rhythm

    def log(self, tandem: Tandem, by: str, meeting: MeetingInput) -> int:
        """Check and store a meeting with its progress and ``by``'s private note; return its id.

        Raises
        ------
        InvalidEntryError
            See ``validate_meeting``; nothing is stored then.
        """
        goals, _ = self._agreement(tandem)
        agreed = tuple(dict.fromkeys(t for t, _ in goals if t))
        checked = validate_meeting(
            meeting,
            today=self.now().date(),
            starts_on=self.starts_on(tandem),
            goals=len(goals),
            topics=agreed,
        )
        labels = goal_labels(goals)
        return self.stores.meetings.add(
            tandem.programme.id,
            tandem.mentee,
            tandem.mentor,
            held_on=checked.on,
            minutes=checked.minutes,
            topics=checked.topics,
            progress=[(g, labels[g], v) for g, v in checked.progress],
            logged_by=by,
            logged_at=self.now(),
            note=checked.private_note,
        )

    def view(self, tandem: Tandem, reader: str) -> MeetingsView:
        """Return the tandem's meetings, schedule, progress and topics as ``reader`` sees them."""
        goals, rhythm = self._agreement(tandem)
        agreed = tuple(dict.fromkeys(t for t, _ in goals if t))
        meetings = tuple(
            self.stores.meetings.of_tandem(
                tandem.programme.id, tandem.mentee, tandem.mentor, reader=reader
            )
        )
        today = self.now().date()
        since = self.starts_on(tandem) or today
        schedule = next_meeting(rhythm, [m.held_on for m in meetings], today, since=since)
        labels = goal_labels(goals)
        series = progress_series(
            [(m.held_on, [(g, v) for g, _, v in m.progress]) for m in meetings], labels
        )
        counts = topic_counts([m.topics for m in meetings], agreed)
        return MeetingsView(
            meetings=meetings,
            schedule=schedule,
            goals=labels,
            agreed_topics=agreed,
            progress=tuple(series),
            topics=tuple(counts),
            drift=tuple(self._drift(tandem, reader, agreed)),
        )

    def _drift(
        self, tandem: Tandem, reader: str, agreed: tuple[str, ...]
    ) -> list[tuple[date, str]]:
        """Return the reader's reflections whose best topic lies outside ``agreed``."""
        if not agreed:
            return []
        mine = [
            e
            for e in self.stores.entries.of_programme(tandem.programme.id)
            if e.participant_id == reader and e.kind == "reflection"
        ]
        best: dict[str, tuple[bool, int, str]] = {}
        for s in self.stores.entries.suggestions_of([e.id for e in mine]):
            if s.status == "dismissed":
                continue
            rank = (s.status != "accepted", s.rank, s.topic_id)
            if s.entry_id not in best or rank < best[s.entry_id]:
                best[s.entry_id] = rank
        return [
            (e.created_at, best[e.id][2])
            for e in sorted(mine, key=lambda e: e.created_at)
            if e.id in best and best[e.id][2] not in agreed
        ]

    def invitation(self, tandem: Tandem) -> Invitation:
        """Return the .ics for the tandem's next meeting by the agreement's rhythm."""
        content = self.journey.agreement(tandem).content
        held = [
            m.held_on
            for m in self.stores.meetings.of_tandem(
                tandem.programme.id, tandem.mentee, tandem.mentor, reader=""
            )
        ]
        today = self.now().date()
        since = self.starts_on(tandem) or today
        on = max(next_meeting(content.rhythm, held, today, since=since).next_on, today)
        key = f"{tandem.programme.id}:{tandem.mentee}:{tandem.mentor}"
        ics = invitation_ics(tandem.programme.name, on, content.minutes, key=key, now=self.now())
        return Invitation(on, ics)

    def send_invitation(self, tandem: Tandem) -> Invitation:
        """Mail the .ics to both partners' addresses (of this programme) when SMTP is set.

        Never raises for the mail: a server that is down or refuses gives ``mail="failed"``.
        """
        invitation = self.invitation(tandem)
        if self.mailer is None:
            return Invitation(invitation.on, invitation.ics, "off")
        people = [
            self.stores.programmes.participant(pid, tandem.programme.id)
            for pid in (tandem.mentee, tandem.mentor)
        ]
        addresses = [p.email for p in people if p is not None and p.email]
        if not addresses:
            return Invitation(invitation.on, invitation.ics, "no_address")
        day = invitation.on.strftime("%d.%m.%Y")
        try:
            self.mailer.send(
                addresses,
                texts.INVITATION_MAIL_SUBJECT.format(date=day),
                texts.INVITATION_MAIL_BODY.format(date=day, programme=tandem.programme.name),
                ("treffen.ics", "text/calendar", invitation.ics),
            )
        except MailNotSent:
            return Invitation(invitation.on, invitation.ics, "failed")
        return Invitation(invitation.on, invitation.ics, "sent", len(addresses))
