"""AppTest of the navigation: other roles' pages refused in German and audited; sign-in hands
over to the session cookie route (issue #14)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.policy import Principal, operator
from tests.ui.conftest import APP, sign_in_as

pytestmark = pytest.mark.usefixtures("demo_app")

SETUP = operator("cli:test")


def refused_audit_page() -> None:
    """The page a role without the audit log gets at /protokoll (what app.py registers)."""
    from assistant.ui import navigation, site

    (page,) = [p for p in site.PAGES if p.url_path == "protokoll"]
    navigation.refusal(page)()


def test_other_roles_page_says_so_in_german_and_the_refusal_is_audited():
    from assistant.ui import state

    at = AppTest.from_function(refused_audit_page, default_timeout=120)
    sign_in_as(
        at,
        Principal(
            "koordination-nav",
            "coordinator",
            programmes=frozenset({"Reverse Mentoring Stadt Nordhafen 2026"}),
        ),
    )
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Diese Seite gibt es für Ihre Rolle nicht."]
    newest = state.assistant().audit_log(SETUP)[0]
    assert (newest.actor, newest.action, newest.outcome) == (
        "koordination-nav",
        "audit.view",
        "denied",
    )


def test_signed_in_menu_has_the_roles_pages_and_refuses_the_others():
    at = AppTest.from_file(APP, default_timeout=120)
    sign_in_as(at, Principal("teilnehmende-nav", "participant", participant_id="rm-03"))
    at.run()
    assert not at.exception, at.exception
    pages = {info["url_pathname"]: info for info in at._registered_pages.values()}
    assert {"mentoring", "themen", "meine-daten", "protokoll", "programm", "forum"} <= set(pages)
    assert pages["mentoring"]["script_path"].endswith("participant.py")
    assert pages["protokoll"]["script_path"] == ""  # the refusal, not the audit page
    assert pages["anmelden"]["script_path"] == ""  # signed in: back to the first page
    assert at.session_state["_asked_for_page"] == "mentoring"  # "/" went to the first page


def test_sign_in_sends_the_browser_to_the_cookie_route_with_a_one_time_token():
    from assistant.ui import state, web

    web.routes(state.assistant)  # as serve.py does: this process serves /sitzung/start
    password = state.assistant().add_user(SETUP, "admin-nav", "admin")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    at.text_input(key="sign_in_user").input("admin-nav")
    at.text_input(key="sign_in_password").input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert texts.SESSION_HANDOVER in [i.value for i in at.info]
    (link,) = [b for b in at.get("link_button")]
    target = urlparse(link.proto.url)
    assert target.path == "/sitzung/start"
    token = parse_qs(target.query)["t"][0]
    cookie = state.assistant().redeem_session(token)
    assert cookie is not None and cookie.username == "admin-nav"
    assert state.assistant().redeem_session(token) is None  # one use only
    starts = [r for r in state.assistant().audit_log(SETUP) if r.action == "session.start"]
    assert starts and starts[0].actor == "admin-nav"
