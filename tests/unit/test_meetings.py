"""Pure functions of a tandem's meetings: checks, the next date, progress and topic counts."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.errors import InvalidEntryError
from assistant.journey.meetings import (
    MeetingInput,
    next_meeting,
    progress_series,
    topic_counts,
    validate_meeting,
)

TODAY = date(2026, 11, 30)
START = date(2026, 3, 1)


def _check(meeting: MeetingInput):
    return validate_meeting(meeting, today=TODAY, starts_on=START, goals=2, topics=["a", "b"])


def test_valid_meeting_is_cleaned():
    got = _check(
        MeetingInput(
            TODAY, 90, ("a", "a", "b"), ((1, 4), (0, 2), (1, 5)), "  notiz ", " reflexion  "
        )
    )
    assert got.topics == ("a", "b")
    assert got.progress == ((0, 2), (1, 5))  # the last value per goal counts
    assert (got.private_note, got.reflection) == ("notiz", "reflexion")


@pytest.mark.parametrize(
    ("meeting", "code", "word"),
    [
        (MeetingInput(date(2026, 12, 1), 60), "future", "Zukunft"),
        (MeetingInput(date(2026, 2, 28), 60), "before_start", "01.03.2026"),
        (MeetingInput(TODAY, 0), "minutes", "600"),
        (MeetingInput(TODAY, 601), "minutes", "Minuten"),
        (MeetingInput(TODAY, 60, progress=((0, 6),)), "progress", "1 bis 5"),
        (MeetingInput(TODAY, 60, progress=((0, 0),)), "progress", "1 bis 5"),
        (MeetingInput(TODAY, 60, progress=((2, 3),)), "goal", "Zielvereinbarung"),
        (MeetingInput(TODAY, 60, topics=("c",)), "topic", "Zielvereinbarung"),
        (MeetingInput(TODAY, 60, private_note="x" * 2001), "too_long", "2000"),
    ],
)
def test_bad_input_is_refused_in_german(meeting, code, word):
    with pytest.raises(InvalidEntryError) as err:
        _check(meeting)
    assert err.value.code == code
    assert word in str(err.value)


def test_boundaries_are_accepted():
    assert _check(MeetingInput(START, 600, progress=((0, 1), (1, 5)))).minutes == 600
    assert _check(MeetingInput(TODAY, 1)).on == TODAY


@pytest.mark.parametrize(
    ("rhythm", "held", "expected", "overdue"),
    [
        ("monthly", [date(2026, 10, 31), date(2026, 9, 1)], date(2026, 11, 30), False),
        ("monthly", [date(2026, 10, 29)], date(2026, 11, 29), True),
        ("weekly", [date(2026, 11, 25)], date(2026, 12, 2), False),
        ("biweekly", [date(2026, 11, 1)], date(2026, 11, 15), True),
        ("bimonthly", [date(2025, 12, 31)], date(2026, 2, 28), True),
        ("monthly", [], date(2026, 4, 1), True),  # none held: from the programme's start
        ("unknown", [date(2026, 11, 20)], date(2026, 12, 20), False),
    ],
)
def test_next_meeting_follows_the_rhythm(rhythm, held, expected, overdue):
    got = next_meeting(rhythm, held, TODAY, since=START)
    assert (got.next_on, got.overdue) == (expected, overdue)


def test_progress_series_by_goal_then_date_and_drops_unknown_goals():
    meetings = [
        (date(2026, 6, 1), [(1, 3), (0, 2)]),
        (date(2026, 5, 1), [(0, 1), (5, 4)]),
    ]
    got = progress_series(meetings, ["Ziel A", "Ziel B"])
    assert [(p.label, p.on, p.value) for p in got] == [
        ("Ziel A", date(2026, 5, 1), 1),
        ("Ziel A", date(2026, 6, 1), 2),
        ("Ziel B", date(2026, 6, 1), 3),
    ]


def test_topic_counts_show_agreed_topics_first_even_unused():
    got = topic_counts([("a", "x"), ("x",), ()], ["b", "a"])
    assert got == [("b", 0, True), ("a", 1, True), ("x", 2, False)]
