"""Each role's pages in a real browser: sign in, use the page, screenshot, axe-core check.

Runs with `make e2e` only (marker ``browser``). The app starts on an empty data folder as
`make run` starts it (`assistant prepare`, then `streamlit run serve.py`), so this also proves
the first start: demo programmes loaded, demo accounts printed once to the terminal; and the
session cookie: a reload keeps one signed in (issue #14).
"""

from __future__ import annotations

import calendar
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant import texts
from tests.browser.conftest import AXE, SCREENSHOTS, Server
from tests.browser.english import STREAMLIT_UNTRANSLATABLE, assert_no_english

pytestmark = pytest.mark.browser

FORMS_EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "forms_export.csv"
FIRST_START_S = 600  # model load, pool fit and demo import on 2 cores, with the real model
STEP_MS = 120_000
BLOCKING = {"serious", "critical"}  # Streamlit's own frame currently causes none of these


def settle(page: Any) -> None:
    """Wait until Streamlit has finished running the script for the last interaction.

    The app hides the English status widget ("Running…/Stop") with CSS, so the app root's
    script state tells when a run is over.
    """
    page.wait_for_timeout(300)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
        timeout=STEP_MS
    )
    page.wait_for_timeout(300)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations caused by the app's own elements."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(' ')),
        }))"""
    )
    return [v for v in violations if v["impact"] in BLOCKING]


def _month_before(day: date) -> date:
    """The same day a month earlier, or that month's last day (as the date field counts)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_page(page: Any, name: str) -> None:
    settle(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    problems = axe_violations(page)
    assert not problems, f"{name}: accessibility violations {problems}"
    assert not page.locator('[data-testid="stException"]').count(), f"{name}: exception shown"
    # The uploader's own words stay English in Streamlit 1.67 (see tests/browser/english.py).
    assert_no_english(page, name, allow=STREAMLIT_UNTRANSLATABLE)


def submit_sign_in(page: Any, server: Server, username: str, password: str) -> None:
    page.goto(server.url)
    page.get_by_role("heading", name=texts.SIGN_IN_HEADER).wait_for(timeout=STEP_MS)
    page.get_by_label(texts.USERNAME).fill(username)
    page.get_by_label(texts.PASSWORD, exact=True).fill(password)
    page.get_by_role("button", name=texts.SIGN_IN_BUTTON).click()


def sign_in(page: Any, server: Server, role: str) -> None:
    submit_sign_in(page, server, *server.accounts()[role])
    page.get_by_text("Angemeldet als").wait_for(timeout=STEP_MS)
    settle(page)


def open_page(page: Any, title: str) -> None:
    page.get_by_role("link", name=title).click()
    settle(page)


@pytest.fixture(scope="module")
def first_start(server: Server, browser: Any) -> Server:
    """Open the app once: the first start loads the demo and prints the demo accounts."""
    page = browser.new_page()
    page.goto(server.url)
    page.get_by_role("heading", name="Anmelden").wait_for(timeout=FIRST_START_S * 1000)
    check_page(page, "anmelden")
    page.close()
    assert set(server.accounts()) == {"participant", "moderator", "coordinator", "admin"}
    return server


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    yield page
    context.close()


def test_wrong_password_is_refused(first_start: Server, page: Any) -> None:
    username, _ = first_start.accounts()["participant"]
    submit_sign_in(page, first_start, username, "falsch")
    page.get_by_text(texts.SIGN_IN_FAILED).wait_for(timeout=STEP_MS)
    assert not page.get_by_text("Angemeldet als").count()


def test_mentee_flow(first_start: Server, page: Any) -> None:
    sign_in(page, first_start, "participant")
    check_page(page, "teilnehmende")
    goal = page.get_by_label(texts.ENTRY_TEXT, exact=True)
    goal.fill("Ich möchte lernen, wie wir als Amt Instagram und LinkedIn sinnvoll nutzen.")
    page.get_by_role("button", name=texts.ENTRY_SAVE).click()
    settle(page)
    page.get_by_text(texts.ENTRY_SAVED).wait_for(timeout=STEP_MS)
    page.get_by_role("heading", name="Social Media").first.wait_for(timeout=STEP_MS)
    check_page(page, "teilnehmende-vorschlaege")
    open_page(page, texts.PAGE_SUGGEST)
    check_page(page, "themen-finden")
    open_page(page, texts.PAGE_MY_DATA)
    check_page(page, "meine-daten")


def test_coordinator_sees_programme_overview(first_start: Server, page: Any) -> None:
    sign_in(page, first_start, "coordinator")
    page.get_by_role("heading", name=texts.COORD_FREQ_HEADER).wait_for(timeout=STEP_MS)
    check_page(page, "koordination")
    open_page(page, texts.PAGE_MATCHING)
    page.get_by_role("heading", name=texts.MATCH_UNMATCHED_HEADER).wait_for(timeout=STEP_MS)
    check_page(page, "tandems")
    open_page(page, texts.PAGE_POOL)
    check_page(page, "themenpool")


def test_coordinator_maps_a_forms_export_and_sees_the_preview(
    first_start: Server, page: Any
) -> None:
    """Issue #14, item 3: upload, column mapping step and preview; nothing is imported here."""
    sign_in(page, first_start, "coordinator")
    page.get_by_role("tab", name=texts.COORD_IMPORT_HEADER).click()
    settle(page)
    page.locator('input[type="file"]').first.set_input_files(str(FORMS_EXPORT))
    settle(page)
    page.get_by_role("heading", name=texts.IMPORT_MAP_HEADER).wait_for(timeout=STEP_MS)
    page.get_by_role("heading", name=texts.IMPORT_PREVIEW_HEADER).wait_for(timeout=STEP_MS)
    check_page(page, "koordination-import-zuordnung")


def test_moderator_sees_forum_topics(first_start: Server, page: Any) -> None:
    sign_in(page, first_start, "moderator")
    page.get_by_role("heading", name=texts.FORUM_RANKING).wait_for(timeout=STEP_MS)
    check_page(page, "moderation")


def test_moderator_plans_a_group_session(first_start: Server, page: Any) -> None:
    # Issue #13, peer groups: a Seminar session with today's date, listed by stage with counts.
    sign_in(page, first_start, "moderator")
    page.get_by_role("heading", name=texts.GROUP_SESSIONS_HEADING).wait_for(timeout=STEP_MS)
    page.get_by_label(texts.GROUP_SESSION_FIELD_TITLE).fill("Auftakt: Führen in Veränderung")
    page.get_by_label(texts.GROUP_SESSION_FIELD_TITLE).press("Enter")
    settle(page)
    page.get_by_role("button", name=texts.GROUP_SESSION_ADD).click()
    settle(page)
    page.get_by_text("Die Sitzung „Auftakt: Führen in Veränderung“").wait_for(timeout=STEP_MS)
    page.get_by_role("heading", name=texts.GROUP_SESSIONS_HEADING).scroll_into_view_if_needed()
    check_page(page, "gruppensitzungen")


def test_admin_sees_audit_log(first_start: Server, page: Any) -> None:
    sign_in(page, first_start, "admin")
    open_page(page, texts.PAGE_AUDIT)
    check_page(page, "protokoll")


def test_visitor_reads_the_privacy_notice(first_start: Server, page: Any) -> None:
    page.goto(first_start.url)
    page.get_by_role("heading", name=texts.SIGN_IN_HEADER).wait_for(timeout=STEP_MS)
    open_page(page, texts.PAGE_PRIVACY)
    page.get_by_role("heading", name=texts.PRIVACY_HEADER).first.wait_for(timeout=STEP_MS)
    check_page(page, "datenschutz")


def test_session_survives_a_reload_and_sign_out_ends_it(first_start: Server, page: Any) -> None:
    sign_in(page, first_start, "participant")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["assistant_sitzung"]["httpOnly"] is True
    assert cookies["assistant_sitzung"]["sameSite"] == "Lax"
    page.reload()
    page.get_by_text("Angemeldet als").wait_for(timeout=STEP_MS)
    settle(page)
    page.goto(first_start.url + "/meine-daten")  # a bookmark or a typed URL
    page.get_by_text("Angemeldet als").wait_for(timeout=STEP_MS)
    page.get_by_role("button", name=texts.SIGN_OUT).click()
    page.get_by_role("heading", name=texts.SIGN_IN_HEADER).wait_for(timeout=STEP_MS)
    settle(page)
    assert "assistant_sitzung" not in {c["name"] for c in page.context.cookies()}
    page.reload()
    page.get_by_role("heading", name=texts.SIGN_IN_HEADER).wait_for(timeout=STEP_MS)
    assert not page.get_by_text("Angemeldet als").count()


def test_other_roles_and_unknown_urls_answer_in_german(first_start: Server, page: Any) -> None:
    sign_in(page, first_start, "participant")
    page.goto(first_start.url + "/protokoll")
    page.get_by_text(texts.PAGE_NOT_FOR_ROLE).wait_for(timeout=STEP_MS)
    settle(page)
    assert not page.get_by_text("Page not found").count()
    check_page(page, "fremde-seite")
    reply = page.goto(first_start.url + "/gibt-es-nicht")
    assert reply is not None and reply.status == 404
    page.get_by_text(texts.PAGE_UNKNOWN).wait_for(timeout=STEP_MS)


def test_bookmarked_page_opens_after_sign_in(first_start: Server, page: Any) -> None:
    username, password = first_start.accounts()["coordinator"]
    page.goto(first_start.url + "/tandems")
    page.get_by_role("heading", name=texts.SIGN_IN_HEADER).wait_for(timeout=STEP_MS)
    page.get_by_label(texts.USERNAME).fill(username)
    page.get_by_label(texts.PASSWORD, exact=True).fill(password)
    page.get_by_role("button", name=texts.SIGN_IN_BUTTON).click()
    page.get_by_text("Angemeldet als").wait_for(timeout=STEP_MS)
    settle(page)
    assert page.url.rstrip("/").endswith("/tandems")


def test_tandem_guide_and_agreement_after_publishing(first_start: Server, page: Any) -> None:
    """The coordinator publishes the demo's cross tandems; the demo participant (a mentee of
    that programme) opens the first-meeting guide and confirms the agreement (issue #13).

    Runs last: publishing changes the tandems page the tests above look at.
    """
    from urllib.parse import quote

    cross = "Cross-Mentoring Frauen in Führung 2026"
    sign_in(page, first_start, "coordinator")
    page.goto(f"{first_start.url}/tandems?programm={quote(cross)}")
    page.get_by_role("button", name=texts.MATCH_PUBLISH).wait_for(timeout=STEP_MS)
    settle(page)
    page.get_by_role("button", name=texts.MATCH_PUBLISH).click()
    settle(page)
    page.get_by_role("button", name=texts.SIGN_OUT).click()
    page.get_by_role("heading", name=texts.SIGN_IN_HEADER).wait_for(timeout=STEP_MS)
    sign_in(page, first_start, "participant")
    summary = page.locator('[data-testid="stExpander"] summary').filter(
        has_text=texts.GUIDE_HEADING
    )
    summary.wait_for(timeout=STEP_MS)
    summary.click()
    settle(page)
    page.get_by_text(texts.GUIDE_RULES, exact=True).wait_for(timeout=STEP_MS)
    check_page(page, "tandem-leitfaden")
    page.get_by_role("button", name=texts.AGREEMENT_CONFIRM).click()
    settle(page)
    waiting = texts.AGREEMENT_STATUS.format(version=1, status=texts.AGREEMENT_WAITING)
    page.get_by_text(waiting).first.wait_for(timeout=STEP_MS)
    check_page(page, "zielvereinbarung")
    # Issue #13, meetings: a meeting a month ago (progress 3, the slider's start), then one
    # today with the first goal one step further; the progress chart shows both. The date
    # field has a spin button per part, and keeps its value after a save.
    month = page.get_by_role("spinbutton", name=f"month, {texts.MEETING_FIELD_DATE}")

    def step_month(key: str) -> None:
        month.focus()
        month.press(key)
        month.press("Tab")
        settle(page)

    def save_meeting(on: date) -> None:
        page.get_by_role("button", name=texts.MEETING_SAVE).click()
        settle(page)
        saved = texts.MEETING_SAVED.format(date=on.strftime("%d.%m.%Y"))
        page.get_by_text(saved).first.wait_for(timeout=STEP_MS)

    step_month("ArrowDown")
    save_meeting(_month_before(date.today()))
    step_month("ArrowUp")
    slider = page.get_by_role("slider").first
    slider.focus()
    slider.press("ArrowRight")
    settle(page)
    save_meeting(date.today())
    page.get_by_role("heading", name=texts.MEETINGS_HEADING).first.scroll_into_view_if_needed()
    check_page(page, "treffen")
    page.get_by_text(texts.PROGRESS_HEADING, exact=True).scroll_into_view_if_needed()
    check_page(page, "fortschritt")
    # Issue #13, evaluation: six more tandems get a fictional journey (the tool the README
    # names), then the coordinator sees the cross programme's aggregates (k rule).
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(first_start.log.parent),
        "ASSISTANT_DEMO": "true",
    }
    if os.environ.get("ASSISTANT_E2E_CONFIG"):  # the server's own configuration
        env["ASSISTANT_CONFIG"] = os.environ["ASSISTANT_E2E_CONFIG"]
    root = Path(__file__).resolve().parents[2]
    seeded = subprocess.run(
        [sys.executable, "tools/demo_journey.py"],
        cwd=root,
        env=env,
        capture_output=True,
        timeout=600,
    )
    assert seeded.returncode == 0, seeded.stderr
    page.get_by_role("button", name=texts.SIGN_OUT).click()
    page.get_by_role("heading", name=texts.SIGN_IN_HEADER).wait_for(timeout=STEP_MS)
    sign_in(page, first_start, "coordinator")
    page.goto(f"{first_start.url}/evaluation?programm={quote(cross)}")
    page.get_by_role("heading", name=texts.EVAL_RHYTHM_HEADING).wait_for(timeout=STEP_MS)
    settle(page)
    check_page(page, "evaluation")
