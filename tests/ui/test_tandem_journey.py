"""The tandem's guide and goal agreement on "Mein Mentoring" (issue #13, items 1 and 2).

A published tandem of the demo's cross programme: both partners see the guide and the
agreement form; one confirms, then the other, and the page says "von beiden bestätigt". A
text over its limit shows a German message and stays in the form; nobody else sees any of it.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.journey import LIMITS
from assistant.policy import Principal
from tests.ui.tandem_support import CROSS, OPERATOR, page, publish_first_tandem

pytestmark = pytest.mark.usefixtures("demo_app")


@pytest.fixture(scope="module")
def tandem(engine) -> tuple[str, str]:
    return publish_first_tandem(engine)


def partner(pid: str) -> Principal:
    """The principal of a partner for calls straight to the app's engine."""
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({CROSS}))


def _texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_partners_see_the_guide_and_confirm_the_agreement_one_after_the_other(tandem):
    mentee, mentor = tandem
    at = page(mentee)
    assert f"**{texts.GUIDE_HEADING}**" in [m.value for m in at.markdown]
    shown = _texts(at)
    assert any("Offenheit" in t for t in shown)  # the rules of the guide
    assert texts.GUIDE_PDF in [b.label for b in at.get("download_button")]
    assert at.text_area(key="agr_goal_0").value  # prefilled from the mentee's goal
    status = texts.AGREEMENT_STATUS.format(version=0, status=texts.AGREEMENT_NOT_STORED)
    assert status in [i.value for i in at.info]

    at.button(key="agr_confirm").click().run()
    assert not at.exception
    waiting = texts.AGREEMENT_STATUS.format(version=1, status=texts.AGREEMENT_WAITING)
    assert waiting in [s.value for s in at.success] + [i.value for i in at.info]
    assert at.button(key="agr_confirm").disabled  # confirmed by this partner already
    assert any(t.startswith(f"{mentee} hat am ") for t in _texts(at))

    other = page(mentor)
    assert other.text_area(key="agr_goal_0").value == at.text_area(key="agr_goal_0").value
    other.button(key="agr_confirm").click().run()
    assert not other.exception
    done = texts.AGREEMENT_STATUS.format(version=1, status=texts.AGREEMENT_CONFIRMED)
    assert done in [s.value for s in other.success]
    labels = [b.label for b in other.get("download_button")]
    assert texts.AGREEMENT_PDF in labels and texts.AGREEMENT_DOCX in labels


def test_a_change_needs_both_again_and_a_too_long_text_stays_in_the_form(tandem, engine):
    mentee, _ = tandem
    at = page(mentee)
    too_long = "Sehr lang " * (LIMITS["goal"] // 10 + 1)
    at.text_area(key="agr_goal_0").input(too_long)
    at.button(key="agr_save").click().run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert "zu lang" in error and str(LIMITS["goal"]) in error
    assert at.text_area(key="agr_goal_0").value == too_long  # nothing lost
    at.text_area(key="agr_goal_0").input("Mein Team sicher durch Veränderungen führen.")
    at.number_input(key="agr_minutes").set_value(60)
    at.button(key="agr_save").click().run()
    assert texts.AGREEMENT_SAVED.format(version=2) in [s.value for s in at.success]
    waiting = texts.AGREEMENT_STATUS.format(version=2, status=texts.AGREEMENT_WAITING)
    assert waiting in [i.value for i in at.info]
    assert not at.button(key="agr_confirm").disabled
    history = engine.tandem_agreement(partner(mentee), CROSS).history
    assert [a.version for a in history] == [1, 2]


def test_another_tandem_sees_only_its_own_guide_and_agreement(tandem, engine):
    mentee, mentor = tandem
    other = engine.match(OPERATOR, CROSS).result.pairs[1]
    at = page(other.mentee)
    subtitle = texts.TANDEM_SUBTITLE.format(
        programme=CROSS, mentee=other.mentee, mentor=other.mentor
    )
    shown = _texts(at)
    assert subtitle in shown
    assert not [t for t in shown if mentee in t or mentor in t]
    status = texts.AGREEMENT_STATUS.format(version=0, status=texts.AGREEMENT_NOT_STORED)
    assert status in [i.value for i in at.info]  # not the first tandem's confirmed version


def test_confirming_a_version_the_partner_has_replaced_is_refused_in_german(tandem, engine):
    mentee, mentor = tandem
    at = page(mentor)  # reads the current version
    before = engine.tandem_agreement(partner(mentee), CROSS)
    changed = replace(before.content, months=before.content.months + 1)
    engine.save_agreement(partner(mentee), CROSS, changed)  # the mentee changes it meanwhile
    at.button(key="agr_confirm").click().run()  # still the version the mentor read
    assert not at.exception
    newer = before.version + 1
    assert texts.INVALID_AGREEMENT["stale"].format(version=newer) in [e.value for e in at.error]


def test_confirming_with_unsaved_changes_asks_to_save_first(tandem, engine):
    mentee, _ = tandem
    at = page(mentee)
    before = engine.tandem_agreement(partner(mentee), CROSS)
    at.text_area(key="agr_excluded").input("Beurteilungen von Kolleginnen")
    at.button(key="agr_confirm").click().run()
    assert texts.INVALID_AGREEMENT["unsaved"] in [e.value for e in at.error]
    assert at.text_area(key="agr_excluded").value == "Beurteilungen von Kolleginnen"
    after = engine.tandem_agreement(partner(mentee), CROSS)
    assert after.version == before.version and after.confirmations == before.confirmations
