"""AppTest of the "Datenschutzhinweise" page: composed from the settings, open to everyone."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.domain import DEFAULT_RETENTION_MONTHS
from assistant.policy import Principal
from tests.ui.conftest import APP, app_environment, sign_in_as

PRIVACY = "assistant/ui/pages/privacy.py"
REVERSE = "Reverse Mentoring Stadt Nordhafen 2026"


def privacy_page(who: Principal | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if who is not None:
        sign_in_as(at, who)
    at.run()
    assert not at.exception
    at = at.switch_page(PRIVACY).run()
    assert not at.exception
    return at


def body(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def test_a_visitor_reads_k_retention_and_contact_from_the_settings(demo_copy):
    with app_environment(demo_copy):
        at = privacy_page()
    assert [h.value for h in at.header] == [texts.PRIVACY_HEADER]
    text = body(at)
    assert "mindestens 5 Personen" in text  # the default k_min_cluster
    assert f"{DEFAULT_RETENTION_MONTHS} Monate nach dem Ende des Programms" in text
    assert "an die Koordination Ihres Programms" in text  # no contact configured
    assert "Moderation" in text and "nie Texte" in text


def test_changing_k_and_the_contact_changes_the_notice(demo_copy, monkeypatch):
    monkeypatch.setenv("ASSISTANT_K_MIN_CLUSTER", "7")
    monkeypatch.setenv("ASSISTANT_PRIVACY_CONTACT", "datenschutz@nordhafen.example")
    with app_environment(demo_copy):
        at = privacy_page()
    text = body(at)
    assert "mindestens 7 Personen" in text and "mindestens 5 Personen" not in text
    assert texts.plain("datenschutz@nordhafen.example") in text


@pytest.mark.parametrize(
    "who",
    [
        Principal("demo-rm-01", "participant", "rm-01", frozenset({REVERSE})),
        Principal("privacy-moderator", "moderator", groups=frozenset({(REVERSE, "A")})),
        Principal("privacy-coordinator", "coordinator", programmes=frozenset({REVERSE})),
        Principal("privacy-admin", "admin"),
    ],
    ids=lambda p: p.role,
)
def test_every_role_reaches_the_notice(demo_copy, who):
    with app_environment(demo_copy):
        at = privacy_page(who)
    assert [h.value for h in at.header] == [texts.PRIVACY_HEADER]
