"""AppTest of a peer group's sessions (issue #13, item 5): the moderator and a member.

On the demo's peer-group programme the moderator plans a Seminar session and picks a forum
topic, and the sessions list shows both by stage with counts only; a member of the group
checks in after a past session (a session not yet held is not offered), sees their own
check-in and private note, and the moderator then sees the count but no mean below k.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.policy import Principal
from assistant.service import SessionInput
from tests.ui.conftest import APP, sign_in_as
from tests.unit.privacy_support import stores_of

PROGRAMME = "Peer-Group-Mentoring Führungskräfte 2026"
NORTH = "Peer-Gruppe Nord"
TODAY = date.today()
MODERATOR = Principal(
    username="demo-moderation", role="moderator", groups=frozenset({(PROGRAMME, NORTH)})
)

pytestmark = pytest.mark.usefixtures("demo_app")


def _run(who: Principal) -> AppTest:
    at = sign_in_as(AppTest.from_file(APP, default_timeout=180), who).run()
    assert not at.exception, at.exception
    return at


def _member(pid: str) -> Principal:
    return Principal(
        username=f"demo-{pid}",
        role="participant",
        participant_id=pid,
        programmes=frozenset({PROGRAMME}),
    )


def _sessions(at: AppTest):
    columns = list(texts.GROUP_SESSIONS_COLUMNS.values())
    [found] = [d.value for d in at.dataframe if list(d.value.columns) == columns]
    return found


@pytest.fixture(scope="module")
def member(engine) -> str:
    stores = stores_of(engine)
    prog = stores.programmes.get(PROGRAMME)
    [ref] = [g for g in stores.programmes.find_groups(NORTH) if g.programme_id == prog.id]
    return stores.programmes.group_members(ref.id)[0]


def test_moderator_plans_a_seminar_and_picks_a_forum_topic_and_sees_both(engine):
    at = _run(MODERATOR)
    assert texts.GROUP_SESSIONS_HEADING in [s.value for s in at.subheader]
    at.selectbox(key="gs_stage").set_value("seminar")
    at.date_input(key="gs_date").set_value(TODAY - timedelta(days=14))
    at.text_input(key="gs_title").input("   ")
    at.button(key="gs_add").click().run()
    assert texts.INVALID_GROUP_SESSION["title"] in [e.value for e in at.error]

    at.text_input(key="gs_title").input("Auftakt: Führen in Veränderung")
    at.button(key="gs_add").click().run()
    assert not at.exception and not at.error
    day = (TODAY - timedelta(days=14)).strftime("%d.%m.%Y")
    added = texts.GROUP_SESSION_ADDED.format(title="Auftakt: Führen in Veränderung", date=day)
    assert added in [s.value for s in at.success]

    topic = at.multiselect(key="forum_pick").options[0]
    at.date_input(key="forum_date").set_value(TODAY - timedelta(days=7))
    at.multiselect(key="forum_pick").set_value([topic])
    at.button(key="forum_choose").click().run()
    assert not at.exception and not at.error

    table = _sessions(at)
    col = texts.GROUP_SESSIONS_COLUMNS
    assert list(table[col["stage"]]) == ["Seminar", "Forum"]
    assert list(table[col["title"]]) == ["Auftakt: Führen in Veränderung", topic]
    assert list(table[col["checkins"]]) == [0, 0]
    assert set(table[col["mean"]]) == {texts.GROUP_MEAN_HIDDEN}
    # The forum session carries its topic's prompts.
    assert texts.GROUP_PROMPTS.format(title=texts.plain(topic)) in [e.label for e in at.expander]


def test_a_member_checks_in_after_a_past_session_and_sees_their_own(engine, member):
    past = engine.plan_group_session(
        MODERATOR,
        NORTH,
        SessionInput("simulation", TODAY - timedelta(days=1), "Rollenspiel"),
        PROGRAMME,
    )
    engine.plan_group_session(
        MODERATOR,
        NORTH,
        SessionInput("application", TODAY + timedelta(days=9), "Praxis"),
        PROGRAMME,
    )
    at = _run(_member(member))
    assert texts.GROUP_PANEL_HEADING.format(group=texts.plain(NORTH)) in [
        s.value for s in at.subheader
    ]
    options = at.selectbox(key="gc_session_0").options
    assert any("Rollenspiel" in o for o in options) and not any("Praxis" in o for o in options)
    at.selectbox(key="gc_session_0").set_value(past)
    at.slider(key="gc_value_0").set_value(4)
    at.text_area(key="gc_note_0").input("nur für mich")
    at.button(key="gc_save_0").click().run()
    assert not at.exception and not at.error
    saved = texts.GROUP_CHECKIN_SAVED.format(date=(TODAY - timedelta(days=1)).strftime("%d.%m.%Y"))
    assert saved in [s.value for s in at.success]
    col = texts.GROUP_MY_CHECKINS_COLUMNS
    [own] = [d.value for d in at.dataframe if list(d.value.columns) == list(col.values())]
    assert list(own[col["value"]]) == [4] and list(own[col["note"]]) == ["nur für mich"]

    moderated = _run(MODERATOR)
    table = _sessions(moderated)
    col = texts.GROUP_SESSIONS_COLUMNS
    row = table[table[col["title"]] == "Rollenspiel"].iloc[0]
    assert row[col["checkins"]] == 1 and row[col["mean"]] == texts.GROUP_MEAN_HIDDEN
    page = " ".join(str(v) for d in moderated.dataframe for v in d.value.to_numpy().ravel())
    assert "nur für mich" not in page
