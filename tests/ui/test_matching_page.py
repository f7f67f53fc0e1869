"""AppTest of "Tandems und Gruppen" and of the own match on "Mein Mentoring" (issue #12, item 5).

The demo's cross programme (11 mentees, 11 mentors, 4 of them without consent to matching) is
drafted, adjusted and published on the page; its participants then see their partner. The tests
run in file order on one data folder per module: the cross programme is published by the third
test, and the tests after it rely on that (each checks it first).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.policy import Principal, operator
from tests.ui.conftest import sign_in_as

APP = str(Path(__file__).resolve().parents[2] / "app.py")
MATCHING = "assistant/ui/pages/matching.py"
REVERSE = "Reverse Mentoring Stadt Nordhafen 2026"
CROSS = "Cross-Mentoring Frauen in Führung 2026"
PEER_GROUPS = "Peer-Group-Mentoring Führungskräfte 2026"
NO_CONSENT_CROSS = {"cm-02", "cm-11", "cm-17", "cm-21"}  # consent_matching=false in the demo
COLUMNS = texts.MATCH_PAIR_COLUMNS

pytestmark = pytest.mark.usefixtures("demo_app")


def matching_page(programme: str, programmes: frozenset[str] | None = None) -> AppTest:
    """The page as a coordinator of ``programmes`` (default: just ``programme``) sees it."""
    at = AppTest.from_file(APP, default_timeout=180)
    who = Principal(
        username="koordination-tandems",
        role="coordinator",
        programmes=programmes or frozenset({programme}),
    )
    at.query_params["programm"] = programme
    sign_in_as(at, who).run()  # the first page of a coordinator: the programme overview
    at.switch_page(MATCHING).run()
    assert not at.exception, at.exception
    return at


def participant(participant_id: str, programme: str) -> AppTest:
    """ "Mein Mentoring" as a demo participant sees it."""
    who = Principal(
        username=f"demo-{participant_id}",
        role="participant",
        participant_id=participant_id,
        programmes=frozenset({programme}),
    )
    at = sign_in_as(AppTest.from_file(APP, default_timeout=180), who).run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, column: str):
    """The first table of the page with ``column`` (dataframes carry no key in AppTest)."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def pairs_of(at: AppTest) -> dict[str, str]:
    frame = table(at, COLUMNS["mentor"])
    return dict(zip(frame[COLUMNS["mentee"]], frame[COLUMNS["mentor"]], strict=True))


def status_line(at: AppTest) -> str:
    [line] = [m.value for m in at.markdown if m.value.startswith(f"**{texts.MATCH_STATUS_LABEL}")]
    return line


def everything_shown(at: AppTest) -> str:
    """All text of a page run: texts, markdown, captions, infos and table cells."""
    parts = [e.value for kind in ("text", "markdown", "caption", "info") for e in at.get(kind)]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    return "\n".join(str(p) for p in parts)


def audit_rows() -> list:
    from assistant.ui import state

    return state.assistant().audit_log(operator("cli:test"))


def _stored(programme: str, read):
    """Read the programme's rows straight from the database (no model, no facade)."""
    from assistant import load_settings
    from assistant.storage import Stores, make_engine

    engine = make_engine(load_settings().database_url)
    try:
        stores = Stores.open(engine)
        found = stores.programmes.get(programme)
        assert found is not None
        return read(stores, found.id)
    finally:
        engine.dispose()


def organisations(programme: str) -> dict[str, str]:
    """Each member's organisation."""
    return _stored(
        programme,
        lambda stores, pid: {p.id: p.organisation for p in stores.programmes.participants_of(pid)},
    )


def entries(programme: str) -> list:
    return _stored(programme, lambda stores, pid: stores.entries.of_programme(pid))


