"""AppTest of the moderator's "Peer-Gruppe" page: counts only, forum choices, scope."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.policy import Principal
from tests.ui.conftest import sign_in_as
from tests.unit.privacy_support import stores_of

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = str(Path(__file__).resolve().parents[2] / "assistant" / "ui" / "pages" / "moderator.py")
PROGRAMME = "Peer-Group-Mentoring Führungskräfte 2026"
NORTH, SOUTH = "Peer-Gruppe Nord", "Peer-Gruppe Süd"


pytestmark = pytest.mark.usefixtures("demo_app")


def moderator(*groups: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    who = Principal(
        username="demo-moderation",
        role="moderator",
        groups=frozenset((PROGRAMME, g) for g in groups),
    )
    sign_in_as(at, who)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    return at


def table(at: AppTest, columns: dict[str, str]):
    [found] = [d.value for d in at.dataframe if list(d.value.columns) == list(columns.values())]
    return found


def test_ranked_topics_with_counts_chart_and_prompts(engine):
    at = moderator(NORTH)
    assert not at.error
    ranking = table(at, texts.FORUM_COLUMNS)
    members = list(ranking[texts.FORUM_COLUMNS["members"]])
    assert members and members == sorted(members, reverse=True) and members[0] >= 2
    assert len(at.get("vega_lite_chart")) == 1  # the chart beside the table
    # The mini pool's prompts appear for pool topics.
    prompts = {t.id: t.forum_prompts["de"] for t in engine.pool.topics}
    assert any(f"• {p}" in [t.value for t in at.text] for ps in prompts.values() for p in ps)


def test_no_member_text_reaches_the_moderator(engine):
    at = moderator(NORTH)
    stores = stores_of(engine)
    programme = stores.programmes.get(PROGRAMME)
    assert programme is not None
    texts_of_group = [e.text for e in stores.entries.of_programme(programme.id) if len(e.text) > 30]
    shown = [t.value for t in at.text] + [m.value for m in at.markdown]
    shown += [str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()]
    page = " ".join(shown)
    assert texts_of_group and not any(text[:30] in page for text in texts_of_group)


def test_pick_a_topic_for_a_date_and_see_it_among_those_discussed(engine):
    at = moderator(NORTH)
    first = at.multiselect(key="forum_pick").options[0]
    at.date_input(key="forum_date").set_value(date(2026, 5, 4))
    at.multiselect(key="forum_pick").set_value([first])
    at.button(key="forum_choose").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == texts.FORUM_CHOSEN.format(date="04.05.2026", topics=first)
    history = table(at, texts.FORUM_HISTORY_COLUMNS)
    assert list(history.itertuples(index=False, name=None)) == [("04.05.2026", first)]
    ranking = table(at, texts.FORUM_COLUMNS)
    row = ranking[ranking[texts.FORUM_COLUMNS["label"]] == first].iloc[0]
    assert row[texts.FORUM_COLUMNS["discussed"]] == "04.05.2026"
    assert at.multiselect(key="forum_pick").value == []
    # Choosing it again says so instead of storing it twice.
    at.multiselect(key="forum_pick").set_value([first])
    at.button(key="forum_choose").click().run()
    assert at.success[0].value == texts.FORUM_ALREADY.format(date="04.05.2026", topics=first)
    assert len(table(at, texts.FORUM_HISTORY_COLUMNS)) == 1


def test_choosing_nothing_asks_for_a_topic(engine):
    at = moderator(SOUTH)
    at.button(key="forum_choose").click().run()
    assert [e.value for e in at.error] == [texts.FORUM_PICK_NONE]


def test_a_moderator_of_one_group_cannot_open_another(engine):
    at = moderator(NORTH, query={"gruppe": SOUTH, "programm": PROGRAMME})
    assert [e.value for e in at.error] == [texts.ACCESS_DENIED]
    assert not at.dataframe and not at.get("vega_lite_chart")
    # Their own group by link works.
    at = moderator(NORTH, query={"gruppe": NORTH, "programm": PROGRAMME})
    assert not at.error and at.dataframe


def test_the_group_picker_offers_only_ones_own_groups(engine):
    at = moderator(NORTH, SOUTH)
    assert at.selectbox(key="forum_group").options == [
        texts.GROUP_OPTION.format(group=g, programme=PROGRAMME) for g in (NORTH, SOUTH)
    ]
    at.selectbox(key="forum_group").set_value((PROGRAMME, SOUTH)).run()
    assert not at.exception and not at.error
    assert at.query_params["gruppe"] == SOUTH


def test_other_roles_are_refused(engine):
    # app.py does not even list the page for them; the page refuses on its own as well.
    at = AppTest.from_file(PAGE, default_timeout=120)
    who = Principal(
        username="p", role="participant", participant_id="pg-01", programmes=frozenset({PROGRAMME})
    )
    sign_in_as(at, who)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [texts.ACCESS_DENIED]
    assert not at.dataframe
