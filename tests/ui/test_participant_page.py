"""AppTest of "Mein Mentoring": entries, suggestion feedback, reflection questions, peers.

One data folder per module: the demo loads once, and each test signs in as another demo
participant, so the tests do not see each other's changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.policy import Principal, operator
from tests.ui.conftest import sign_in_as
from tests.unit.privacy_support import stores_of

APP = str(Path(__file__).resolve().parents[2] / "app.py")
REVERSE = "Reverse Mentoring Stadt Nordhafen 2026"
PEER_GROUPS = "Peer-Group-Mentoring Führungskräfte 2026"
INSTAGRAM = "Ich möchte, dass unser Amt auf Instagram mehr Follower bekommt."
CONFLICT = "Ich will lernen, Konflikte und Streit im Team früher anzusprechen."


pytestmark = pytest.mark.usefixtures("demo_app")


def person(participant_id: str, programme: str = REVERSE) -> Principal:
    """The principal of a demo participant's account."""
    return Principal(
        username=f"demo-{participant_id}",
        role="participant",
        participant_id=participant_id,
        programmes=frozenset({programme}),
    )


def signed_in(participant_id: str, programme: str = REVERSE) -> AppTest:
    at = sign_in_as(AppTest.from_file(APP, default_timeout=120), person(participant_id, programme))
    at.run()
    assert not at.exception
    return at


def add_entry(at: AppTest, text: str, kind: str = "goal") -> AppTest:
    at.selectbox(key="entry_kind").set_value(kind)
    at.text_area(key="entry_draft").input(text)
    return at.button(key="add_entry").click().run()


def button(at: AppTest, label: str):
    [found] = [b for b in at.button if b.label == label]
    return found


def table(at: AppTest, columns: dict[str, str]):
    """The dataframe with exactly these German column names (AppTest shows no table keys)."""
    [found] = [d.value for d in at.dataframe if list(d.value.columns) == list(columns.values())]
    return found