def test_draft_tandems_span_two_organisations_and_leave_out_who_did_not_consent():
    at = matching_page(CROSS)
    assert not at.error
    assert texts.MATCH_STATUS["draft"] in status_line(at)
    pairs = pairs_of(at)
    assert len(pairs) == 9  # 9 consenting mentees, 12 places: everyone has a mentor
    known = organisations(CROSS)
    frame = table(at, COLUMNS["mentor"])
    for mentee, mentor, of_mentee, of_mentor in zip(
        frame[COLUMNS["mentee"]],
        frame[COLUMNS["mentor"]],
        frame[COLUMNS["mentee_organisation"]],
        frame[COLUMNS["mentor_organisation"]],
        strict=True,
    ):
        assert (of_mentee, of_mentor) == (known[mentee], known[mentor])
        assert of_mentee != of_mentor  # the cross rule
    assert not NO_CONSENT_CROSS & (set(pairs) | set(pairs.values()))
    reasons = frame[COLUMNS["reasons"]][0]
    assert texts.MATCH_PAIR_REASON["other_organisation"] in reasons
    assert all(0 <= s <= 1 for s in frame[COLUMNS["score"]])
    # Topics as pool labels, not ids.
    assert "Konflikte" in " ".join(frame[COLUMNS["topics"]])
    assert "conflict" not in " ".join(frame[COLUMNS["topics"]])

    left = table(at, texts.MATCH_UNMATCHED_COLUMNS["reason"])
    reason_of = dict(zip(left["Person"], left["Grund"], strict=True))
    assert {p for p, r in reason_of.items() if r == texts.MATCH_NO_CONSENT} == NO_CONSENT_CROSS
    # A mentor with a place left, nobody assigned (cm-20 in this draft).
    assert reason_of["cm-20"] in {
        texts.match_unmatched("not_needed", {"places": n, "allowed_mentees": 9}) for n in (1, 2)
    }
    assert not at.info  # no rule binds: 12 places for 9 mentees
    # Nothing is downloadable before publishing.
    assert not list(at.get("download_button"))
    assert texts.MATCH_EXPORT_LATER in [c.value for c in at.caption]


def test_lock_exclude_and_rematch_change_the_draft_and_are_audited():
    at = matching_page(CROSS)
    at.selectbox(key="match_pair").set_value("cm-01").run()
    at.button(key="match_lock").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    locked = pairs_of(at)
    mentor = locked["cm-01"]
    assert [s.value for s in at.success] == [
        texts.MATCH_DONE["lock"].format(mentee=texts.plain("cm-01"), mentor=texts.plain(mentor))
    ]
    frame = table(at, COLUMNS["mentor"])
    row = list(frame[COLUMNS["mentee"]]).index("cm-01")
    assert texts.MATCH_PAIR_REASON["locked"] in frame[COLUMNS["reasons"]][row]

    excluded_mentor = locked["cm-03"]
    at.selectbox(key="match_pair").set_value("cm-03").run()
    at.button(key="match_exclude").click().run()
    assert not at.exception and not at.error
    after_exclusion = pairs_of(at)
    assert after_exclusion.get("cm-03") != excluded_mentor
    assert after_exclusion["cm-01"] == mentor  # the lock holds

    at.selectbox(key="match_pair").set_value("cm-04").run()
    at.button(key="match_rematch").click().run()
    assert not at.exception and not at.error
    rematched = pairs_of(at)
    assert rematched.get("cm-04") != after_exclusion["cm-04"]
    # "Passt nicht": the other tandems stay as they were.
    assert {m: p for m, p in rematched.items() if m != "cm-04"} == {
        m: p for m, p in after_exclusion.items() if m != "cm-04"
    }
    steps = [
        (r.detail["step"], r.subject)
        for r in audit_rows()
        if r.action == "programme.match" and r.programme == CROSS and r.detail.get("step")
    ]
    assert {("lock", "cm-01"), ("exclude", "cm-03"), ("rematch", "cm-04")} <= set(steps)


