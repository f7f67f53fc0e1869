"""AppTest of "Tandem eintragen" on "Tandems und Gruppen" (issue #13, item 1).

A coordinator of the demo's reverse programme enters a pair formed elsewhere; both partners
then have the tandem (and its guide), and a pair taken meanwhile is refused in German. The
tests run in file order on one data folder per module.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.policy import Principal
from tests.ui.conftest import sign_in_as

APP = str(Path(__file__).resolve().parents[2] / "app.py")
MATCHING = "assistant/ui/pages/matching.py"
REVERSE = "Reverse Mentoring Stadt Nordhafen 2026"
COORDINATOR = Principal(
    username="koordination-eintragen", role="coordinator", programmes=frozenset({REVERSE})
)

pytestmark = pytest.mark.usefixtures("demo_app")


def person(pid: str) -> Principal:
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({REVERSE}))


def matching_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["programm"] = REVERSE
    sign_in_as(at, COORDINATOR).run()
    at.switch_page(MATCHING).run()
    assert not at.exception, at.exception
    return at


def test_a_coordinator_enters_a_tandem_that_both_partners_then_have(engine):
    at = matching_page()
    assert texts.PAIR_ENTER_HEADER in [h.value for h in at.subheader]
    mentees = at.selectbox(key="pair_enter_mentee").options
    assert "rm-01" in mentees and "rm-03" not in mentees  # rm-03: no consent to matching
    at.selectbox(key="pair_enter_mentee").select("rm-01")
    at.selectbox(key="pair_enter_mentor").select("rm-13")
    at.button(key="pair_enter").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        texts.PAIR_ENTERED.format(mentee=texts.plain("rm-01"), mentor=texts.plain("rm-13"))
    ]
    assert not at.error
    # The tandem is published: the form offers neither of them any more.
    assert "rm-01" not in at.selectbox(key="pair_enter_mentee").options
    assert "rm-13" not in at.selectbox(key="pair_enter_mentor").options
    # The waiting draft shows it as entered, so publishing the draft keeps it.
    shown = [frame.value.to_csv() for frame in at.dataframe]
    assert any("rm-13" in table and "von der Koordination eingetragen" in table for table in shown)
    for pid, partner in (("rm-01", "rm-13"), ("rm-13", "rm-01")):
        assert engine.my_match(person(pid), REVERSE).partner == partner
        assert engine.tandem_guide(person(pid), REVERSE) is not None


def test_a_mentor_taken_meanwhile_is_refused_in_german_and_nothing_changes(engine):
    at = matching_page()
    at.selectbox(key="pair_enter_mentee").select("rm-02")
    at.selectbox(key="pair_enter_mentor").select("rm-14")
    engine.match_enter(COORDINATOR, REVERSE, "rm-04", "rm-14")  # another coordinator's tab
    at.button(key="pair_enter").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [texts.PAIR_ENTER_ERRORS["mentor_full"]]
    assert not at.success
    assert engine.my_match(person("rm-02"), REVERSE) is None
    assert engine.my_match(person("rm-14"), REVERSE).partner == "rm-04"


def test_a_coordinator_ends_a_published_tandem(engine):
    at = matching_page()
    published = at.selectbox(key="pair_end_pick")
    assert published.options == ["rm-01 – rm-13", "rm-04 – rm-14"]  # shown as the pair
    published.select("rm-01")
    at.button(key="pair_end").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [texts.PAIR_ENDED.format(mentee=texts.plain("rm-01"))]
    assert at.selectbox(key="pair_end_pick").options == ["rm-04 – rm-14"]
    assert "rm-01" in at.selectbox(key="pair_enter_mentee").options  # free to enter again
    assert engine.my_match(person("rm-01"), REVERSE) is None
    assert engine.my_match(person("rm-13"), REVERSE) is None