def texts_on(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_enter_a_goal_see_a_suggestion_and_accept_it(engine):
    at = add_entry(signed_in("rm-02"), INSTAGRAM)
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [texts.ENTRY_SAVED]
    assert at.text_area(key="entry_draft").value == ""  # saved drafts are cleared
    assert "Social Media" in [h.value for h in at.subheader]
    assert any("Follower" in t for t in texts_on(at))  # evidence from the text itself
    assert "• Welche Kanäle nutzt Ihr Publikum?" not in texts_on(at)  # not accepted yet
    assert [i.value for i in at.info if i.value == texts.NO_ACCEPTED]

    button(at, texts.ACCEPT_TOPIC.format(topic="Social Media")).click().run()
    assert not at.exception and not at.error
    assert "• Welche Kanäle nutzt Ihr Publikum?" in texts_on(at)
    mine = engine.entries(person("rm-02"), REVERSE)
    new = next(e for e in mine if e.text == INSTAGRAM)
    stored = engine.suggestions_of(person("rm-02"), [new.id])[new.id]
    assert [(s.topic_id, s.status) for s in stored] == [("social_media", "accepted")]
    assert (INSTAGRAM, "social_media") in engine.feedback_examples(operator("test"), REVERSE)
    history = table(at, texts.HISTORY_COLUMNS)
    row = history[history[texts.HISTORY_COLUMNS["text"]] == INSTAGRAM].iloc[0]
    assert row[texts.HISTORY_COLUMNS["topics"]] == "Social Media"
    assert row[texts.HISTORY_COLUMNS["kind"]] == "Ziel"


def test_dismiss_moves_a_suggestion_aside_and_can_be_undone(engine):
    at = add_entry(signed_in("rm-04"), CONFLICT)
    button(at, texts.DISMISS_TOPIC.format(topic="Konflikte")).click().run()
    assert not at.exception and not at.error
    assert "Konflikte" not in [h.value for h in at.subheader]
    rm04 = person("rm-04")
    new = next(e for e in engine.entries(rm04, REVERSE) if e.text == CONFLICT)
    assert {s.topic_id: s.status for s in engine.suggestions_of(rm04, [new.id])[new.id]} == {
        "conflict": "dismissed"
    }
    button(at, texts.RESTORE_TOPIC.format(topic="Konflikte")).click().run()
    assert "Konflikte" in [h.value for h in at.subheader]
    assert engine.suggestions_of(rm04, [new.id])[new.id][0].status == "suggested"


def test_invalid_text_shows_a_german_error_and_keeps_the_draft(engine):
    before = len(engine.entries(person("rm-06"), REVERSE))
    at = add_entry(signed_in("rm-06"), "Mein Ziel: <script>alert(1)</script>")
    assert not at.exception
    assert [e.value for e in at.error] == [texts.INVALID["markup"]]
    assert at.text_area(key="entry_draft").value == "Mein Ziel: <script>alert(1)</script>"
    assert len(engine.entries(person("rm-06"), REVERSE)) == before


def test_edit_own_entry_reanalyses_it(engine):
    at = add_entry(signed_in("rm-05"), INSTAGRAM)
    entry_id = at.session_state[f"entry_pick_{REVERSE}"]
    at.text_area(key=f"edit_{entry_id}").input(CONFLICT)
    at.button(key=f"save_edit_{entry_id}").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [texts.ENTRY_EDITED]
    assert CONFLICT in texts_on(at)
    assert "Konflikte" in [h.value for h in at.subheader]
    assert stores_of(engine).entries.by_id([entry_id])[0].text == CONFLICT


def test_peers_are_consenting_people_without_their_words(engine):
    at = signed_in("rm-01")
    peers = table(at, texts.PEER_COLUMNS)
    shown = set(peers[texts.PEER_COLUMNS["participant"]])
    stores = stores_of(engine)
    programme = stores.programmes.get(REVERSE)
    assert programme is not None
    people = stores.programmes.participants_of(programme.id)
    # A mentee is matched with consenting mentors' offers: no mentee, nobody without consent.
    consenting_mentors = {p.id for p in people if p.consent_matching and p.role == "mentor"}
    assert shown and shown <= consenting_mentors
    assert "rm-18" not in shown  # a mentor without consent to matching
    organisations = set(peers[texts.PEER_COLUMNS["organisation"]])
    assert all(o.startswith("Stadt Nordhafen") for o in organisations)
    others = [e.text for e in stores.entries.of_programme(programme.id)]
    cells = " ".join(str(v) for v in peers.to_numpy().ravel())
    assert not any(text[:40] in cells for text in others)
    # The same words as the topic cards (issue #14, item 6), the number beside them.
    fits = set(peers[texts.PEER_COLUMNS["fit"]])
    assert fits and fits <= set(texts.FIT_WORD.values())
    assert all(v.endswith(" %") for v in peers[texts.PEER_COLUMNS["score"]])


def test_without_consent_to_matching_no_peers_are_shown(engine):
    at = signed_in("rm-03")
    assert texts.PEERS_NO_CONSENT in [i.value for i in at.info]
    assert all(list(d.value.columns) != list(texts.PEER_COLUMNS.values()) for d in at.dataframe)


def test_peer_group_entries_carry_their_stage(engine):
    at = signed_in("pg-02", PEER_GROUPS)
    at.selectbox(key="entry_stage").set_value("forum")
    at = add_entry(at, CONFLICT, kind="reflection")
    assert not at.exception and not at.error
    history = table(at, texts.HISTORY_COLUMNS)
    row = history[history[texts.HISTORY_COLUMNS["text"]] == CONFLICT].iloc[0]
    assert row[texts.HISTORY_COLUMNS["stage"]] == "Forum"
    assert row[texts.HISTORY_COLUMNS["kind"]] == "Reflexion"


def test_a_disabled_or_deleted_account_is_signed_out_at_its_next_page_run(engine):
    """Issue #15, finding 8: an open session kept its scope after the account changed."""
    from assistant.policy import operator

    admin = operator("cli:admin")
    at = signed_in("rm-02")
    assert any(h.value == texts.MY_ENTRIES for h in at.subheader)
    engine.set_disabled(admin, "demo-rm-02")
    at.run()  # the next click
    assert not at.exception and not any(h.value == texts.MY_ENTRIES for h in at.subheader)
    assert "principal" not in at.session_state
    engine.set_disabled(admin, "demo-rm-02", False)
    at = signed_in("rm-02")
    engine.delete_user(admin, "demo-rm-02")
    at.run()
    assert "principal" not in at.session_state and not at.dataframe


def test_several_programmes_are_picked_one_at_a_time(engine, tmp_path):
    from assistant.policy import operator

    cross = "Cross-Mentoring Frauen in Führung 2026"
    second = tmp_path / "second.csv"  # rm-07 takes part in a second programme, too
    second.write_text(
        "programme,participant_id,role,organisation,age_band,consent_analysis,"
        "consent_matching,entry_id,kind,text,created_at,group\n"
        f"{cross},rm-07,mentee,Stadt Nordhafen,30-39,true,true,x-rm07-1,goal,"
        "Ich möchte meine Führungsrolle im neuen Team klären.,2026-03-01,\n",
        encoding="utf-8",
    )
    engine.import_file(operator("cli:test"), second)
    at = AppTest.from_file(APP, default_timeout=120)
    sign_in_as(at, person("rm-07", REVERSE))
    assert at.session_state["principal"].programmes == {REVERSE, cross}
    at.run()
    picker = at.selectbox(key="participant_programme")
    assert picker.options == sorted([REVERSE, cross])
    picker.set_value(REVERSE).run()
    assert not at.exception and not at.error
    assert any(h.value == texts.MY_ENTRIES for h in at.subheader)
    at.selectbox(key="participant_programme").set_value(cross).run()
    assert not at.exception and not at.error
    assert "Führungsrolle" in " ".join(t.value for t in at.text)  # the second programme's entry