def test_publishing_makes_the_tandems_visible_and_offers_downloads():
    at = matching_page(CROSS)
    assert texts.MATCH_PUBLISH_HELP_PAIRS in [c.value for c in at.caption]
    draft = pairs_of(at)
    at.button(key="match_publish").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [texts.MATCH_DONE["publish"]]
    assert texts.MATCH_STATUS["published"] in status_line(at)
    assert pairs_of(at) == draft
    assert at.button(key="match_publish").disabled
    assert not [b for b in at.button if b.key in ("match_lock", "match_exclude")]
    labels = {b.label for b in at.get("download_button")}
    assert labels == {texts.MATCH_EXPORT_CSV, texts.MATCH_EXPORT_XLSX}
    # AppTest cannot click a download; the page hands Streamlit this callback for the click.
    from assistant.ui import state

    state.assistant().record_download(at.session_state["principal"], CROSS, "matches-xlsx")
    (row, *_) = audit_rows()
    assert (row.action, row.programme, row.detail) == (
        "report.export",
        CROSS,
        {"format": "matches-xlsx"},
    )
    page = (Path(APP).parent / MATCHING).read_text(encoding="utf-8")
    assert page.count("on_click=state.assistant().record_download") == 2
    steps = [r.detail.get("step") for r in audit_rows() if r.action == "programme.match"]
    assert "publish" in steps


def _published_pair() -> tuple[str, str]:
    """A published tandem of the cross programme (published by the test above)."""
    from assistant.ui import state

    view = state.assistant().match(operator("cli:test"), CROSS)
    assert view.status == "published", "run the module in file order"
    first = view.result.pairs[0]
    return first.mentee, first.mentor


def test_both_people_of_a_published_tandem_see_each_other_and_their_two_sentences():
    mentee, mentor = _published_pair()
    known = organisations(CROSS)

    at = participant(mentee, CROSS)
    assert texts.MY_TANDEM in [h.value for h in at.subheader]
    # The page no longer promises that nobody else sees the texts: it says who does.
    assert texts.PARTICIPANT_WHO_SEES in [c.value for c in at.caption]
    assert "niemand" not in texts.PARTICIPANT_INTRO
    shown = [t.value for t in at.text]
    partner_line = texts.MY_PARTNER.format(
        partner=mentor, role=texts.MY_MATCH_ROLE["mentor"], organisation=known[mentor]
    )
    assert partner_line in shown
    assert any(t.startswith("Gemeinsame Themen: ") for t in shown)
    assert f"**{texts.MY_WHY}**" in [m.value for m in at.markdown]
    own_goal = [t for t in shown if t.startswith(f"{texts.MY_OWN_GOAL}: „")]
    partner_offer = [
        t for t in shown if t.startswith(texts.MY_PARTNER_OFFER.format(partner=mentor))
    ]
    assert len(own_goal) == 1 and len(partner_offer) == 1
    offer_text = partner_offer[0].split(": „", 1)[1].rstrip("“")
    offers = {e.text for e in entries(CROSS) if e.participant_id == mentor and e.kind == "offer"}
    assert offer_text in offers
    # The partner's other offers follow as plain text; the one above is not repeated.
    assert all(t in shown for t in offers - {offer_text})
    assert offer_text not in shown

    at = participant(mentor, CROSS)
    shown = [t.value for t in at.text]
    assert (
        texts.MY_PARTNER.format(
            partner=mentee, role=texts.MY_MATCH_ROLE["mentee"], organisation=known[mentee]
        )
        in shown
    )
    assert [t for t in shown if t.startswith(f"{texts.MY_OWN_OFFER}: „{offer_text}")]
    assert [t for t in shown if t.startswith(texts.MY_PARTNER_GOAL.format(partner=mentee))]


def test_without_consent_nobody_sees_you_and_you_see_no_match():
    mentee, mentor = _published_pair()
    at = participant("cm-02", CROSS)
    assert texts.MY_MATCH_NO_CONSENT in [i.value for i in at.info]
    assert not [t for t in at.text if t.value.startswith(texts.MY_PARTNER.split(":")[0])]
    for person in (mentee, mentor):
        page = everything_shown(participant(person, CROSS))
        assert not [p for p in NO_CONSENT_CROSS if p in page]
    # The coordinator sees them only as "without consent", never in a tandem.
    coordinator = matching_page(CROSS)
    assert not NO_CONSENT_CROSS & (set(pairs_of(coordinator)) | set(pairs_of(coordinator).values()))


