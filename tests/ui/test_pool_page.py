"""AppTest of the topic pool page: browse, add examples, add a topic, validation in German.

The data folder holds an edited installation pool (a copy of the mini pool). A coordinator's
edits go to their programme's own pool (``data/pools``), never to the installation's pool or
another programme's; the shipped default pool must stay untouched whatever happens.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
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


def pool_page(
    role: str = "coordinator", programmes: tuple[str, ...] = DEMO, scope: str | None = DEMO[0]
) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    who = Principal(
        username="koordination",
        role=role,  # type: ignore[arg-type]
        programmes=frozenset(programmes),
    )
    sign_in_as(at, who)
    at.run()
    assert not at.exception, at.exception
    at.switch_page(POOL_PAGE).run()
    assert not at.exception, at.exception
    scopes = at.selectbox(key="pool_scope")
    if scope is None:  # the installation's pool is the last choice
        return scopes.select_index(len(scopes.options) - 1).run()
    return scopes.select(scope).run()


def _lines(text_area, lines: list[str]) -> None:
    text_area.input("\n".join(lines))


def _programme_pool(name: str):
    from assistant.policy import operator
    from assistant.ui import state

    return state.assistant().pool_of(operator("cli:test"), name)


def _own_pool_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "pools").glob("programme-*.yaml"))


def test_pool_page_lists_the_topics(data_dir):
    at = pool_page()
    assert not at.exception, at.exception
    assert {"Social Media", "Konflikte"} <= {e.label for e in at.expander}
    assert texts.POOL_SUMMARY.format(name="Mini-Pool", n=3) in [c.value for c in at.caption]
    assert texts.POOL_SHARED in [c.value for c in at.caption]


def test_bad_topic_shows_german_errors_naming_the_fields_and_saves_nothing(data_dir):
    before = (data_dir / "topic_pool.yaml").read_bytes()
    owned = _own_pool_files(data_dir)
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
    assert "Beispielsätze (Deutsch): mindestens 3 nötig, 1 angegeben" in error
    assert "Impulse für das Forum: mindestens 2 nötig, 0 angegeben" in error
    assert (data_dir / "topic_pool.yaml").read_bytes() == before
    assert _own_pool_files(data_dir) == owned


def test_adding_no_new_example_is_refused(data_dir):
    at = pool_page()
    at.selectbox(key="pool_examples_topic").select("conflict")
    at.text_area(key="pool_examples_text").input("   ")
    at.button(key="FormSubmitter:pool_examples_form-Beispiele speichern").click().run()
    assert [e.value.splitlines()[1] for e in at.error] == [
        "- Beispielsätze (Deutsch): kein neuer Beispielsatz angegeben"
    ]


def test_add_example_and_topic_go_to_the_programmes_own_pool_only(data_dir):
    """Issue #15, finding 12: one coordinator's topics changed every programme's pool."""
    installation = (data_dir / "topic_pool.yaml").read_bytes()
    at = pool_page()
    at.selectbox(key="pool_examples_topic").select("conflict")
    at.text_area(key="pool_examples_text").input("Streit um die Urlaubsplanung im Sachgebiet")
    at.button(key="FormSubmitter:pool_examples_form-Beispiele speichern").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [texts.POOL_SAVED_FOR.format(programme=DEMO[0])]
    assert texts.POOL_OWN in [c.value for c in at.caption]
    [own] = _own_pool_files(data_dir)
    saved = load_topic_pool(own)
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
    assert [s.value for s in at.success] == [texts.POOL_SAVED_FOR.format(programme=DEMO[0])]
    saved = load_topic_pool(own)
    assert saved.ids == ("social_media", "conflict", "work_life_balance", "kantine")
    # The Assistant refits on the programme's pool: the page lists the new topic.
    assert "Kantine und Verpflegung" in {e.label for e in at.expander}
    assert texts.POOL_SUMMARY.format(name="Mini-Pool", n=4) in [c.value for c in at.caption]
    # Nobody else's pool changed: the installation's file, another programme's pool.
    assert (data_dir / "topic_pool.yaml").read_bytes() == installation
    assert "kantine" in _programme_pool(DEMO[0]).ids
    assert "kantine" not in _programme_pool(DEMO[1]).ids


def test_a_coordinator_changes_neither_the_installations_pool_nor_other_programmes(data_dir):
    """Issue #15, finding 12: any coordinator edited every programme's topics."""
    from assistant.errors import AccessDenied
    from assistant.policy import operator
    from assistant.ui import state

    at = pool_page(programmes=DEMO[:1], scope=None)
    assert not at.exception
    assert texts.POOL_NO_EDIT in [c.value for c in at.caption]
    assert not at.get("form")
    assert at.selectbox(key="pool_scope").options == [DEMO[0], texts.POOL_SCOPE_BASE]
    one = Principal("koordination", "coordinator", programmes=frozenset(DEMO[:1]))
    engine = state.assistant()
    for programme in (None, DEMO[1]):
        with pytest.raises(AccessDenied):
            engine.save_pool(one, engine.pool, programme)
        (row, *_) = engine.audit_log(operator("cli:test"))
        assert (row.actor, row.action, row.outcome) == ("koordination", "pool.edit", "denied")


def test_an_admin_edits_the_installations_pool(data_dir):
    at = pool_page(role="admin", programmes=(), scope=None)
    assert not at.exception, at.exception
    assert texts.POOL_BASE_NOTE in [c.value for c in at.caption]
    at.selectbox(key="pool_examples_topic").select("social_media")
    at.text_area(key="pool_examples_text").input("Wir wollen auf Mastodon präsent sein")
    at.button(key="FormSubmitter:pool_examples_form-Beispiele speichern").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [texts.POOL_SAVED]
    saved = load_topic_pool(data_dir / "topic_pool.yaml")
    assert saved.get("social_media").examples["de"][-1] == "Wir wollen auf Mastodon präsent sein"
    # A programme without its own pool follows the installation's at once.
    assert (
        "Wir wollen auf Mastodon präsent sein"
        in _programme_pool(DEMO[2]).get("social_media").examples["de"]
    )


def test_pool_page_says_when_the_programme_last_learned(data_dir):
    """Issue #17, item 2: the app says when the suggester last learned from feedback."""

    from assistant.ui import state

    at = pool_page(scope=DEMO[1])
    assert not at.exception, at.exception
    assert texts.LEARNING_OFF in [c.value for c in at.caption]  # off by default

    engine = state.assistant()
    before = engine.settings
    engine.settings = replace(before, learn_enabled=True)
    try:
        _learned_captions()
    finally:
        engine.settings = before


def _learned_captions() -> None:
    from datetime import UTC, datetime

    from assistant.ui import state

    at = pool_page(scope=DEMO[1])
    assert texts.LEARNING_NEVER in [c.value for c in at.caption]
    services = state.assistant()._services()  # the test sets the state; pages cannot
    programme = services.lookups.programme(DEMO[1]).id
    services.stores.learning.mark_learned(programme, 7, datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    at = pool_page(scope=DEMO[1])
    assert not at.exception, at.exception
    said = texts.LEARNING_LAST.format(date="30.11.2026", n=7)
    assert said in [c.value for c in at.caption]
    assert "aus 7 Rückmeldungen" in said and texts.LEARNING_NEVER not in [
        c.value for c in at.caption
    ]
