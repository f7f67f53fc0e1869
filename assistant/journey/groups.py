"""A peer group's sessions through the four stages and its members' check-ins.

Pure functions over values: checking a planned session and a check-in, and the k rule for a
session's mean value. The service stores what ``validate_session`` and ``validate_checkin``
return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from assistant import texts
from assistant.domain import STAGES
from assistant.errors import InvalidEntryError
from assistant.policy import may_show_sentences

__all__ = [
    "NOTE_LIMIT",
    "TITLE_LIMIT",
    "CheckinInput",
    "SessionInput",
    "session_mean",
    "validate_checkin",
    "validate_session",
]

TITLE_LIMIT = 200
NOTE_LIMIT = 2000


@dataclass(frozen=True)
class SessionInput:
    """What a moderator plans: a stage (``domain.STAGES``), a date and a title."""

    stage: str
    held_on: date
    title: str


@dataclass(frozen=True)
class CheckinInput:
    """What a member logs after a session: how helpful it was (1 to 5), a note, a reflection."""

    session_id: int
    value: int
    private_note: str = ""
    reflection: str = ""


def validate_session(session: SessionInput) -> SessionInput:
    """Return the session with its title stripped, or raise.

    Raises
    ------
    InvalidEntryError
        ``stage``, ``title`` or ``title_too_long`` (``texts.INVALID_GROUP_SESSION``).
    """
    msg = texts.INVALID_GROUP_SESSION
    if session.stage not in STAGES:
        names = ", ".join(texts.STAGES[s] for s in STAGES)
        raise InvalidEntryError(msg["stage"].format(stages=names), "stage")
    title = " ".join(session.title.split())
    if not title:
        raise InvalidEntryError(msg["title"], "title")
    if len(title) > TITLE_LIMIT:
        raise InvalidEntryError(msg["title_too_long"].format(limit=TITLE_LIMIT), "title_too_long")
    return SessionInput(session.stage, session.held_on, title)


def validate_checkin(checkin: CheckinInput, *, held_on: date, today: date) -> CheckinInput:
    """Return the check-in with its texts stripped, or raise.

    Raises
    ------
    InvalidEntryError
        ``future`` (the session has not taken place yet), ``value`` (outside 1 to 5) or
        ``too_long`` (``texts.INVALID_GROUP_CHECKIN``); nothing is stored then.
    """
    msg = texts.INVALID_GROUP_CHECKIN
    if held_on > today:
        day = held_on.strftime(texts.DATE_FORMAT)
        raise InvalidEntryError(msg["future"].format(date=day), "future")
    if not 1 <= checkin.value <= 5:
        raise InvalidEntryError(msg["value"], "value")
    for text in (checkin.private_note, checkin.reflection):
        if len(text.strip()) > NOTE_LIMIT:
            raise InvalidEntryError(msg["too_long"].format(limit=NOTE_LIMIT), "too_long")
    return CheckinInput(
        checkin.session_id,
        checkin.value,
        checkin.private_note.strip(),
        checkin.reflection.strip(),
    )


def session_mean(values: Sequence[int], k: int) -> float | None:
    """Return the mean of one session's check-in values, or None below ``k`` members.

    ``values`` holds one value per member (a member checks in once per session), so its length
    is the number of people; the k rule is ``policy.may_show_sentences``.
    """
    if not values or not may_show_sentences(len(values), k):
        return None
    return round(sum(values) / len(values), 1)