def test_a_mentee_without_a_published_tandem_is_told_so():
    at = participant("rm-01", REVERSE)  # nothing published in the reverse programme yet
    assert texts.MY_MATCH_NONE["pairs"] in [i.value for i in at.info]


def test_coordinator_of_another_programme_is_refused():
    at = matching_page(CROSS, programmes=frozenset({REVERSE}))
    assert [e.value for e in at.error] == [texts.ACCESS_DENIED]
    assert not at.dataframe and not [b for b in at.button if b.key == "match_publish"]
    (row, *_) = audit_rows()
    assert (row.actor, row.action, row.outcome, row.programme) == (
        "koordination-tandems",
        "programme.match",
        "denied",
        CROSS,
    )


def test_a_binding_rule_is_an_info_and_the_unmatched_have_a_reason():
    from assistant.ui import state

    admin = operator("cli:admin")
    for mentor in ("rm-13", "rm-14", "rm-15"):  # 9 consenting mentees, now 8 places
        state.assistant().set_consent(admin, mentor, matching=False)
    at = matching_page(REVERSE)
    assert not at.error
    assert [i.value for i in at.info] == [
        texts.match_binding("capacity", {"mentees": 9, "places": 8})
    ]
    left = table(at, texts.MATCH_UNMATCHED_COLUMNS["reason"])
    reasons = list(left["Grund"])
    taken = {
        texts.match_unmatched("places_taken", {"places": p, "allowed_mentors": m})
        for p in range(1, 16)
        for m in range(1, 12)
    }
    assert taken & set(reasons)
    assert len(pairs_of(at)) == 8


def test_peer_groups_are_shown_adjusted_and_published():
    at = matching_page(PEER_GROUPS)
    assert not at.error, [e.value for e in at.error]
    assert texts.MATCH_STATUS["draft"] in status_line(at)
    assert at.number_input(key="match_size_min").value == 5
    columns = texts.MATCH_GROUP_COLUMNS
    groups = table(at, columns["people"])
    # The imported groups keep their consenting members (pg-04 did not consent).
    assert set(groups[columns["group"]]) == {"Peer-Gruppe Nord", "Peer-Gruppe Süd"}
    members = " ".join(groups[columns["people"]])
    assert "pg-01" in members and "pg-04" not in members
    assert "Konflikte" in " ".join(groups[columns["topics"]])
    left = table(at, texts.MATCH_UNMATCHED_COLUMNS["reason"])
    assert "pg-04" in set(left["Person"])

    # A lock that breaks a rule (pg-02 is locked into "Nord" already) is refused in German.
    at.selectbox(key="match_group_person").set_value("pg-02")
    at.selectbox(key="match_group_pick").set_value("Peer-Gruppe Süd").run()
    at.button(key="match_group_lock").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [texts.match_error("bad_lock")]

    at.button(key="match_publish").click().run()
    assert not at.exception and not at.error
    assert texts.MATCH_STATUS["published"] in status_line(at)
    labels = {b.label for b in at.get("download_button")}
    assert labels == {texts.MATCH_EXPORT_CSV, texts.MATCH_EXPORT_XLSX}

    me = participant("pg-01", PEER_GROUPS)
    assert texts.MY_GROUP in [h.value for h in me.subheader]
    assert texts.MY_GROUP_NAME.format(group="Peer-Gruppe Nord") in [t.value for t in me.text]
    [others] = [
        d.value
        for d in me.dataframe
        if list(d.value.columns) == list(texts.MY_GROUP_COLUMNS.values())
    ]
    people = set(others[texts.MY_GROUP_COLUMNS["person"]])
    assert "pg-02" in people and not {"pg-01", "pg-04"} & people
