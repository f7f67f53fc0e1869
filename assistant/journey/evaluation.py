"""Programme evaluation: tandems' meetings, agreements, progress and the questionnaire, under k.

Pure functions over values (the service collects them); nothing here knows storage or who
asks. The k rule lives in ``evaluate``: no figure about fewer than ``k`` people, per-tandem
figures only as counts across at least ``k`` tandems; a withheld figure is ``None`` (or a topic
left out), never a smaller number. No text, note or name enters: topics are pool ids and
participants only count.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean
from typing import Any

from assistant.journey.meetings import next_meeting

__all__ = [
    "DIMENSIONS",
    "SCORES",
    "AgreementShare",
    "Answer",
    "Evaluation",
    "PersonTopics",
    "QuestionnaireSummary",
    "RhythmCounts",
    "TandemFacts",
    "TopicProgress",
    "TopicShift",
    "evaluate",
    "expected_meetings",
    "tandem_facts",
]

DIMENSIONS = ("networking", "exchange", "advice", "feedback", "future")
"""The Munich reverse-mentoring evaluation's dimensions: Vernetzung, Erfahrungsaustausch,
Beratung, Feedback, Zukunft (``texts.DIMENSION_LABELS``)."""
SCORES = ("satisfaction", *DIMENSIONS)
"""Every 1-to-5 question of the questionnaire, overall satisfaction first."""

# A programme of a few years has at most a few hundred weekly dates: the loop is bounded.
_MAX_PERIODS = 1000


@dataclass(frozen=True)
class TandemFacts:
    """What the evaluation knows of one published tandem: counts and dates, never texts.

    Attributes
    ----------
    expected : int
        Meetings the agreed rhythm asked for from the programme's start until today.
    confirmed : bool
        Whether both partners confirmed a version of the agreement (one is in force).
    overdue : bool
        Whether the next meeting by the rhythm lies before today.
    goals : tuple of (str, int or None)
        Each goal's pool topic ("" for a goal of its own) and its latest progress (1 to 5).
    """

    mentee: str
    mentor: str
    meetings: int
    minutes: int
    last_on: date | None
    expected: int
    confirmed: bool
    overdue: bool
    goals: tuple[tuple[str, int | None], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form of ``assistant meetings`` (no goals, no texts)."""
        return {
            "mentee": self.mentee,
            "mentor": self.mentor,
            "meetings": self.meetings,
            "minutes": self.minutes,
            "last_meeting": self.last_on.isoformat() if self.last_on else None,
            "expected_meetings": self.expected,
            "agreement_confirmed": self.confirmed,
            "overdue": self.overdue,
        }


@dataclass(frozen=True)
class Answer:
    """One questionnaire answer: ``scores`` in the order of ``SCORES``, each 1 to 5."""

    participant: str
    scores: tuple[int, ...]


@dataclass(frozen=True)
class PersonTopics:
    """The pool topics one person's goals and reflections name (their best suggestions)."""

    participant: str
    goals: frozenset[str]
    reflections: frozenset[str]


@dataclass(frozen=True)
class RhythmCounts:
    """Tandems that met as often as their rhythm asks (or more), less often, not at all."""

    met: int
    below: int
    none: int


@dataclass(frozen=True)
class AgreementShare:
    """Tandems with a confirmed agreement among all published tandems."""

    confirmed: int
    tandems: int

    @property
    def share(self) -> float:
        """``confirmed / tandems`` (0 without tandems)."""
        return self.confirmed / self.tandems if self.tandems else 0.0


@dataclass(frozen=True)
class TopicProgress:
    """Mean latest progress (1 to 5) of the goals under one pool topic; ``people``: mentees."""

    topic: str
    people: int
    mean: float


@dataclass(frozen=True)
class QuestionnaireSummary:
    """Number of answers and the mean of each question (``SCORES`` order)."""

    n: int
    means: tuple[float, ...]


@dataclass(frozen=True)
class TopicShift:
    """A topic in people's goals against their reflections.

    ``goals_share``: of the people whose goals name any topic, those naming this one;
    ``reflections_share`` likewise; None when that base has fewer than k people.
    """

    topic: str
    people: int
    goals_share: float | None
    reflections_share: float | None


