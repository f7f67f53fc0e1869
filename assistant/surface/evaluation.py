"""The evaluation part of the ``Assistant``: programme aggregates, meeting counts, questionnaire.

Coordinators of a programme (and the operator) see its evaluation (``EVALUATE``), only as
aggregates under the k rule; the operator lists per-tandem meeting counts (``LIST_MEETINGS``,
like ``assistant match`` lists pairs; no texts); a participant answers the end-of-programme
questionnaire for themselves (``ANSWER_QUESTIONNAIRE``). Audit rows carry counts, never texts.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.journey.evaluation import TandemFacts
from assistant.policy import Action, Principal
from assistant.services.evaluation import ProgrammeEvaluation, QuestionnaireInput
from assistant.storage.questionnaire import StoredAnswer
from assistant.surface.base import SurfaceBase

__all__ = ["EvaluationSurface", "QuestionnaireSaved"]


@dataclass(frozen=True)
class QuestionnaireSaved:
    """``reflection``: the free text saved as an entry (True), not (False), none given (None)."""

    reflection: bool | None


class EvaluationSurface(SurfaceBase):
    """Checked methods of the programme evaluation and the questionnaire."""

    def evaluation(self, who: Principal | None, programme: str) -> ProgrammeEvaluation:
        """Return the programme's evaluation: aggregates only, each under the k rule."""
        me = self._allow(who, Action.EVALUATE, programme=programme)
        found = self._services().evaluations.evaluate(programme)
        self._audit(me, Action.EVALUATE, programme=programme, detail=_detail(found))
        return found

    def evaluation_report(
        self, who: Principal | None, programme: str
    ) -> tuple[ProgrammeEvaluation, bytes]:
        """Return the evaluation with its PDF report (audited as a download)."""
        me = self._allow(who, Action.EVALUATE, programme=programme)
        found, pdf = self._services().evaluations.report(programme)
        detail = {**_detail(found), "format": "pdf"}
        self._audit(me, Action.EVALUATE, programme=programme, detail=detail)
        return found, pdf

    def meeting_counts(self, who: Principal | None, programme: str) -> list[TandemFacts]:
        """Return each published tandem's meeting counts, dates and agreement state (operator)."""
        me = self._allow(who, Action.LIST_MEETINGS, programme=programme)
        _, facts = self._services().evaluations.tandems(programme)
        self._audit(me, Action.LIST_MEETINGS, programme=programme, detail={"tandems": len(facts)})
        return facts

    def my_questionnaire(self, who: Principal | None, programme: str) -> StoredAnswer | None:
        """Return one's own questionnaire answer in a programme, or None."""
        me = self._own(who, Action.ANSWER_QUESTIONNAIRE, programme)
        services = self._services()
        assert me.participant_id is not None
        return services.evaluations.answer_of(
            me.participant_id, services.lookups.programme(programme)
        )

    def answer_questionnaire(
        self, who: Principal | None, programme: str, answer: QuestionnaireInput
    ) -> QuestionnaireSaved:
        """Store one's answer (a second replaces the first).

        The free text becomes a normal reflection entry of the person, analysed like any
        other, only with their consent to analysis (as ``log_meeting``'s reflection). Raises
        ``InvalidEntryError`` (German message) for a value outside 1 to 5: nothing is stored.
        """
        me = self._own(who, Action.ANSWER_QUESTIONNAIRE, programme)
        pid = me.participant_id
        assert pid is not None
        services = self._services()
        prog = services.lookups.programme(programme)
        services.evaluations.answer(pid, prog, answer)
        self._audit(me, Action.ANSWER_QUESTIONNAIRE, programme=programme, subject=pid)
        saved: bool | None = None
        if answer.text.strip():
            saved = services.lookups.member(pid, prog).consent_analysis
            if saved:
                services.workspace.add_entry(pid, prog, "reflection", answer.text)
                services.peering.refresh({prog.id: {pid}})
                self._audit(me, Action.WRITE_OWN_ENTRIES, programme=programme, subject=pid)
        return QuestionnaireSaved(saved)


def _detail(found: ProgrammeEvaluation) -> dict[str, object]:
    """Return what the audit keeps of an evaluation: tandems, which parts were shown."""
    e = found.evaluation
    return {
        "tandems": e.tandems,
        "tandem_figures": e.rhythm is not None,
        "questionnaire": e.questionnaire is not None,
        "topics": len(e.progress) + len(e.shifts),
    }
