"""Programme evaluation and questionnaire through the facade: who may, the k rule, privacy.

Hashing embedder and a fresh database (SQLite, or PostgreSQL under ``.ci/postgres.sh``); the
cross cohort of ``tests/matching_cohort.py`` publishes three tandems, so the k boundary is
checked with k = 3 (shown) against k = 4 (withheld).
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from pypdf import PdfReader

from assistant.errors import AccessDenied, InvalidEntryError
from assistant.journey.evaluation import SCORES
from assistant.journey.meetings import MeetingInput
from assistant.policy import Principal, operator
from assistant.service import QuestionnaireInput
from tests.matching_cohort import CROSS
from tests.unit.journey_support import cross_assistant
from tests.unit.privacy_support import stores_of

pytestmark = pytest.mark.postgres

OPERATOR = operator("cli:test")
COORDINATOR = Principal("koordination", "coordinator", programmes=frozenset({CROSS}))
ELSEWHERE = Principal("andere", "coordinator", programmes=frozenset({"Anderes Programm"}))
ADMIN = Principal("admin", "admin")
TEXT = "Zum Abschluss: Das Netzwerk über die Stadtgrenzen hinweg hat mir am meisten geholfen."


def person(pid: str) -> Principal:
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({CROSS}))


def answer(value: int = 4, text: str = "") -> QuestionnaireInput:
    return QuestionnaireInput(dict.fromkeys(SCORES, value), text)


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    yield from cross_assistant(hashing_assistant, tmp_path)


@pytest.fixture
def pairs(engine):
    engine.match(COORDINATOR, CROSS)
    published = engine.match_publish(COORDINATOR, CROSS).result.pairs
    return {p.mentee: p.mentor for p in published}


def _rows(engine, action, outcome="ok"):
    return [
        r for r in stores_of(engine).audit.rows() if r.action == action and r.outcome == outcome
    ]


def _confirm_and_meet(engine, mentee, mentor, on=date(2026, 4, 1)):
    view = engine.tandem_agreement(person(mentee), CROSS)
    engine.confirm_agreement(person(mentee), CROSS, view.version)
    view = engine.tandem_agreement(person(mentor), CROSS)
    engine.confirm_agreement(person(mentor), CROSS, view.version)
    goals = len(view.content.goals)
    meeting = MeetingInput(on, 90, progress=tuple((g, 4) for g in range(goals)))
    engine.log_meeting(person(mentee), CROSS, meeting)


@pytest.mark.parametrize("who", [ELSEWHERE, ADMIN, person("me-1"), None])
def test_only_the_programmes_coordinator_evaluates_and_refusals_are_audited(engine, who):
    for call in (engine.evaluation, engine.evaluation_report):
        with pytest.raises(AccessDenied):
            call(who, CROSS)
    refused = _rows(engine, "evaluation.view", "denied")
    assert len(refused) == 2 and refused[0].programme == CROSS


def test_meeting_counts_are_the_operators_only(engine, pairs):
    for who in (COORDINATOR, person("me-1")):
        with pytest.raises(AccessDenied):
            engine.meeting_counts(who, CROSS)
    facts = engine.meeting_counts(OPERATOR, CROSS)
    assert {f.mentee: f.mentor for f in facts} == pairs
    assert _rows(engine, "meetings.list")[0].detail == {"tandems": len(pairs)}


def test_tandem_figures_from_k_tandems_on(engine, pairs):
    for mentee, mentor in pairs.items():
        _confirm_and_meet(engine, mentee, mentor)
    engine.k = len(pairs) + 1
    withheld = engine.evaluation(COORDINATOR, CROSS).evaluation
    assert withheld.tandems == len(pairs) and withheld.rhythm is None
    assert withheld.agreements is None and withheld.progress == ()
    engine.k = len(pairs)
    shown = engine.evaluation(COORDINATOR, CROSS)
    assert shown.evaluation.agreements.confirmed == len(pairs)
    assert shown.evaluation.rhythm.none == 0
    data = shown.as_dict()
    assert data["programme"] == CROSS and data["confirmed_agreements"]["share"] == 1.0
    text = json.dumps(data, ensure_ascii=False)
    assert not any(pid in text for pid in (*pairs, *pairs.values()))
    rows = _rows(engine, "evaluation.view")
    assert rows[0].detail["tandem_figures"] is True and "Netzwerk" not in json.dumps(rows[0].detail)


def test_the_pdf_report_reads_back_with_title_programme_k_rule_and_figures(engine, pairs):
    for mentee, mentor in pairs.items():
        _confirm_and_meet(engine, mentee, mentor)
    engine.k = len(pairs)
    _, pdf = engine.evaluation_report(COORDINATOR, CROSS)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Evaluation des Mentoring-Programms" in text and CROSS in text
    assert f"mindestens {len(pairs)} Personen" in text
    assert "Bestätigte Zielvereinbarungen" in text and "100 %" in text
    assert "zu wenige Antworten (mindestens 3)" in text
    assert _rows(engine, "evaluation.view")[0].detail["format"] == "pdf"


def test_questionnaire_answer_is_ones_own_and_a_second_replaces_it(engine):
    with pytest.raises(AccessDenied):
        engine.answer_questionnaire(COORDINATOR, CROSS, answer())
    engine.answer_questionnaire(person("me-1"), CROSS, answer(2))
    engine.answer_questionnaire(person("me-1"), CROSS, answer(5))
    mine = engine.my_questionnaire(person("me-1"), CROSS)
    assert mine is not None and (mine.satisfaction, mine.dimensions) == (5, (5,) * 5)
    assert engine.my_questionnaire(person("me-2"), CROSS) is None


@pytest.mark.parametrize("bad", [0, 6, None])
def test_questionnaire_value_outside_one_to_five_stores_nothing(engine, bad):
    scores = {**dict.fromkeys(SCORES, 3), "future": bad}
    with pytest.raises(InvalidEntryError) as err:
        engine.answer_questionnaire(person("me-1"), CROSS, QuestionnaireInput(scores, TEXT))
    assert "1 bis 5" in str(err.value)
    assert engine.my_questionnaire(person("me-1"), CROSS) is None
    assert TEXT not in [e.text for e in engine.entries(person("me-1"), CROSS)]


def test_free_text_becomes_a_reflection_only_with_consent(engine):
    saved = engine.answer_questionnaire(person("me-1"), CROSS, answer(text=TEXT))
    assert saved.reflection is True
    mine = [e for e in engine.entries(person("me-1"), CROSS) if e.text == TEXT]
    assert [e.kind for e in mine] == ["reflection"]
    engine.set_consent(OPERATOR, "me-2", analysis=False)
    refused = engine.answer_questionnaire(person("me-2"), CROSS, answer(text=TEXT))
    assert refused.reflection is False
    assert TEXT not in [e.text for e in engine.entries(person("me-2"), CROSS)]
    assert engine.my_questionnaire(person("me-2"), CROSS) is not None


def test_questionnaire_means_from_k_answers_on(engine):
    engine.k = 3
    for i, pid in enumerate(("me-1", "me-2")):
        engine.answer_questionnaire(person(pid), CROSS, answer(2 + i))
    assert engine.evaluation(COORDINATOR, CROSS).evaluation.questionnaire is None
    engine.answer_questionnaire(person("mo-1"), CROSS, answer(5))
    summary = engine.evaluation(COORDINATOR, CROSS).evaluation.questionnaire
    assert summary is not None and summary.n == 3
    assert summary.means[0] == pytest.approx(10 / 3)


def test_answer_in_export_and_gone_after_erasure(engine):
    engine.answer_questionnaire(person("me-1"), CROSS, answer(4))
    exported = engine.export(OPERATOR, "me-1")
    assert exported["questionnaire"][0]["programme"] == CROSS
    assert exported["questionnaire"][0]["satisfaction"] == 4
    engine.erase(OPERATOR, "me-1")
    assert stores_of(engine).questionnaire.of_participant("me-1") == []


def test_retention_removes_the_answers_with_the_programme(engine):
    engine.answer_questionnaire(person("me-1"), CROSS, answer(4))
    stores = stores_of(engine)
    prog = stores.programmes.get(CROSS)
    with stores.db.transaction() as tx:
        stores.programmes.upsert(tx, CROSS, prog.kind, ends_on=date(2026, 3, 31))
    dry = engine.run_retention(ADMIN, today=date(2027, 3, 31), dry_run=True)
    assert dry["programmes"][0]["questionnaire"] == 1
    done = engine.run_retention(ADMIN, today=date(2027, 3, 31))
    assert done["programmes"][0]["removed"]["questionnaire"] == 1
    assert stores.questionnaire.of_programme(prog.id) == []
