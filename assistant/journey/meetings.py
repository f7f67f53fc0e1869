"""A tandem's meetings: checking a logged meeting, the next date, progress per goal over time.

Pure functions over values; the service stores what ``validate_meeting`` returns.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from assistant import texts
from assistant.errors import InvalidEntryError

__all__ = [
    "MAX_MINUTES",
    "MeetingInput",
    "ProgressPoint",
    "Schedule",
    "next_meeting",
    "progress_series",
    "topic_counts",
    "validate_meeting",
]

MAX_MINUTES = 600
NOTE_LIMIT = 2000

# Days between meetings by rhythm code (``texts.RHYTHMS``); months count as calendar months.
_RHYTHM_DAYS = {"weekly": 7, "biweekly": 14}
_RHYTHM_MONTHS = {"monthly": 1, "bimonthly": 2}


@dataclass(frozen=True)
class MeetingInput:
    """What a partner logs after a meeting.

    ``progress`` maps a goal's index in the agreement to a value 1 to 5 (goals left out were
    not rated); ``topics`` are pool topic ids from the agreement.
    """

    on: date
    minutes: int
    topics: tuple[str, ...] = ()
    progress: tuple[tuple[int, int], ...] = ()
    private_note: str = ""
    reflection: str = ""


@dataclass(frozen=True)
class Schedule:
    """The next meeting by the agreed rhythm; ``overdue`` once that date has passed."""

    next_on: date
    overdue: bool


@dataclass(frozen=True)
class ProgressPoint:
    """One goal's value (1 to 5) as logged at one meeting."""

    goal: int
    label: str
    on: date
    value: int


def validate_meeting(
    meeting: MeetingInput,
    *,
    today: date,
    starts_on: date | None,
    goals: int,
    topics: Sequence[str],
) -> MeetingInput:
    """Return the meeting with topics de-duplicated and texts stripped, or raise.

    Raises
    ------
    InvalidEntryError
        ``future``, ``before_start``, ``minutes``, ``progress``, ``goal``, ``topic`` or
        ``too_long``, with a German message (``texts.INVALID_MEETING``).
    """
    msg = texts.INVALID_MEETING
    if meeting.on > today:
        raise InvalidEntryError(msg["future"], "future")
    if starts_on is not None and meeting.on < starts_on:
        text = msg["before_start"].format(start=starts_on.strftime("%d.%m.%Y"))
        raise InvalidEntryError(text, "before_start", {"start": starts_on.isoformat()})
    if not 0 < meeting.minutes <= MAX_MINUTES:
        raise InvalidEntryError(msg["minutes"].format(limit=MAX_MINUTES), "minutes")
    seen: dict[int, int] = {}
    for goal, value in meeting.progress:
        if not 0 <= goal < goals:
            raise InvalidEntryError(msg["goal"], "goal")
        if not 1 <= value <= 5:
            raise InvalidEntryError(msg["progress"], "progress")
        seen[goal] = value
    unknown = [t for t in meeting.topics if t not in topics]
    if unknown:
        raise InvalidEntryError(msg["topic"], "topic")
    for text in (meeting.private_note, meeting.reflection):
        if len(text.strip()) > NOTE_LIMIT:
            raise InvalidEntryError(msg["too_long"].format(limit=NOTE_LIMIT), "too_long")
    return MeetingInput(
        on=meeting.on,
        minutes=meeting.minutes,
        topics=tuple(dict.fromkeys(meeting.topics)),
        progress=tuple(sorted(seen.items())),
        private_note=meeting.private_note.strip(),
        reflection=meeting.reflection.strip(),
    )


def next_meeting(rhythm: str, held: Sequence[date], today: date, *, since: date) -> Schedule:
    """Return the next meeting date: the last meeting (else ``since``) plus the rhythm.

    An unknown rhythm counts as monthly. ``overdue`` when the next date lies before today.
    """
    last = max(held, default=since)
    if rhythm in _RHYTHM_DAYS:
        next_on = last + timedelta(days=_RHYTHM_DAYS[rhythm])
    else:
        next_on = _add_months(last, _RHYTHM_MONTHS.get(rhythm, 1))
    return Schedule(next_on, next_on < today)


def progress_series(
    meetings: Sequence[tuple[date, Sequence[tuple[int, int]]]], labels: Sequence[str]
) -> list[ProgressPoint]:
    """Return each goal's values over time, ordered by goal, then date.

    ``meetings`` are ``(date, ((goal index, value), ...))``; goals outside ``labels`` (an
    agreement changed since) are left out.
    """
    points = [
        ProgressPoint(goal, labels[goal], on, value)
        for on, progress in meetings
        for goal, value in progress
        if 0 <= goal < len(labels)
    ]
    return sorted(points, key=lambda p: (p.goal, p.on))


def topic_counts(
    discussed: Sequence[Sequence[str]], agreed: Sequence[str]
) -> list[tuple[str, int, bool]]:
    """Return ``(topic, meetings that discussed it, agreed)``: agreed topics first, all shown."""
    counts = Counter(t for topics in discussed for t in topics)
    rows = [(t, counts.get(t, 0), True) for t in dict.fromkeys(agreed)]
    rows += [(t, n, False) for t, n in sorted(counts.items()) if t not in agreed]
    return rows


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
