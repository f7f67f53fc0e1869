"""Pure checks of a peer group's sessions and check-ins, and the k rule for a session's mean."""

from __future__ import annotations

from datetime import date

import pytest

from assistant import texts
from assistant.errors import InvalidEntryError
from assistant.journey.groups import (
    NOTE_LIMIT,
    TITLE_LIMIT,
    CheckinInput,
    SessionInput,
    session_mean,
    validate_checkin,
    validate_session,
)

DAY = date(2026, 5, 4)


@pytest.mark.parametrize("stage", ["seminar", "simulation", "forum", "application"])
def test_a_session_of_each_stage_keeps_it_and_tidies_the_title(stage):
    checked = validate_session(SessionInput(stage, DAY, "  Auftakt \n im  Team "))
    assert checked == SessionInput(stage, DAY, "Auftakt im Team")


@pytest.mark.parametrize(
    ("stage", "title", "code"),
    [
        ("", "X", "stage"),
        ("Seminar", "X", "stage"),  # codes, not German names
        ("seminar", " \n ", "title"),
        ("seminar", "x" * (TITLE_LIMIT + 1), "title_too_long"),
    ],
)
def test_a_bad_session_raises_with_a_german_message(stage, title, code):
    with pytest.raises(InvalidEntryError) as err:
        validate_session(SessionInput(stage, DAY, title))
    assert err.value.code == code
    if code == "stage":
        assert "Seminar, Simulation, Forum, Anwendung" in str(err.value)


def test_a_check_in_on_the_day_itself_or_later_is_kept_with_stripped_texts():
    checked = validate_checkin(
        CheckinInput(1, 5, "  notiz ", " reflexion "), held_on=DAY, today=DAY
    )
    assert checked == CheckinInput(1, 5, "notiz", "reflexion")


def test_a_session_not_yet_held_cannot_be_checked_in():
    with pytest.raises(InvalidEntryError) as err:
        validate_checkin(CheckinInput(1, 3), held_on=date(2026, 5, 5), today=DAY)
    assert err.value.code == "future"
    assert str(err.value) == texts.INVALID_GROUP_CHECKIN["future"].format(date="05.05.2026")


@pytest.mark.parametrize(("value", "ok"), [(0, False), (1, True), (5, True), (6, False)])
def test_values_from_one_to_five_only(value, ok):
    if ok:
        assert validate_checkin(CheckinInput(1, value), held_on=DAY, today=DAY).value == value
    else:
        with pytest.raises(InvalidEntryError) as err:
            validate_checkin(CheckinInput(1, value), held_on=DAY, today=DAY)
        assert err.value.code == "value"


def test_overlong_notes_are_refused():
    with pytest.raises(InvalidEntryError) as err:
        validate_checkin(CheckinInput(1, 3, "x" * (NOTE_LIMIT + 1)), held_on=DAY, today=DAY)
    assert err.value.code == "too_long"


@pytest.mark.parametrize(
    ("values", "k", "mean"),
    [
        ([], 5, None),
        ([5, 5, 5, 5], 5, None),  # four people: below k, nothing shown
        ([1, 2, 3, 4, 5], 5, 3.0),
        ([4, 5, 5, 5, 5, 5], 5, 4.8),
        ([2, 3], 2, 2.5),
    ],
)
def test_the_mean_shows_from_k_people_on(values, k, mean):
    assert session_mean(values, k) == mean
