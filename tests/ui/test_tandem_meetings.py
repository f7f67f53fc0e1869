"""A tandem's meetings and progress on "Mein Mentoring" (issue #13, items 3 and 4).

A published tandem of the demo's cross programme: the mentee logs two meetings, sees them in
the table, the progress chart with the same numbers as a table and the topics against those
agreed; a meeting dated tomorrow is refused in German and keeps what was typed; the partner
sees the meetings but not the mentee's private note. The .ics downloads; asking for the mail
while no SMTP server is set keeps the meeting and says the mail was not sent.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from tests.ui.tandem_support import page, publish_first_tandem

pytestmark = pytest.mark.usefixtures("demo_app")


@pytest.fixture(scope="module")
def tandem(engine) -> tuple[str, str]:
    return publish_first_tandem(engine)


def _table(at: AppTest, column: str):
    """The one table on the page with ``column`` (AppTest keeps no keys of dataframes)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def _log(at: AppTest, on: date, minutes: int, value: int, note: str = "") -> None:
    at.date_input(key="mt_date").set_value(on)
    at.number_input(key="mt_minutes").set_value(minutes)
    at.slider(key="mt_goal_0").set_value(value)
    at.text_area(key="mt_note").input(note)
    at.button(key="mt_save").click().run()
    assert not at.exception, at.exception


def test_partner_logs_two_meetings_and_sees_table_progress_and_topics(tandem):
    mentee, mentor = tandem
    today = date.today()
    at = page(mentee)
    assert texts.MEETINGS_HEADING in [s.value for s in at.subheader]
    assert texts.MEETINGS_NONE in [c.value for c in at.caption]

    _log(at, today + timedelta(days=1), 60, 2, note="nur für mich")
    assert texts.INVALID_MEETING["future"] in [e.value for e in at.error]
    assert at.text_area(key="mt_note").value == "nur für mich"  # nothing lost

    _log(at, today - timedelta(days=1), 90, 2, note="nur für mich")
    _log(at, today, 75, 4)
    saved = texts.MEETING_SAVED.format(date=today.strftime("%d.%m.%Y"))
    assert saved in [s.value for s in at.success]

    meetings = _table(at, texts.MEETINGS_COLUMNS["note"])
    columns = texts.MEETINGS_COLUMNS
    assert list(meetings[columns["minutes"]]) == [90, 75]
    assert list(meetings[columns["note"]]) == ["nur für mich", ""]
    progress = _table(at, texts.PROGRESS_COLUMNS["value"])
    goal, value = texts.PROGRESS_COLUMNS["goal"], texts.PROGRESS_COLUMNS["value"]
    first = progress[progress[goal] == progress[goal].iloc[0]]
    assert first[goal].iloc[0].startswith("1. ") and list(first[value]) == [2, 4]
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    lines = [c for c in charts if c.get("mark", {}).get("type") == "line"]
    assert len(lines) == 1 and "height" not in lines[0]  # no pixel height (Streamlit 1.67)
    topics = _table(at, texts.TOPICS_COLUMNS["agreed"])
    assert set(topics[texts.TOPICS_COLUMNS["agreed"]]) <= {"ja", "nein"}
    nxt = texts.MEETINGS_NEXT.split("{")[0]
    assert any(i.value.startswith(nxt) for i in at.info)

    assert texts.INVITATION_DOWNLOAD in [b.label for b in at.get("download_button")]

    at.checkbox(key="mt_mail").check()
    _log(at, today, 30, 3)
    assert texts.INVITATION_MAIL["off"] in [w.value for w in at.warning]  # mail is off
    assert len(_table(at, texts.MEETINGS_COLUMNS["note"])) == 3  # the meeting is stored

    other = page(mentor)
    theirs = _table(other, texts.MEETINGS_COLUMNS["note"])
    assert list(theirs[columns["minutes"]]) == [90, 75, 30]
    assert list(theirs[columns["note"]]) == ["", "", ""]  # the mentee's note is theirs alone
