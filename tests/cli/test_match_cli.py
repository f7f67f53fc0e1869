"""Cohort matching on the command line (issue #12, item 6): `match` and `groups` with --json.

Hashing embedder and mini pool (``cli_env``); most calls run in-process through ``main()``,
the JSON contract also through the installed console script.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.invoke import in_process, via_script
from tests.matching_cohort import (
    CROSS,
    CROSS_PEOPLE,
    LEVEL,
    ORGANISATION,
    PEERS,
    cross_rows,
    peer_rows,
    write_csv,
)

NO_CONSENT = "Keine Einwilligung in die Vermittlung"


def run_json(env, *args):
    code, out, err = in_process(env, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def pairs_of(data) -> dict[str, str]:
    return {p["mentee"]: p["mentor"] for p in data["pairs"]}


def imported(cli_env, folder: Path, *, peers: bool = False) -> dict[str, str]:
    """A new database in ``folder`` with the cross programme (and the peer programme)."""
    env = dict(cli_env, ASSISTANT_DB_URL=f"sqlite:///{folder / 'db.sqlite'}")
    path = write_csv(folder / "cross.csv", cross_rows(CROSS, CROSS_PEOPLE))
    assert run_json(env, "import", str(path), "--kind", "cross")["imported"] == 7
    if peers:
        path = write_csv(folder / "peers.csv", peer_rows())
        assert run_json(env, "import", str(path), "--kind", "peer_group")["imported"] == 12
    return env


@pytest.fixture
def env(cli_env, tmp_path):
    return imported(cli_env, tmp_path)


@pytest.fixture
def peers_env(cli_env, tmp_path):
    return imported(cli_env, tmp_path, peers=True)


@pytest.fixture(scope="module")
def shared(cli_env, tmp_path_factory):
    """One database for the refusals, which change nothing that another refusal reads."""
    return imported(cli_env, tmp_path_factory.mktemp("match-shared"), peers=True)


def test_match_json_contract_through_the_console_script(console_script, env):
    code, out, err = via_script(console_script, env, "match", "--programme", CROSS, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == [
        "programme", "kind", "status", "pairs", "unmatched", "objective", "message",
    ]  # fmt: skip
    assert (data["programme"], data["kind"], data["status"]) == (CROSS, "cross", "draft")
    for pair in data["pairs"]:
        assert list(pair) == [
            "mentee", "mentor", "score", "shared_topics", "reasons", "trade_offs",
        ]  # fmt: skip
        assert ORGANISATION[pair["mentee"]] != ORGANISATION[pair["mentor"]]
        assert LEVEL[pair["mentor"]] > LEVEL[pair["mentee"]]
        assert 0 <= pair["score"] <= 1 and round(pair["score"], 4) == pair["score"]
        assert "andere Behörde" in pair["reasons"]
    assert set(pairs_of(data)) == {"me-1", "me-2", "me-3"}
    assert pairs_of(data)["me-1"] == "mo-1"
    (social,) = [p for p in data["pairs"] if p["mentee"] == "me-1"]
    assert social["shared_topics"] == ["social_media"]
    assert "Gemeinsame Themen: Social Media" in social["reasons"]
    assert data["unmatched"] == [{"participant": "me-4", "reason": NO_CONSENT}]
    assert set(data["objective"]) == {"value", "gap"} and data["message"] is None
    # The second call shows the stored draft.
    assert pairs_of(run_json(env, "match", "--programme", CROSS)) == pairs_of(data)
    audit = run_json(env, "audit")["audit"]
    steps = [r["detail"]["step"] for r in audit if r["action"] == "programme.match"]
    assert steps == ["view", "view"]
    row = next(r for r in audit if r["action"] == "programme.match")
    assert row["programme"] == CROSS and row["detail"]["pairs"] == 3


def test_match_prints_a_german_listing(env):
    code, out, err = in_process(env, "match", "--programme", CROSS)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"Tandems in {CROSS} (cross), Entwurf:"
    assert any(line.startswith("me-1 → mo-1  0.") and "Social Media" in line for line in lines)
    assert "    andere Behörde" in lines
    assert f"- me-4: {NO_CONSENT}" in lines


def test_a_lock_that_breaks_a_rule_exits_1_and_changes_nothing(env):
    before = run_json(env, "match", "--programme", CROSS)
    code, out, err = in_process(
        env, "match", "lock", "--programme", CROSS, "--mentee", "me-1", "--mentor", "mo-2"
    )  # both work for Stadt A
    assert code == 1 and out == "" and "same_organisation" in err and "Traceback" not in err
    assert run_json(env, "match", "--programme", CROSS) == before
    allowed = run_json(
        env, "match", "lock", "--programme", CROSS, "--mentee", "me-3", "--mentor", "mo-1"
    )
    assert pairs_of(allowed)["me-3"] == "mo-1"
    (locked,) = [p for p in allowed["pairs"] if p["mentee"] == "me-3"]
    assert "von der Koordination festgelegt" in locked["reasons"]


def test_exclude_rematch_publish_and_a_recompute_keeps_published_pairs(env):
    first = pairs_of(run_json(env, "match", "--programme", CROSS))
    excluded = run_json(
        env, "match", "exclude", "--programme", CROSS, "--mentee", "me-1", "--mentor", "mo-1"
    )
    assert excluded["status"] == "draft" and pairs_of(excluded).get("me-1") != first["me-1"]
    rematched = run_json(env, "match", "rematch", "--programme", CROSS, "--mentee", "me-2")
    assert pairs_of(rematched).get("me-2") != pairs_of(excluded).get("me-2")
    published = run_json(env, "match", "publish", "--programme", CROSS)
    assert published["status"] == "published"
    assert pairs_of(published) == pairs_of(rematched)
    assert all(p["trade_offs"] == [] for p in published["pairs"])  # the coordinator's view only
    assert run_json(env, "match", "--programme", CROSS)["status"] == "published"
    again = run_json(env, "match", "--programme", CROSS, "--recompute")
    assert again["status"] == "draft" and pairs_of(again) == pairs_of(published)
    audit = run_json(env, "audit")["audit"]
    steps = [r["detail"]["step"] for r in audit if r["action"] == "programme.match"]
    assert steps[::-1] == ["view", "exclude", "rematch", "publish", "view", "recompute"]


def test_a_partial_result_exits_0_with_the_binding_rule_and_its_numbers(env, tmp_path):
    people = [
        (f"pm-{i}", "mentee", "Stadt A", "true", "goal", "Ich möchte Konflikte im Team lösen "
         f"und schwierige Gespräche führen, Teil {i}.", "", "1")
        for i in range(1, 4)
    ] + [
        ("pt-1", "mentor", "Stadt C", "true", "offer", "Ich begleite bei Konflikten im Team.",
         "2", "3"),
        ("pt-2", "mentor", "Stadt A", "true", "offer", "Ich begleite bei schwierigen "
         "Gesprächen.", "3", "3"),
    ]  # fmt: skip
    path = write_csv(tmp_path / "partial.csv", cross_rows("Knapp", people))
    run_json(env, "import", str(path), "--kind", "cross")
    data = run_json(env, "match", "--programme", "Knapp")
    assert len(data["pairs"]) == 2 and {p["mentor"] for p in data["pairs"]} == {"pt-1"}
    assert data["message"] == "3 Mentees, aber nur 2 Plätze bei Mentor:innen aus anderen Behörden"
    (left,) = [u for u in data["unmatched"] if u["participant"].startswith("pm-")]
    assert "Plätze" in left["reason"]
    code, out, _ = in_process(env, "match", "--programme", "Knapp")
    assert code == 0 and f"Bindende Regel: {data['message']}" in out.splitlines()


def test_groups_are_drafted_and_publishing_creates_them(peers_env):
    env = peers_env
    data = run_json(env, "groups", "--programme", PEERS, "--size", "4-6")
    assert list(data) == ["programme", "status", "groups", "unassigned", "objective", "message"]
    assert (data["programme"], data["status"]) == (PEERS, "draft")
    sizes = [len(g["members"]) for g in data["groups"]]
    assert all(4 <= n <= 6 for n in sizes) and sum(sizes) + len(data["unassigned"]) == 12
    for group in data["groups"]:
        assert list(group) == ["id", "members", "shared_topics", "organisations"]
        assert len(group["organisations"]) == len(set(group["organisations"]))
    group = data["groups"][0]["id"]
    code, _, err = in_process(env, "forum", "--group", group, "--programme", PEERS)
    assert code == 1 and "Unknown peer group" in err  # a draft creates no group
    published = run_json(env, "groups", "publish", "--programme", PEERS)
    assert published["status"] == "published" and published["groups"] == data["groups"]
    code, _, err = in_process(env, "forum", "--group", group, "--programme", PEERS)
    assert code == 0, err  # the group exists now: moderators can be given it
    code, out, _ = in_process(env, "groups", "--programme", PEERS)
    assert code == 0 and out.startswith(f"Peer-Gruppen in {PEERS}, veröffentlicht:")


def test_groups_lock_and_exclude_print_the_updated_draft(peers_env):
    env = peers_env
    data = run_json(env, "groups", "--programme", PEERS, "--size", "4-6")
    first, second = data["groups"][0], data["groups"][1]
    person = first["members"][0]
    moved = run_json(
        env, "groups", "exclude", "--programme", PEERS, "--participant", person,
        "--group", first["id"], "--size", "4-6",
    )  # fmt: skip
    assert person not in next(g["members"] for g in moved["groups"] if g["id"] == first["id"])
    locked = run_json(
        env, "groups", "lock", "--programme", PEERS, "--participant", person,
        "--group", second["id"], "--size", "4-6",
    )  # fmt: skip
    assert person in next(g["members"] for g in locked["groups"] if g["id"] == second["id"])


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("groups", "--programme", PEERS, "--size", "4"), 2, "--size must look like MIN-MAX"),
        (("groups", "--programme", PEERS, "--size", "6-4"), 2, "--size must look like MIN-MAX"),
        (("groups", "--programme", PEERS, "--size", "1-3"), 2, "2 <= MIN <= MAX"),
        (("match",), 2, "match needs --programme NAME"),
        (("match", "lock", "--programme", CROSS, "--mentee", "me-1"), 2, "--mentor"),
        (("match", "--programme", PEERS), 1, "use 'assistant groups'"),
        (("groups", "--programme", CROSS), 1, "use 'assistant match'"),
        (("match", "--programme", "Fehlt"), 1, "Unknown programme 'Fehlt'"),
        (
            ("match", "exclude", "--programme", CROSS, "--mentee", "me-1", "--mentor", "mo-9"),
            1,
            "'mo-9', who is not in the cohort",
        ),
        (("match", "publish", "--programme", PEERS), 1, "use 'assistant groups'"),
    ],
)
def test_matching_commands_refuse_bad_input_clearly(shared, args, code, message):
    got, out, err = in_process(shared, *args)
    assert (got, out) == (code, "") and message in err and "Traceback" not in err


def test_match_enter_publishes_a_pair_through_the_console_script(console_script, env):
    code, out, err = via_script(
        console_script, env, "match", "enter", "--programme", CROSS, "me-2", "mo-1", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["status"], pairs_of(data)) == ("published", {"me-2": "mo-1"})
    (pair,) = data["pairs"]
    assert "von der Koordination eingetragen" in pair["reasons"] and pair["trade_offs"] == []
    # A new draft and its publication keep the entered tandem.
    assert pairs_of(run_json(env, "match", "--programme", CROSS))["me-2"] == "mo-1"
    assert pairs_of(run_json(env, "match", "--programme", CROSS, "--recompute"))["me-2"] == "mo-1"
    published = run_json(env, "match", "publish", "--programme", CROSS)
    assert pairs_of(published)["me-2"] == "mo-1"
    audit = run_json(env, "audit")["audit"]
    steps = [r["detail"]["step"] for r in audit if r["action"] == "programme.match"]
    assert steps == ["publish", "recompute", "view", "enter"]  # newest first


def test_match_enter_prints_german_and_refuses_a_taken_mentee(env):
    code, out, err = in_process(env, "match", "enter", "--programme", CROSS, "me-2", "mo-1")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Tandem me-2 → mo-1 eingetragen und veröffentlicht."
    assert lines[1] == f"Tandems in {CROSS} (cross), veröffentlicht:"
    code, out, err = in_process(env, "match", "enter", "--programme", CROSS, "me-2", "mo-3")
    assert (code, out) == (1, "") and "'me-2' is in a published tandem" in err
    code, out, err = in_process(env, "match", "enter", "--programme", CROSS, "me-4", "mo-3")
    assert code == 1 and "has not consented to matching" in err and "Traceback" not in err
    code, _, err = in_process(env, "match", "enter", "--programme", CROSS, "me-1")
    assert code == 2 and "MENTOR" in err


def test_match_end_ends_a_published_tandem(env):
    run_json(env, "match", "enter", "--programme", CROSS, "me-2", "mo-1")
    code, out, err = in_process(env, "match", "end", "--programme", CROSS, "me-2")
    assert code == 0, err
    assert out.splitlines()[0] == "Tandem von me-2 beendet."
    assert pairs_of(run_json(env, "match", "--programme", CROSS)) == {}
    code, out, err = in_process(env, "match", "end", "--programme", CROSS, "me-2")
    assert (code, out) == (1, "") and "'me-2' is in no published tandem" in err
