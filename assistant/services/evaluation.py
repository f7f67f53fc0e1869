"""Evaluation: a programme's tandems, questionnaire answers and topics, collected and aggregated.

Unaware of who asks (the facade checks ``evaluation.view`` for the aggregates, ``meetings.list``
for the operator's per-tandem counts, and a participant's own ``questionnaire.answer``). It
reads counts, dates, progress values and suggested topic ids; never a text, note or name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from assistant import texts
from assistant.domain import Programme
from assistant.errors import InvalidEntryError
from assistant.journey import AgreementContent, Tandem
from assistant.journey.evaluation import (
    SCORES,
    Answer,
    Evaluation,
    PersonTopics,
    TandemFacts,
    evaluate,
    tandem_facts,
)
from assistant.journey.evaluation_report import evaluation_pdf
from assistant.nlp.text import validate_text
from assistant.services.analyses import Analyses
from assistant.services.journey import Journey, agreement_defaults
from assistant.services.lookups import Lookups
from assistant.services.match_records import match_result
from assistant.services.matching import mode_of
from assistant.storage import Stores
from assistant.storage.questionnaire import StoredAnswer

__all__ = ["Evaluations", "ProgrammeEvaluation", "QuestionnaireInput", "scores_of"]


@dataclass(frozen=True)
class QuestionnaireInput:
    """A participant's answer: ``scores`` maps each of ``SCORES`` to 1 to 5; ``text`` optional."""

    scores: dict[str, int]
    text: str = ""


@dataclass(frozen=True)
class ProgrammeEvaluation:
    """A programme's evaluation as of ``on``, with the pool's topic labels for its topics."""

    programme: Programme
    on: date
    evaluation: Evaluation
    labels: dict[str, str]

    def as_dict(self) -> dict[str, object]:
        """Return the JSON object of ``assistant evaluation`` (fields in the README)."""
        return {
            "programme": self.programme.name,
            "kind": self.programme.kind,
            "computed_on": self.on.isoformat(),
            **self.evaluation.as_dict(self.labels),
        }


