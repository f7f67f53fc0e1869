"""AppTest of the Protokoll page: German action names, local time, filters (issue #14)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.policy import Principal
from tests.ui.conftest import APP, sign_in_as

pytestmark = pytest.mark.usefixtures("demo_app")

AUDIT = "assistant/ui/pages/audit.py"
ADMIN = Principal("demo-admin", "admin")


def audit_page() -> AppTest:
    at = sign_in_as(AppTest.from_file(APP, default_timeout=120), ADMIN).run()
    at = at.switch_page(AUDIT).run()
    assert not at.exception
    return at


def log_table(at: AppTest):
    [found] = [
        d.value for d in at.dataframe if list(d.value.columns) == list(texts.AUDIT_COLUMNS.values())
    ]
    return found


def test_the_log_speaks_german_in_local_time():
    table = log_table(audit_page())
    assert len(table) > 0
    assert set(table[texts.AUDIT_COLUMNS["action"]]) <= set(texts.AUDIT_ACTION.values())
    assert all(
        re.fullmatch(r"\d\d\.\d\d\.\d{4}, \d\d:\d\d", t) for t in table[texts.AUDIT_COLUMNS["at"]]
    )


def test_filters_narrow_the_log_by_action_person_and_date():
    at = audit_page()
    everything = log_table(at)
    at.multiselect(key="audit_actions").set_value(["audit.view"]).run()
    by_action = log_table(at)
    assert 0 < len(by_action) < len(everything)
    assert set(by_action[texts.AUDIT_COLUMNS["action"]]) == {texts.audit_action("audit.view")}
    at.multiselect(key="audit_actions").set_value([]).run()
    at.multiselect(key="audit_people").set_value(["demo-admin"]).run()
    assert set(log_table(at)[texts.AUDIT_COLUMNS["actor"]]) == {"demo-admin"}
    first, _ = at.date_input(key="audit_dates").value
    at.date_input(key="audit_dates").set_value((first.replace(year=first.year - 2),) * 2).run()
    assert texts.AUDIT_NO_MATCH in [i.value for i in at.info]


def test_widgets_have_german_placeholders_and_no_select_all():
    at = audit_page()
    for key in ("audit_actions", "audit_people"):
        widget = at.multiselect(key=key)
        assert widget.placeholder == texts.PICK_MANY
        assert widget.proto.select_all == 0
