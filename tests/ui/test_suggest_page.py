"""AppTest of the suggestion page; fakes come via configuration, not patches."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from tests.ui.conftest import app_environment
from tests.unit.privacy_support import stores_of

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SUGGEST = "assistant/ui/pages/suggest.py"


def suggest_page() -> AppTest:
    """The app as a signed-out visitor sees it, switched to the try-it-out page."""
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    return at.switch_page(SUGGEST).run()


@pytest.fixture(autouse=True)
def _test_config(demo_copy):
    with app_environment(demo_copy):  # never the checkout's data/
        yield


def test_suggest_page_shows_topic_with_evidence():
    at = suggest_page()
    assert not at.exception
    at.text_area(key="goal_draft").input("Ich will mehr Follower auf Instagram für unser Amt.")
    at.button(key="suggest_goal").click().run()
    assert not at.exception
    assert at.subheader[0].value == "Social Media"
    assert any("Follower" in t.value for t in at.text)


def test_first_start_loads_the_demo_programmes_once_with_one_account_per_role(tmp_path, capsys):
    from assistant import build_assistant, load_settings

    with app_environment(tmp_path):  # an empty data folder: a first start
        AppTest.from_file(APP, default_timeout=180).run()
        engine = build_assistant(load_settings())
        names = [p.name for p in stores_of(engine).programmes.all()]
        printed = capsys.readouterr().out
        roles = {engine.principal(name).role for name in ("demo-teilnehmende", "demo-admin")}
        AppTest.from_file(APP, default_timeout=180).run()  # a second start prints nothing
    assert "Reverse Mentoring Stadt Nordhafen 2026" in names and len(names) == 3
    assert roles == {"participant", "admin"}
    assert printed.startswith(texts.DEMO_ACCOUNTS_HEADER) and "demo-koordination" in printed
    assert texts.DEMO_ACCOUNTS_HEADER not in capsys.readouterr().out


def test_a_production_start_without_the_demo_setting_creates_no_data_and_no_account(
    tmp_path, capsys
):
    """Finding 7 of issue #15: an empty database got demo accounts, printed to the logs."""
    from assistant import build_assistant, load_settings

    with app_environment(tmp_path), pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASSISTANT_DEMO", "false")
        at = AppTest.from_file(APP, default_timeout=180).run()
        engine = build_assistant(load_settings())
        stores = stores_of(engine)
        assert not at.exception
        assert stores.programmes.all() == [] and stores.accounts.all() == []
    assert texts.DEMO_ACCOUNTS_HEADER not in capsys.readouterr().out


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


@pytest.mark.parametrize("text", ["s.o.", "-"])
def test_suggest_page_answers_boilerplate_with_no_fit(text):
    at = suggest_page()
    at.text_area(key="goal_draft").input(text)
    at.button(key="suggest_goal").click().run()
    assert not at.exception
    assert [i.value for i in at.info] == [texts.NO_FIT] and not at.error
    assert not at.subheader


def test_suggest_page_still_refuses_a_text_without_letters():
    at = suggest_page()
    at.text_area(key="goal_draft").input("!!!")
    at.button(key="suggest_goal").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [texts.INVALID["no_words"]]