class Evaluations:
    """Programme evaluation under the k rule, and the end-of-programme questionnaire."""

    def __init__(
        self,
        stores: Stores,
        analyses: Analyses,
        lookups: Lookups,
        journey: Journey,
        k: int,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.stores = stores
        self.analyses = analyses
        self.lookups = lookups
        self.journey = journey
        self.k = k
        self.now = now

    # -- the questionnaire ----------------------------------------------------------------------

    def check_answer(self, answer: QuestionnaireInput) -> tuple[int, ...]:
        """Return the scores in ``SCORES`` order, or raise ``InvalidEntryError`` (German).

        The free text, when given, is checked like any entry's text (``validate_text``).
        """
        values = tuple(answer.scores.get(name) for name in SCORES)
        if any(not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 5 for v in values):
            raise InvalidEntryError(texts.INVALID_QUESTIONNAIRE, "questionnaire")
        if answer.text.strip():
            validate_text(answer.text)
        return tuple(int(v) for v in values if v is not None)

    def answer(self, participant_id: str, programme: Programme, answer: QuestionnaireInput) -> None:
        """Store a person's answer (replacing an earlier one); the text is the caller's to keep."""
        self.lookups.member(participant_id, programme)  # unknown_participant: nothing stored
        scores = self.check_answer(answer)
        self.stores.questionnaire.save(
            programme.id,
            participant_id,
            satisfaction=scores[0],
            dimensions=(scores[1], scores[2], scores[3], scores[4], scores[5]),
            at=self.now(),
        )

    def answer_of(self, participant_id: str, programme: Programme) -> StoredAnswer | None:
        """Return a person's own answer in a programme, or None."""
        return self.stores.questionnaire.get(programme.id, participant_id)

    # -- the evaluation -------------------------------------------------------------------------

    def tandems(self, programme: str) -> tuple[Programme, list[TandemFacts]]:
        """Return a programme's published tandems with their counts (empty for peer groups)."""
        prog = self.lookups.programme(programme)
        if mode_of(prog.kind) != "pairs":
            return prog, []
        run = self.stores.matches.get(prog.id, "pairs", "published")
        if run is None:
            return prog, []
        today = self.now().date()
        since = self._starts_on(prog, today)
        facts = []
        for pair in match_result(prog.kind, run).pairs:
            versions = self.stores.agreements.versions(prog.id, pair.mentee, pair.mentor)
            partners = {pair.mentee, pair.mentor}
            confirmed = any(
                partners <= {c.participant_id for c in v.confirmations} for v in versions
            )
            meetings = self.stores.meetings.of_tandem(prog.id, pair.mentee, pair.mentor, reader="")
            if versions:
                content = AgreementContent.from_dict(versions[-1].content)
                rhythm, topics = content.rhythm, tuple(g.topic for g in content.goals)
            elif any(m.progress for m in meetings):
                # Progress was logged against the prefilled draft: its goals name the topics.
                content = self._draft(prog, pair.mentee)
                rhythm, topics = content.rhythm, tuple(g.topic for g in content.goals)
            else:
                rhythm, topics = agreement_defaults(prog).rhythm, ()
            facts.append(
                tandem_facts(
                    pair.mentee,
                    pair.mentor,
                    rhythm=rhythm,
                    meetings=[
                        (m.held_on, m.minutes, [(g, v) for g, _, v in m.progress]) for m in meetings
                    ],
                    goal_topics=topics,
                    confirmed=confirmed,
                    since=since,
                    today=today,
                )
            )
        return prog, facts

    def evaluate(self, programme: str) -> ProgrammeEvaluation:
        """Return the programme's evaluation under the k rule, as of today."""
        prog, tandems = self.tandems(programme)
        people = self.stores.programmes.participants_of(prog.id)
        counted = {p.id for p in people if p.confirmed}
        answers = [
            Answer(a.participant_id, (a.satisfaction, *a.dimensions))
            for a in self.stores.questionnaire.of_programme(prog.id)
        ]
        evaluation = evaluate(tandems, answers, self._topics(prog), self.k, counted)
        pool = self.analyses.pools.pool_of(prog.id)
        labels = {t.id: t.label_in("de") for t in pool.topics}
        return ProgrammeEvaluation(prog, self.now().date(), evaluation, labels)

    def report(self, programme: str) -> tuple[ProgrammeEvaluation, bytes]:
        """Return the evaluation with its PDF report."""
        found = self.evaluate(programme)
        pdf = evaluation_pdf(found.programme.name, found.on, found.evaluation, found.labels)
        return found, pdf

    def _topics(self, prog: Programme) -> list[PersonTopics]:
        """Each consenting person's best topic per goal and per reflection (not dismissed)."""
        entries = self.stores.entries.of_programme(prog.id, consent_analysis=True)
        entries = [e for e in entries if e.kind in ("goal", "reflection")]
        best: dict[str, tuple[bool, int, str]] = {}
        for s in self.stores.entries.suggestions_of([e.id for e in entries]):
            if s.status == "dismissed":
                continue
            rank = (s.status != "accepted", s.rank, s.topic_id)
            if s.entry_id not in best or rank < best[s.entry_id]:
                best[s.entry_id] = rank
        goals: dict[str, set[str]] = {}
        reflections: dict[str, set[str]] = {}
        for e in entries:
            into = goals if e.kind == "goal" else reflections
            found = into.setdefault(e.participant_id, set())
            if e.id in best:
                found.add(best[e.id][2])
        return [
            PersonTopics(pid, frozenset(goals.get(pid, ())), frozenset(reflections.get(pid, ())))
            for pid in sorted({*goals, *reflections})
        ]

    def _starts_on(self, prog: Programme, today: date) -> date:
        """Return the programme's start date, else its first entry's day, else today."""
        if prog.starts_on is not None:
            return prog.starts_on
        days = [_day(e.created_at) for e in self.stores.entries.of_programme(prog.id)]
        return min(days, default=today)

    def _draft(self, prog: Programme, mentee: str) -> AgreementContent:
        tandem: Tandem | None = self.journey.tandem(prog.name, mentee)
        if tandem is None:
            return AgreementContent((), agreement_defaults(prog).rhythm, 90, 12, "")
        return self.journey.agreement(tandem).content


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def scores_of(answer: StoredAnswer) -> dict[str, int]:
    """Return a stored answer as ``{score name: value}`` (the form shows it again)."""
    return dict(zip(SCORES, (answer.satisfaction, *answer.dimensions), strict=True))
