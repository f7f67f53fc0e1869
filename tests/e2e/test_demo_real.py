"""The demo programme on the shipped model: themes, emerging themes, peers, forum (e2e)."""

from __future__ import annotations

import json
import subprocess

import pytest

# Importing the whole demo with the real model takes minutes: part of `make e2e`, not `make test`.
pytestmark = [pytest.mark.e2e, pytest.mark.demo]

REVERSE = "Reverse Mentoring Stadt Nordhafen 2026"
CROSS = "Cross-Mentoring Frauen in Führung 2026"
PEER = "Peer-Group-Mentoring Führungskräfte 2026"


def cli(script, env, *args):
    proc = subprocess.run([script, *args, "--json"], env=env, capture_output=True, timeout=900)
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def demo_env(console_script, real_env, tmp_path_factory):
    env = dict(
        real_env, ASSISTANT_DB_URL=f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    )
    report = cli(console_script, env, "demo")
    assert report["imported"] >= 200 and report["rejected"] == []
    assert cli(console_script, env, "demo")["imported"] == 0  # loading twice adds nothing
    return env


def test_demo_themes_map_to_pool_and_find_a_planted_emerging_theme(console_script, demo_env):
    emerging_keywords = []
    for programme in (REVERSE, CROSS, PEER):
        data = cli(console_script, demo_env, "themes", "--programme", programme)
        mapped = [c for c in data["clusters"] if c["topic"]]
        assert mapped and all(c["topic"] == c["id"] for c in mapped)
        assert data["boilerplate"] + data["duplicates"] >= 1
        emerging_keywords += [
            k.lower() for c in data["clusters"] if c["emerging"] for k in c["keywords"]
        ]
    assert any(k.startswith("barrierefrei") for k in emerging_keywords), emerging_keywords


def test_demo_reverse_mentee_finds_mentors_offering_what_she_needs(console_script, demo_env):
    data = cli(console_script, demo_env, "peers", "rm-01", "--mode", "need-offer", "--top", "3")
    assert data["peers"], data
    assert all(p["participant"].startswith("rm-") for p in data["peers"])
    mentors = {f"rm-{i:02d}" for i in range(13, 25)}
    assert data["peers"][0]["participant"] in mentors
    assert "social_media" in data["peers"][0]["shared_topics"]


def test_demo_forum_for_a_peer_group_ranks_topics_with_prompts(console_script, demo_env):
    data = cli(console_script, demo_env, "forum", "--group", "Peer-Gruppe Nord")
    assert data["topics"] and data["topics"][0]["members"] >= 2
    assert all(t["prompts"] for t in data["topics"] if not t["emerging"])
