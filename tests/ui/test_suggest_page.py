"""AppTest of the suggestion page; fakes come via configuration, not patches."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.ui import texts

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SUGGEST = "assistant/ui/pages/suggest.py"


def suggest_page() -> AppTest:
    """The app as a signed-out visitor sees it, switched to the try-it-out page."""
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    return at.switch_page(SUGGEST).run()


@pytest.fixture(autouse=True)
def _test_config(monkeypatch, tmp_path):
    monkeypatch.setenv(
        "ASSISTANT_CONFIG", str(Path(__file__).resolve().parents[1] / "assistant.test.toml")
    )
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))  # never the checkout's data/
    import streamlit as st

    st.cache_resource.clear()


def test_suggest_page_shows_topic_with_evidence():
    at = suggest_page()
    assert not at.exception
    at.text_area(key="goal_draft").input("Ich will mehr Follower auf Instagram für unser Amt.")
    at.button(key="suggest_goal").click().run()
    assert not at.exception
    assert at.subheader[0].value == "Social Media"
    assert any("Follower" in t.value for t in at.text)


def test_first_start_loads_the_demo_programmes_once(tmp_path):
    from assistant import build_assistant, load_settings

    AppTest.from_file(APP, default_timeout=180).run()
    names = [p.name for p in build_assistant(load_settings()).repo.list_programmes()]
    assert "Reverse Mentoring Stadt Nordhafen 2026" in names and len(names) == 3


def test_suggest_page_empty_text_shows_german_error_and_keeps_draft():
    at = suggest_page()
    at.text_area(key="goal_draft").input("   ")
    at.button(key="suggest_goal").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [texts.INVALID["empty"]]


def test_suggest_page_no_fit_says_so():
    at = suggest_page()
    # An off-pool text of the mini pool itself: its "none" class is certain to win.
    at.text_area(key="goal_draft").input("Die Kantine sollte mehr vegetarisches Essen anbieten")
    at.button(key="suggest_goal").click().run()
    assert not at.exception
    assert [i.value for i in at.info] == [texts.NO_FIT]
    assert not at.subheader
