"""`assistant meetings` and `assistant evaluation` (issue #13, item 8): counts, never texts.

Hashing embedder and mini pool (``cli_env``); the cross cohort publishes three tandems, so
``ASSISTANT_K_MIN_CLUSTER=3`` shows the tandem figures and the default k (5) withholds them.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from pypdf import PdfReader

from assistant.journey.meetings import MeetingInput
from assistant.policy import Principal
from tests.cli.invoke import in_process, via_script
from tests.cli.test_match_cli import imported, pairs_of, run_json
from tests.matching_cohort import CROSS

NOTE, REFLECTION = "Geheime Notiz über die Chefin", "Reflexion: Das Treffen half mir beim Netzwerk."
MEETING_FIELDS = [
    "mentee", "mentor", "meetings", "minutes", "last_meeting", "expected_meetings",
    "agreement_confirmed", "overdue",
]  # fmt: skip
EVALUATION_FIELDS = [
    "programme", "kind", "computed_on", "k", "tandems", "meetings_vs_rhythm",
    "confirmed_agreements", "goal_progress", "questionnaire", "goals_vs_reflections",
]  # fmt: skip


def _person(pid: str) -> Principal:
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({CROSS}))


@pytest.fixture(scope="module")
def published(cli_env, tmp_path_factory):
    """Three published tandems; the first confirmed its agreement and met once (with a note)."""
    env = imported(cli_env, tmp_path_factory.mktemp("evaluation"))
    run_json(env, "match", "--programme", CROSS)
    pairs = pairs_of(run_json(env, "match", "publish", "--programme", CROSS))
    mentee = sorted(pairs)[0]
    mp = pytest.MonkeyPatch()
    for key, value in env.items():
        mp.setenv(key, value)
    try:
        from assistant.config import load_settings
        from assistant.factory import build_assistant

        engine = build_assistant(load_settings())
        for pid in (mentee, pairs[mentee]):
            view = engine.tandem_agreement(_person(pid), CROSS)
            engine.confirm_agreement(_person(pid), CROSS, view.version)
        meeting = MeetingInput(
            date(2026, 4, 1), 75, private_note=NOTE, reflection=REFLECTION, progress=((0, 4),)
        )
        engine.log_meeting(_person(mentee), CROSS, meeting)
    finally:
        mp.undo()
    return env, pairs, mentee


def test_meetings_json_contract_through_the_console_script(console_script, published):
    env, pairs, mentee = published
    code, stdout, err = via_script(console_script, env, "meetings", "--programme", CROSS, "--json")
    assert code == 0, err
    data = json.loads(stdout)
    assert data["programme"] == CROSS
    assert {t["mentee"]: t["mentor"] for t in data["tandems"]} == pairs
    assert all(list(t) == MEETING_FIELDS for t in data["tandems"])
    mine = next(t for t in data["tandems"] if t["mentee"] == mentee)
    assert (mine["meetings"], mine["minutes"], mine["last_meeting"]) == (1, 75, "2026-04-01")
    assert mine["agreement_confirmed"] is True
    others = [t for t in data["tandems"] if t["mentee"] != mentee]
    assert all(t["meetings"] == 0 and t["overdue"] for t in others)
    assert NOTE not in stdout and REFLECTION not in stdout


def test_meetings_text_output_names_tandems_by_ids_only(published):
    env, pairs, mentee = published
    code, stdout, err = in_process(env, "meetings", "--programme", CROSS)
    assert code == 0, err
    assert f"{mentee} - {pairs[mentee]}: 1 meeting(s)" in stdout and NOTE not in stdout


def test_evaluation_withholds_tandem_figures_below_k(published):
    env, pairs, _ = published
    data = run_json(env, "evaluation", "--programme", CROSS)
    assert list(data) == EVALUATION_FIELDS
    assert (data["k"], data["tandems"]) == (5, len(pairs))
    assert data["meetings_vs_rhythm"] == {"shown": False}
    assert data["confirmed_agreements"] == {"shown": False}
    assert data["questionnaire"] == {"shown": False}
    assert data["goal_progress"] == [] and data["goals_vs_reflections"] == []


def test_evaluation_from_k_tandems_on_with_the_pdf_report(console_script, published, tmp_path):
    env, pairs, _ = published
    out = tmp_path / "bericht.pdf"
    k3 = dict(env, ASSISTANT_K_MIN_CLUSTER="3")
    code, stdout, err = via_script(
        console_script, k3, "evaluation", "--programme", CROSS, "--out", str(out), "--json"
    )
    assert code == 0, err
    data = json.loads(stdout)
    assert data["out"] == str(out) and data["k"] == 3
    assert data["meetings_vs_rhythm"]["shown"] is True
    assert data["meetings_vs_rhythm"]["none"] == len(pairs) - 1
    assert data["confirmed_agreements"] == {
        "shown": True, "confirmed": 1, "tandems": 3, "share": 0.333,
    }  # fmt: skip
    assert not any(pid in stdout for pid in (*pairs, *pairs.values()))
    assert NOTE not in stdout and REFLECTION not in stdout
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Evaluation des Mentoring-Programms" in text and CROSS in text
    assert "1 von 3 Tandems" in text and NOTE not in text


def test_evaluation_needs_a_pdf_name_and_a_programme(published, tmp_path):
    env, _, _ = published
    code, _, err = in_process(
        env, "evaluation", "--programme", CROSS, "--out", str(tmp_path / "x.txt")
    )
    assert code == 2 and ".pdf" in err
    code, _, err = in_process(env, "meetings")
    assert code == 2 and "--programme" in err
