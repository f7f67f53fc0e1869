"""The tandem's journey end to end through the pages (issue #13, item 10).

A coordinator publishes the demo's cross tandems on "Tandems"; one tandem's partners open the
first-meeting guide and confirm their agreement on "Mein Mentoring", the mentee logs two
meetings and sees her progress; a partner of another tandem sees none of it. The coordinator's
"Evaluation" counts across all published tandems (none while there are fewer than k), shows no
topic fewer than k people named, and never one id of a participant.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.journey.meetings import MeetingInput
from assistant.policy import Principal
from tests.ui.conftest import APP, sign_in_as
from tests.ui.tandem_support import CROSS, OPERATOR, page

MATCHING = "assistant/ui/pages/matching.py"
EVALUATION = "assistant/ui/pages/evaluation.py"
K = 5  # the default k_min_cluster

pytestmark = pytest.mark.usefixtures("demo_app")


def _coordinator(page_file: str) -> AppTest:
    who = Principal("koordination-reise", "coordinator", programmes=frozenset({CROSS}))
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["programm"] = CROSS
    sign_in_as(at, who).run()
    at.switch_page(page_file).run()
    assert not at.exception, at.exception
    return at


def _person(pid: str) -> Principal:
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({CROSS}))


def _table(at: AppTest, column: str):
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def _shown(at: AppTest) -> list[str]:
    return [
        e.value
        for kind in ("markdown", "caption", "info", "success", "warning")
        for e in at.get(kind)
    ]


def _log(at: AppTest, on: date, value: int) -> None:
    at.date_input(key="mt_date").set_value(on)
    at.slider(key="mt_goal_0").set_value(value)
    at.button(key="mt_save").click().run()
    assert not at.exception, at.exception
    assert texts.MEETING_SAVED.format(date=on.strftime("%d.%m.%Y")) in [s.value for s in at.success]


def test_from_published_tandems_to_the_evaluation(engine):
    assert engine.k == K
    # The coordinator publishes the draft the matching page computed.
    matching = _coordinator(MATCHING)
    matching.button(key="match_publish").click().run()
    assert [s.value for s in matching.success] == [texts.MATCH_DONE["publish"]]
    view = engine.match(OPERATOR, CROSS)
    assert view.status == "published"
    pairs = {p.mentee: p.mentor for p in view.result.pairs}
    assert len(pairs) > K
    mentee = sorted(pairs)[0]
    mentor = pairs[mentee]

    # Both partners see the guide; both confirm the agreement.
    at = page(mentee)
    assert f"**{texts.GUIDE_HEADING}**" in [m.value for m in at.markdown]
    at.button(key="agr_confirm").click().run()
    partner = page(mentor)
    assert f"**{texts.GUIDE_HEADING}**" in [m.value for m in partner.markdown]
    partner.button(key="agr_confirm").click().run()
    confirmed = texts.AGREEMENT_STATUS.format(version=1, status=texts.AGREEMENT_CONFIRMED)
    assert confirmed in [s.value for s in partner.success]

    # Two meetings; the progress table holds both values of the first goal.
    at = page(mentee)
    today = date.today()
    _log(at, today - timedelta(days=30), 2)
    _log(at, today, 4)
    progress = _table(at, texts.PROGRESS_COLUMNS["value"])
    goal, value = texts.PROGRESS_COLUMNS["goal"], texts.PROGRESS_COLUMNS["value"]
    first = progress[progress[goal] == progress[goal].iloc[0]]
    assert list(first[value]) == [2, 4]
    assert len(_table(at, texts.MEETINGS_COLUMNS["minutes"])) == 2

    # A partner of another tandem sees their own tandem, none of these meetings.
    stranger = page(sorted(pairs)[1])
    assert texts.MEETINGS_NONE in [c.value for c in stranger.caption]
    assert mentee not in " ".join(_shown(stranger))

    # One tandem took part: counts across all published tandems, no topic under k people.
    evaluation = _coordinator(EVALUATION)
    assert texts.EVAL_TOO_FEW_TOPICS.format(k=K) in [i.value for i in evaluation.info]
    agreements = _table(evaluation, texts.EVAL_AGREEMENT_COLUMNS["share"])
    assert list(agreements.iloc[0])[:2] == ["1", str(len(pairs))]
    # With fewer published tandems than k, not even those counts would show.
    engine.k = len(pairs) + 1
    try:
        withheld = _coordinator(EVALUATION)
    finally:
        engine.k = K
    infos = [i.value for i in withheld.info]
    assert texts.EVAL_TOO_FEW_TANDEMS.format(k=len(pairs) + 1) in infos
    columns = [c for d in withheld.dataframe for c in d.value.columns]
    assert texts.EVAL_AGREEMENT_COLUMNS["share"] not in columns

    # Four more tandems confirm and meet (through the facade, as their pages would).
    for other in sorted(pairs)[1:K]:
        for pid in (other, pairs[other]):
            view = engine.tandem_agreement(_person(pid), CROSS)
            engine.confirm_agreement(_person(pid), CROSS, view.version)
        engine.log_meeting(_person(other), CROSS, MeetingInput(today, 90))
    evaluation = _coordinator(EVALUATION)
    agreements = _table(evaluation, texts.EVAL_AGREEMENT_COLUMNS["share"])
    assert list(agreements.iloc[0])[:2] == [str(K), str(len(pairs))]
    shown = " ".join(_shown(evaluation)) + " ".join(
        str(v) for d in evaluation.dataframe for v in d.value.to_numpy().ravel()
    )
    assert not [pid for pid in (*pairs, *pairs.values()) if pid in shown]
