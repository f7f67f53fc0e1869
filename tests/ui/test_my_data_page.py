"""AppTest of "Meine Daten" (consents, export, erasure) and the admin's "Protokoll".

One data folder per module: the demo loads once; each test signs in as another demo
participant, so the tests do not see each other's changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.policy import Principal
from tests.ui.conftest import sign_in_as
from tests.unit.privacy_support import stores_of

APP = str(Path(__file__).resolve().parents[2] / "app.py")
MY_DATA = "assistant/ui/pages/my_data.py"
AUDIT = "assistant/ui/pages/audit.py"
CROSS = "Cross-Mentoring Frauen in Führung 2026"


pytestmark = pytest.mark.usefixtures("demo_app")


def open_page(principal: Principal, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    sign_in_as(at, principal)
    at.run()
    assert not at.exception
    at.switch_page(page).run()
    assert not at.exception
    return at


def participant(pid: str) -> Principal:
    return Principal(
        f"demo-{pid}", "participant", participant_id=pid, programmes=frozenset({CROSS})
    )


def test_consent_toggle_takes_effect_at_once(engine):
    at = open_page(participant("cm-03"), MY_DATA)
    assert at.toggle(key="consent_analysis").value is True
    at.toggle(key="consent_matching").set_value(False).run()
    assert not at.exception
    assert [s.value for s in at.success] == [texts.CONSENT_SAVED]
    stores = stores_of(engine)
    person = stores.programmes.participant("cm-03")
    assert person is not None
    assert person.consent_matching is False and person.consent_analysis is True
    assert stores.programmes.consent_history("cm-03")[-1].changed_by == "demo-cm-03"


def test_export_is_prepared_on_request_and_audited(engine):
    at = open_page(participant("cm-04"), MY_DATA)
    audit = stores_of(engine).audit
    assert not [r for r in audit.rows(about=["cm-04"]) if r.action == "self.export"]
    at.button(key="export_prepare").click().run()
    assert not at.exception
    exported = at.session_state["my_export"]
    assert '"id": "cm-04"' in exported and "cm-05" not in exported
    assert audit.rows(about=["cm-04"])[0].action == "self.export"


def test_erasure_needs_the_confirmation_word(engine):
    at = open_page(participant("cm-05"), MY_DATA)
    at.button(key="erase_ask").click().run()
    at.text_input(key="erase_word").input("ja").run()
    at.button(key="erase_confirm").click().run()
    assert [e.value for e in at.error] == [texts.ERASE_CONFIRM_MISMATCH]
    assert stores_of(engine).programmes.participant("cm-05") is not None
    at.text_input(key="erase_word").input("LÖSCHEN").run()
    at.button(key="erase_confirm").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [texts.ERASE_DONE]
    assert stores_of(engine).programmes.participant("cm-05") is None
    assert "principal" not in at.session_state  # signed out


def test_admin_sees_the_audit_log(engine):
    at = open_page(Principal("demo-admin", "admin"), AUDIT)
    table = at.dataframe[0].value
    assert texts.AUDIT_COLUMNS["action"] in table.columns
    assert texts.audit_action("user.add") in set(table[texts.AUDIT_COLUMNS["action"]])  # demo


def test_other_roles_have_no_my_data_page(engine):
    at = AppTest.from_file(APP, default_timeout=120)
    sign_in_as(at, Principal("co", "coordinator", programmes=frozenset({CROSS})))
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(MY_DATA)


def test_a_session_whose_person_was_erased_elsewhere_ends_at_the_next_page_run(engine):
    """Issue #15: an erasure (here by the operator) ends the person's open session too."""
    from assistant.policy import operator

    at = open_page(participant("cm-06"), MY_DATA)
    assert at.toggle
    engine.erase(operator("cli:test"), "cm-06")  # the account goes with the person
    at.run()
    assert not at.exception and not at.toggle
    assert "principal" not in at.session_state