@dataclass(frozen=True)
class Evaluation:
    """A programme's evaluation as it may be shown; ``None`` marks a figure withheld under k."""

    k: int
    tandems: int
    rhythm: RhythmCounts | None
    agreements: AgreementShare | None
    progress: tuple[TopicProgress, ...]
    questionnaire: QuestionnaireSummary | None
    shifts: tuple[TopicShift, ...]

    def as_dict(self, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Return the JSON-ready form (``assistant evaluation --json``; fields in the README)."""
        names = labels or {}
        rhythm: dict[str, Any] = {"shown": self.rhythm is not None}
        if self.rhythm is not None:
            rhythm |= {
                "met": self.rhythm.met,
                "below": self.rhythm.below,
                "none": self.rhythm.none,
            }
        agreements: dict[str, Any] = {"shown": self.agreements is not None}
        if self.agreements is not None:
            agreements |= {
                "confirmed": self.agreements.confirmed,
                "tandems": self.agreements.tandems,
                "share": round(self.agreements.share, 3),
            }
        questionnaire: dict[str, Any] = {"shown": self.questionnaire is not None}
        if self.questionnaire is not None:
            questionnaire["answers"] = self.questionnaire.n
            questionnaire |= {
                name: round(mean, 2)
                for name, mean in zip(SCORES, self.questionnaire.means, strict=True)
            }
        return {
            "k": self.k,
            "tandems": self.tandems,
            "meetings_vs_rhythm": rhythm,
            "confirmed_agreements": agreements,
            "goal_progress": [
                {
                    "topic": p.topic,
                    "label": names.get(p.topic, p.topic),
                    "people": p.people,
                    "mean_progress": round(p.mean, 2),
                }
                for p in self.progress
            ],
            "questionnaire": questionnaire,
            "goals_vs_reflections": [
                {
                    "topic": s.topic,
                    "label": names.get(s.topic, s.topic),
                    "people": s.people,
                    "goals_share": _rounded(s.goals_share),
                    "reflections_share": _rounded(s.reflections_share),
                }
                for s in self.shifts
            ],
        }


def expected_meetings(rhythm: str, since: date, today: date) -> int:
    """Return how many meetings ``rhythm`` asks for from ``since`` up to ``today``.

    The first is due one rhythm after ``since`` (as ``next_meeting`` counts); an unknown
    rhythm counts as monthly.
    """
    n, last = 0, since
    while n < _MAX_PERIODS:
        due = next_meeting(rhythm, [last], today, since=since).next_on
        if due > today:
            break
        n, last = n + 1, due
    return n


def tandem_facts(
    mentee: str,
    mentor: str,
    *,
    rhythm: str,
    meetings: Sequence[tuple[date, int, Sequence[tuple[int, int]]]],
    goal_topics: Sequence[str],
    confirmed: bool,
    since: date,
    today: date,
) -> TandemFacts:
    """Return one tandem's facts from its meetings ``(date, minutes, ((goal, value), ...))``.

    ``goal_topics`` are the topics of the agreement's goals by index; progress of a goal the
    agreement no longer has is left out. A goal's latest value is that of its last meeting.
    """
    latest: dict[int, tuple[date, int]] = {}
    for on, _, progress in meetings:
        for goal, value in progress:
            if 0 <= goal < len(goal_topics) and (goal not in latest or on >= latest[goal][0]):
                latest[goal] = (on, value)
    held = [on for on, _, _ in meetings]
    return TandemFacts(
        mentee=mentee,
        mentor=mentor,
        meetings=len(meetings),
        minutes=sum(minutes for _, minutes, _ in meetings),
        last_on=max(held, default=None),
        expected=expected_meetings(rhythm, since, today),
        confirmed=confirmed,
        overdue=next_meeting(rhythm, held, today, since=since).overdue,
        goals=tuple(
            (topic, latest[i][1] if i in latest else None) for i, topic in enumerate(goal_topics)
        ),
    )


def evaluate(
    tandems: Sequence[TandemFacts],
    answers: Sequence[Answer],
    people: Sequence[PersonTopics],
    k: int,
    counted: Collection[str] | None = None,
) -> Evaluation:
    """Aggregate a programme under the k rule.

    Parameters
    ----------
    k : int
        The k of k-anonymity (``settings.k_min_cluster``).
    counted : collection of str, optional
        People who count toward k (signed in, or confirmed by an admin, as for themes); None:
        everyone. A tandem counts through its mentee.

    Returns
    -------
    Evaluation
        Tandem figures only with at least ``k`` counted tandems; questionnaire means only with
        at least ``k`` counted answers; a topic only with at least ``k`` counted people.
    """

    def n_counted(ids: Collection[str]) -> int:
        return len(set(ids) if counted is None else set(ids) & set(counted))

    enough_tandems = n_counted([t.mentee for t in tandems]) >= k
    rhythm = agreements = None
    if enough_tandems:
        met = sum(1 for t in tandems if t.meetings and t.meetings >= t.expected)
        none = sum(1 for t in tandems if not t.meetings)
        rhythm = RhythmCounts(met, len(tandems) - met - none, none)
        agreements = AgreementShare(sum(1 for t in tandems if t.confirmed), len(tandems))

    values: dict[str, list[int]] = {}
    contributors: dict[str, set[str]] = {}
    for t in tandems:
        for topic, value in t.goals:
            if topic and value is not None:
                values.setdefault(topic, []).append(value)
                contributors.setdefault(topic, set()).add(t.mentee)
    progress = tuple(
        sorted(
            (
                TopicProgress(topic, len(contributors[topic]), fmean(found))
                for topic, found in values.items()
                if n_counted(contributors[topic]) >= k
            ),
            key=lambda p: (-p.people, p.topic),
        )
    )

    questionnaire = None
    if n_counted([a.participant for a in answers]) >= k:
        questionnaire = QuestionnaireSummary(
            len(answers),
            tuple(fmean(a.scores[i] for a in answers) for i in range(len(SCORES))),
        )

    return Evaluation(
        k=k,
        tandems=len(tandems),
        rhythm=rhythm,
        agreements=agreements,
        progress=progress,
        questionnaire=questionnaire,
        shifts=_shifts(people, k, n_counted),
    )


def _shifts(people: Sequence[PersonTopics], k: int, n_counted: Any) -> tuple[TopicShift, ...]:
    with_goals = [p.participant for p in people if p.goals]
    with_reflections = [p.participant for p in people if p.reflections]
    goal_base = len(with_goals) if n_counted(with_goals) >= k else 0
    reflection_base = len(with_reflections) if n_counted(with_reflections) >= k else 0
    topics = sorted({t for p in people for t in (*p.goals, *p.reflections)})
    shifts = []
    for topic in topics:
        naming = [p.participant for p in people if topic in p.goals or topic in p.reflections]
        if n_counted(naming) < k:
            continue
        in_goals = sum(1 for p in people if topic in p.goals)
        in_reflections = sum(1 for p in people if topic in p.reflections)
        shifts.append(
            TopicShift(
                topic,
                len(naming),
                in_goals / goal_base if goal_base else None,
                in_reflections / reflection_base if reflection_base else None,
            )
        )
    return tuple(sorted(shifts, key=lambda s: (-s.people, s.topic)))


def _rounded(share: float | None) -> float | None:
    return None if share is None else round(share, 3)
