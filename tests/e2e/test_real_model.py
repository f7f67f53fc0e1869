"""Full runs on the shipped configuration: bundled model and default pool (marked e2e)."""

from __future__ import annotations

import json
import subprocess

import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Ich möchte, dass unser Amt auf Instagram präsenter wird", "social_media"),
        (
            "Ich will meine Führungsverantwortung endlich annehmen und mein Team gut führen.",
            "leadership",
        ),
        (
            "Wie bekomme ich Pflege meiner Mutter und Vollzeitstelle unter einen Hut?",
            "work_life_balance",
        ),
        ("We want to use ChatGPT safely for drafting letters to citizens.", "ai_automation"),
        (
            "Ich moechte mich auf eine Fuehrungsposition im hoeheren Dienst bewerben",
            "career_planning",
        ),
    ],
)
def test_real_assistant_ranks_expected_topic_first(real_assistant, text, topic):
    result = real_assistant.suggest(None, text)
    assert not result.no_fit
    assert result.topics[0].topic_id == topic


def test_real_assistant_finds_both_topics_of_a_two_topic_text(real_assistant):
    text = (
        "In meinem Referat gibt es seit Monaten Streit zwischen zwei Kolleginnen. "
        "Außerdem möchte ich lernen, mit digitalen Werkzeugen wie MS Teams, Videokonferenz "
        "und gemeinsamen Dokumenten in der Cloud sicher umzugehen."
    )
    topics = {s.topic_id: s for s in real_assistant.suggest(None, text, k=3).topics}
    assert "conflict" in topics and "digital_tools" in topics
    # Sentences are read inside the text's own pass; each topic still cites its own sentence.
    assert "Streit" in topics["conflict"].evidence[0]
    assert "Videokonferenz" in topics["digital_tools"].evidence[0]


@pytest.mark.parametrize(
    "text",
    [
        "Meine Rückenschmerzen vom langen Sitzen werden immer schlimmer.",
        "Wann wird endlich die Heizung im Altbau repariert?",
    ],
)
def test_real_assistant_says_no_fit_for_off_pool_text(real_assistant, text):
    assert real_assistant.suggest(None, text).no_fit


def test_cli_done_when_command_ranks_social_media_first(console_script, real_env, tmp_path):
    proc = subprocess.run(
        [
            console_script,
            "suggest",
            "--json",
            "Ich möchte, dass unser Amt auf Instagram präsenter wird",
        ],
        env=real_env,
        cwd=tmp_path,
        capture_output=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert data["language"] == "de" and data["topics"][0]["id"] == "social_media"
    assert data["topics"][0]["evidence"]
