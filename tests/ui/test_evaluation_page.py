"""AppTest of "Evaluation" (coordinators) and the questionnaire on "Mein Mentoring" (issue #13).

The demo's cross programme is published; five tandems confirm their agreement and meet once.
With k above the number of tandems the page says "zu wenige Tandems" instead of each tandem
figure; from k on it shows them, each chart with its table, and makes the PDF report. A mentee
answers the questionnaire on her page and sees her answer again; the questionnaire's means
appear only once k people answered. Tests run in file order on one data folder per module.
"""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.journey.evaluation import SCORES
from assistant.journey.meetings import MeetingInput
from assistant.policy import Principal, operator
from assistant.service import QuestionnaireInput
from tests.ui.conftest import APP, sign_in_as
from tests.ui.tandem_support import CROSS, page

EVALUATION = "assistant/ui/pages/evaluation.py"
OPERATOR = operator("cli:test")

pytestmark = pytest.mark.usefixtures("demo_app")


def _person(pid: str) -> Principal:
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({CROSS}))


@pytest.fixture(scope="module")
def pairs(engine) -> dict[str, str]:
    """Published tandems; the first five confirmed their agreement and met once."""
    engine.match(OPERATOR, CROSS)
    published = {p.mentee: p.mentor for p in engine.match_publish(OPERATOR, CROSS).result.pairs}
    assert len(published) >= 6
    for mentee in sorted(published)[:5]:
        for pid in (mentee, published[mentee]):
            view = engine.tandem_agreement(_person(pid), CROSS)
            engine.confirm_agreement(_person(pid), CROSS, view.version)
        engine.log_meeting(_person(mentee), CROSS, MeetingInput(date(2026, 3, 2), 90))
    return published


@pytest.fixture
def k(engine):
    """Set the engine's k for one test; the default comes back afterwards."""
    before = engine.k

    def set_k(value: int) -> None:
        engine.k = value

    yield set_k
    engine.k = before


def evaluation_page() -> AppTest:
    who = Principal("koordination-eval", "coordinator", programmes=frozenset({CROSS}))
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["programm"] = CROSS
    sign_in_as(at, who).run()
    at.switch_page(EVALUATION).run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest, column: str):
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def test_below_k_tandems_the_page_says_too_few_instead_of_figures(pairs, k):
    k(len(pairs) + 1)
    at = evaluation_page()
    infos = [i.value for i in at.info]
    assert texts.EVAL_TOO_FEW_TANDEMS.format(k=len(pairs) + 1) in infos
    assert texts.EVAL_TOO_FEW_ANSWERS.format(k=len(pairs) + 1) in infos
    columns = [c for d in at.dataframe for c in d.value.columns]
    assert texts.EVAL_RHYTHM_COLUMNS["tandems"] not in columns
    assert texts.EVAL_AGREEMENT_COLUMNS["share"] not in columns
    assert texts.EVAL_TANDEMS.format(n=len(pairs)) in [m.value for m in at.markdown]


def test_from_k_tandems_on_each_chart_has_its_table(pairs, k):
    k(5)
    at = evaluation_page()
    assert texts.EVAL_TOO_FEW_TANDEMS.format(k=5) not in [i.value for i in at.info]
    rhythm = _table(at, texts.EVAL_RHYTHM_COLUMNS["category"])
    counts = dict(zip(rhythm.iloc[:, 0], rhythm.iloc[:, 1], strict=True))
    assert counts[texts.EVAL_RHYTHM_CATEGORIES["none"]] == str(len(pairs) - 5)
    agreements = _table(at, texts.EVAL_AGREEMENT_COLUMNS["share"])
    assert list(agreements.iloc[0])[:2] == ["5", str(len(pairs))]
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    # the rhythm chart carries the same categories as its table (three bars)
    assert any(texts.EVAL_RHYTHM_CATEGORIES["below"] in spec for spec in specs)
    assert not [m for m in at.markdown if any(pid in m.value for pid in pairs)]


def test_the_pdf_report_is_made_on_request(pairs, k):
    k(5)
    at = evaluation_page()
    assert not at.get("download_button")
    at.button(key="eval_pdf_make").click().run()
    assert not at.exception, at.exception
    assert len(at.get("download_button")) == 1


def test_a_mentee_answers_the_questionnaire_and_sees_her_answer(pairs):
    mentee = sorted(pairs)[0]
    at = page(mentee)
    assert texts.QUESTIONNAIRE_HEADING in [s.value for s in at.subheader]
    for name in SCORES:
        at.radio(key=f"qn_{name}_{CROSS}").set_value(4)
    at.radio(key=f"qn_future_{CROSS}").set_value(6 - 1)
    at.button(key=f"qn_save_{CROSS}").click().run()
    assert not at.exception, at.exception
    assert texts.QUESTIONNAIRE_SAVED in [s.value for s in at.success]
    again = page(mentee)
    assert any(texts.QUESTIONNAIRE_YOURS.split("{")[0] in m.value for m in again.markdown)
    assert again.radio(key=f"qn_future_{CROSS}").value == 5


def test_questionnaire_means_appear_from_k_answers_on(engine, pairs, k):
    k(5)
    others = sorted(pairs)[1:4]  # with the mentee's answer: four
    for pid in others:
        engine.answer_questionnaire(
            _person(pid), CROSS, QuestionnaireInput(dict.fromkeys(SCORES, 3))
        )
    at = evaluation_page()
    assert texts.EVAL_TOO_FEW_ANSWERS.format(k=5) in [i.value for i in at.info]
    fifth = sorted(pairs)[4]
    engine.answer_questionnaire(_person(fifth), CROSS, QuestionnaireInput(dict.fromkeys(SCORES, 3)))
    at = evaluation_page()
    table = _table(at, texts.EVAL_QUESTIONNAIRE_COLUMNS["question"])
    means = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
    assert means[texts.DIMENSION_LABELS["future"]] == "3,4"  # (5 + 3·4) / 5
    assert means[texts.DIMENSION_LABELS["satisfaction"]] == "3,2"
