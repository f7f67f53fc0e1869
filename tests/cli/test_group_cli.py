"""A peer group's sessions on the command line (issue #13, item 5): ``group sessions``.

Hashing embedder and mini pool (``cli_env``); a forum choice becomes a Forum session, listed
with its stage and check-in count, never a note; the JSON contract also through the installed
console script.
"""

from __future__ import annotations

import json

from tests.cli.invoke import in_process, via_script
from tests.cli.test_programme_cli import env, imported, run_json  # noqa: F401 (fixtures)

GROUP = "Gruppe Eins"
PROGRAMME = "Testprogramm"


def test_a_forum_choice_is_listed_as_a_forum_session_with_counts(console_script, imported):  # noqa: F811
    code, out, err = in_process(imported, "group", "sessions", "--programme", PROGRAMME, GROUP)
    assert code == 0, err
    assert "Noch keine Sitzungen geplant." in out
    run_json(
        console_script, imported,
        "forum", "choose", "--group", GROUP, "--topic", "social_media", "--date", "2026-04-01",
    )  # fmt: skip
    code, stdout, err = via_script(
        console_script, imported, "group", "sessions", "--programme", PROGRAMME, GROUP, "--json"
    )
    assert code == 0, err
    data = json.loads(stdout)
    assert list(data) == ["programme", "group", "k", "sessions"]
    [session] = data["sessions"]
    assert (session["stage"], session["held_on"], session["topic"]) == (
        "forum",
        "2026-04-01",
        "social_media",
    )
    assert (session["checkins"], session["mean"]) == (0, None)
    code, out, err = in_process(imported, "group", "sessions", "--programme", PROGRAMME, GROUP)
    assert code == 0 and "2026-04-01 Forum:" in out and "0 Rückmeldungen" in out


def test_an_unknown_group_names_the_known_ones(imported):  # noqa: F811
    code, _, err = in_process(imported, "group", "sessions", "--programme", PROGRAMME, "Nope")
    assert code == 1 and "Known groups: Gruppe Eins, Gruppe Zwei" in err
