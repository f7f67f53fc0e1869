"""Programme evaluation's pure aggregation (issue #13, item 6): the k rule at its boundary."""

from __future__ import annotations

import json
from datetime import date

import pytest

from assistant.journey.evaluation import (
    SCORES,
    Answer,
    PersonTopics,
    TandemFacts,
    evaluate,
    expected_meetings,
    tandem_facts,
)

K = 5
TODAY = date(2026, 6, 15)


def _tandem(i: int, *, meetings: int, expected: int = 3, confirmed: bool = True, goals=()):
    return TandemFacts(
        mentee=f"me-{i}",
        mentor=f"mo-{i}",
        meetings=meetings,
        minutes=90 * meetings,
        last_on=date(2026, 6, 1) if meetings else None,
        expected=expected,
        confirmed=confirmed,
        overdue=not meetings,
        goals=tuple(goals),
    )


@pytest.mark.parametrize(
    ("rhythm", "since", "expected"),
    [
        ("monthly", date(2026, 1, 15), 5),  # Feb 15 … Jun 15
        ("monthly", date(2026, 6, 1), 0),
        ("weekly", date(2026, 6, 1), 2),  # Jun 8, Jun 15
        ("biweekly", date(2026, 5, 1), 3),  # May 15, May 29, Jun 12
        ("unknown", date(2026, 4, 15), 2),  # counts as monthly
    ],
)
def test_expected_meetings_counts_rhythm_dates_up_to_today(rhythm, since, expected):
    assert expected_meetings(rhythm, since, TODAY) == expected


def test_tandem_facts_take_each_goals_latest_value_and_the_meeting_totals():
    facts = tandem_facts(
        "me-1",
        "mo-1",
        rhythm="monthly",
        meetings=[
            (date(2026, 3, 1), 60, [(0, 2), (1, 4)]),
            (date(2026, 5, 1), 90, [(0, 4), (7, 5)]),  # goal 7 no longer in the agreement
        ],
        goal_topics=["führung", "netzwerk"],
        confirmed=True,
        since=date(2026, 1, 15),
        today=TODAY,
    )
    assert (facts.meetings, facts.minutes, facts.last_on) == (2, 150, date(2026, 5, 1))
    assert facts.goals == (("führung", 4), ("netzwerk", 4))
    assert facts.expected == 5 and facts.overdue  # next was due June 1


def test_four_tandems_withhold_every_tandem_figure():
    tandems = [_tandem(i, meetings=3, goals=[("führung", 4)]) for i in range(4)]
    result = evaluate(tandems, [], [], K)
    assert result.tandems == 4
    assert result.rhythm is None and result.agreements is None and result.progress == ()
    data = result.as_dict()
    assert data["meetings_vs_rhythm"] == {"shown": False}
    assert data["confirmed_agreements"] == {"shown": False}
    assert data["goal_progress"] == []


def test_five_tandems_show_counts_across_tandems_only():
    tandems = [
        _tandem(0, meetings=3, goals=[("führung", 2)]),
        _tandem(1, meetings=4, goals=[("führung", 4)]),
        _tandem(2, meetings=1, goals=[("führung", 3), ("netzwerk", 5)]),
        _tandem(3, meetings=0, confirmed=False),
        _tandem(4, meetings=2, goals=[("führung", 5)]),
    ]
    result = evaluate(tandems, [], [], K)
    assert (result.rhythm.met, result.rhythm.below, result.rhythm.none) == (2, 2, 1)
    assert (result.agreements.confirmed, result.agreements.tandems) == (4, 5)
    # führung: four mentees only: below k, withheld like netzwerk's one
    assert result.progress == ()
    tandems.append(_tandem(5, meetings=3, goals=[("führung", 1)]))
    shown = evaluate(tandems, [], [], K).progress
    assert [(p.topic, p.people, p.mean) for p in shown] == [("führung", 5, 3.0)]


def test_no_per_tandem_figure_or_id_leaks_into_the_json():
    tandems = [_tandem(i, meetings=i, goals=[("führung", 1 + i % 5)]) for i in range(7)]
    answers = [Answer(f"me-{i}", (4, 3, 5, 2, 4, 1)) for i in range(6)]
    text = json.dumps(evaluate(tandems, answers, [], K).as_dict())
    assert "me-" not in text and "mo-" not in text
    assert "minutes" not in text and "last" not in text


def test_questionnaire_means_from_k_answers_on():
    answers = [Answer(f"p{i}", (i + 1, 3, 3, 3, 3, 5)) for i in range(4)]
    assert evaluate([], answers, [], K).questionnaire is None
    assert evaluate([], answers, [], K).as_dict()["questionnaire"] == {"shown": False}
    answers.append(Answer("p4", (5, 3, 3, 3, 3, 5)))
    summary = evaluate([], answers, [], K).questionnaire
    assert summary is not None and summary.n == 5
    data = evaluate([], answers, [], K).as_dict()["questionnaire"]
    assert list(data) == ["shown", "answers", *SCORES]
    assert (data["satisfaction"], data["networking"], data["future"]) == (3.0, 3.0, 5.0)


def test_only_counted_people_reach_k():
    answers = [Answer(f"p{i}", (4, 4, 4, 4, 4, 4)) for i in range(5)]
    counted = {f"p{i}" for i in range(4)}  # p4 neither signed in nor confirmed
    assert evaluate([], answers, [], K, counted).questionnaire is None
    assert evaluate([], answers, [], K, counted | {"p4"}).questionnaire is not None


def test_goals_against_reflections_per_topic_from_k_people():
    people = [
        PersonTopics(f"p{i}", frozenset({"führung"}), frozenset({"netzwerk"} if i < 3 else ()))
        for i in range(5)
    ] + [PersonTopics("p5", frozenset({"netzwerk"}), frozenset({"führung"}))]
    shifts = {s.topic: s for s in evaluate([], [], people, K).shifts}
    assert set(shifts) == {"führung"}  # netzwerk: four people
    assert shifts["führung"].people == 6
    assert shifts["führung"].goals_share == pytest.approx(5 / 6)
    assert shifts["führung"].reflections_share is None  # four people wrote reflections


def test_reflection_share_given_once_k_people_reflected():
    people = [
        PersonTopics(f"p{i}", frozenset({"führung"}), frozenset({"führung"} if i < 2 else {"x"}))
        for i in range(5)
    ]
    (shift,) = [s for s in evaluate([], [], people, K).shifts if s.topic == "führung"]
    assert (shift.goals_share, shift.reflections_share) == (1.0, 0.4)
