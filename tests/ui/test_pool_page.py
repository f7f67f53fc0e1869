"""AppTest of the topic pool page: browse, add examples, add a topic, validation in German.

The data folder holds an edited pool (a copy of the mini pool), as the app leaves it after a
first edit; the shipped default pool must stay untouched whatever happens.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.config import default_pool_path
from assistant.policy import Principal
from assistant.topics import load_topic_pool
from tests.ui.conftest import app_environment, sign_in_as

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
POOL_PAGE = "assistant/ui/pages/pool.py"
SHIPPED = hashlib.sha256(default_pool_path().read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def data_dir(demo_copy):
    # The mini pool as the folder's edited pool, so the page may save changes to it.
    with app_environment(demo_copy, edited_pool=True) as folder:
        yield folder
    assert hashlib.sha256(default_pool_path().read_bytes()).hexdigest() == SHIPPED


DEMO = (
    "Reverse Mentoring Stadt Nordhafen 2026",
    "Cross-Mentoring Frauen in Führung 2026",
    "Peer-Group-Mentoring Führungskräfte 2026",
)


def pool_page(role: str = "coordinator", programmes: tuple[str, ...] = DEMO) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    who = Principal(
        username="koordination",
        role=role,  # type: ignore[arg-type]
        programmes=frozenset(programmes),
    )
    sign_in_as(at, who)
    at.run()
    assert not at.exception, at.exception
    return at.switch_page(POOL_PAGE).run()


def _lines(text_area, lines: list[str]) -> None:
    text_area.input("\n".join(lines))


def test_pool_page_lists_the_topics(data_dir):
    at = pool_page()
    assert not at.exception, at.exception
    assert {"Social Media", "Konflikte"} <= {e.label for e in at.expander}
    assert texts.POOL_SUMMARY.format(name="Mini-Pool", n=3) in [c.value for c in at.caption]


def test_bad_topic_shows_german_errors_naming_the_fields_and_saves_nothing(data_dir):
    before = (data_dir / "topic_pool.yaml").read_bytes()
    at = pool_page()
    at.text_input(key="pool_topic_form_id").input("Neues Thema")
    at.text_input(key="pool_topic_form_label_de").input("Kantine")
    at.text_area(key="pool_topic_form_description_de").input("Essen im Amt.")
    _lines(at.text_area(key="pool_topic_form_examples_de"), ["Mehr vegetarisches Essen"])
    at.button(key="FormSubmitter:pool_topic_form-Thema speichern").click().run()
    assert not at.exception, at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith(texts.POOL_INVALID)
    assert "Kennung: nur Kleinbuchstaben" in error
    assert "Beispielsätze (Deutsch): mindestens 15 nötig, 1 angegeben" in error
    assert "Impulse für das Forum: mindestens 2 nötig, 0 angegeben" in error
    assert (data_dir / "topic_pool.yaml").read_bytes() == before


def test_adding_no_new_example_is_refused(data_dir):
    at = pool_page()
    at.selectbox(key="pool_examples_topic").select("conflict")
    at.text_area(key="pool_examples_text").input("   ")
    at.button(key="FormSubmitter:pool_examples_form-Beispiele speichern").click().run()
    assert [e.value.splitlines()[1] for e in at.error] == [
        "- Beispielsätze (Deutsch): kein neuer Beispielsatz angegeben"
    ]


def test_add_example_and_topic_are_saved_and_used(data_dir):
    at = pool_page()
    at.selectbox(key="pool_examples_topic").select("conflict")
    at.text_area(key="pool_examples_text").input("Streit um die Urlaubsplanung im Sachgebiet")
    at.button(key="FormSubmitter:pool_examples_form-Beispiele speichern").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [texts.POOL_SAVED]
    saved = load_topic_pool(data_dir / "topic_pool.yaml")
    assert saved.get("conflict").examples["de"][-1] == "Streit um die Urlaubsplanung im Sachgebiet"

    at.text_input(key="pool_topic_form_id").input("kantine")
    at.text_input(key="pool_topic_form_label_de").input("Kantine und Verpflegung")
    at.text_area(key="pool_topic_form_description_de").input("Essen und Pausen im Amt.")
    at.text_input(key="pool_topic_form_keywords").input("Kantine, Essen")
    _lines(
        at.text_area(key="pool_topic_form_examples_de"),
        [f"Die Kantine sollte Gericht Nummer {i} anbieten" for i in range(15)],
    )
    _lines(
        at.text_area(key="pool_topic_form_examples_en"),
        [f"The canteen should serve dish {i}" for i in range(5)],
    )
    _lines(at.text_area(key="pool_topic_form_questions"), ["Was?", "Wann?", "Wie oft?"])
    _lines(at.text_area(key="pool_topic_form_prompts"), ["Was esst ihr?", "Wo esst ihr?"])
    at.button(key="FormSubmitter:pool_topic_form-Thema speichern").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [texts.POOL_SAVED]
    saved = load_topic_pool(data_dir / "topic_pool.yaml")
    assert saved.ids == ("social_media", "conflict", "work_life_balance", "kantine")
    # The rebuilt Assistant works on the new pool: the page lists the new topic.
    assert "Kantine und Verpflegung" in {e.label for e in at.expander}
    assert texts.POOL_SUMMARY.format(name="Mini-Pool", n=4) in [c.value for c in at.caption]


def test_a_coordinator_of_one_programme_may_not_change_the_shared_pool(data_dir):
    """Issue #15, finding 12: any coordinator edited every programme's topics."""
    from assistant.errors import AccessDenied
    from assistant.policy import operator
    from assistant.ui import state

    at = pool_page(programmes=DEMO[:1])
    assert not at.exception
    assert texts.POOL_NO_EDIT in [c.value for c in at.caption]
    assert not at.get("form")
    one = Principal("koordination", "coordinator", programmes=frozenset(DEMO[:1]))
    engine = state.assistant()
    with pytest.raises(AccessDenied):
        engine.save_pool(one, engine.pool)
    (row, *_) = engine.audit_log(operator("cli:test"))
    assert (row.actor, row.action, row.outcome) == ("koordination", "pool.edit", "denied")
