"""`assistant prepare` (make run, before the app serves) through the installed console script."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli.invoke import in_process, via_script

ROOT = Path(__file__).resolve().parents[2]
TEST_CONFIG = ROOT / "tests" / "assistant.test.toml"  # hashing embedder, mini pool, demo on


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    return dict(clean, ASSISTANT_CONFIG=str(TEST_CONFIG), ASSISTANT_DATA_DIR=str(tmp_path))


def test_prepare_loads_the_demo_once_and_prints_the_passwords_once(console_script, env, tmp_path):
    code, out, err = via_script(console_script, env, "prepare", "--json")
    assert code == 0, err
    first = json.loads(out)
    assert first["ready"] is True and first["data_path"] == str(tmp_path)
    assert first["demo"] == {"enabled": True, "loaded_now": True, "entries": 231}
    roles = {name: a["role"] for name, a in first["accounts"].items()}
    assert sorted(roles.values()) == ["admin", "coordinator", "moderator", "participant"]
    assert all(len(a["password"]) >= 12 for a in first["accounts"].values())
    assert "[prepare]" in err  # progress goes to stderr when the output is JSON
    assert (tmp_path / "assistant.db").exists()

    code, out, err = in_process(env, "prepare")  # a second start: the app's cached state
    assert code == 0, err
    assert "ready in" in out and "loaded before" in out
    assert not any(a["password"] in out for a in first["accounts"].values())


def test_prepare_prints_the_demo_accounts_in_the_terminal_layout(console_script, env):
    code, out, err = via_script(console_script, env, "prepare")
    assert code == 0, err
    lines = [line.split() for line in out.splitlines() if line.startswith("  ")]
    assert [line[0] for line in lines] == ["participant", "moderator", "coordinator", "admin"]
    assert lines[0][1] == "demo-teilnehmende" and all(len(x) == 3 for x in lines)
    assert "[prepare] model and suggester ready" in out


def test_prepare_without_demo_mode_creates_no_accounts(env):
    code, out, err = in_process(dict(env, ASSISTANT_DEMO="false"), "prepare", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["demo"] == {"enabled": False, "loaded_now": False, "entries": 0}
    assert report["accounts"] == {}


def test_prepare_seed_reports_the_model_apart_from_the_fit(env, tmp_path):
    # One run: it preprocesses the whole bundled pool (tens of seconds on a busy machine).
    env = dict(env, ASSISTANT_SEED_DIR=str(tmp_path / "fits"))
    code, out, err = in_process(env, "prepare", "--seed")
    assert code == 0, err
    assert out.index("model ready") < out.index("topic suggester of the bundled pool fitted")
    assert len(list((tmp_path / "fits").glob("suggester-*.joblib"))) == 1
