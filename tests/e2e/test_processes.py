"""One truth across processes: the command line changes what a running app shows (issue #15).

The app's engine lives in this process with its peer index built; consent and erasure go
through the installed console script, a second process. Part of ``make e2e``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.factory import build_assistant
from assistant.policy import operator

pytestmark = pytest.mark.processes

ROOT = Path(__file__).resolve().parents[2]
OPERATOR = operator("app:test")


@pytest.fixture
def env(hashing_env):
    return hashing_env


def _peers(engine) -> set[str]:
    return {m.participant_id for m in engine.peers(OPERATOR, "t-01", k=10).peers}


def test_consent_and_erasure_on_the_command_line_reach_a_running_app(env, console_script):
    app = build_assistant(load_settings())
    app.import_file(OPERATOR, ROOT / "tests" / "fixtures" / "programme.csv")
    assert {"t-02", "t-03"} <= _peers(app)  # the running app has built its index
    for args in (("consent", "t-02", "--matching", "no"), ("erase", "t-03")):
        done = subprocess.run(
            [console_script, *args, "--json"], env=env, capture_output=True, timeout=300
        )
        assert done.returncode == 0, done.stderr.decode()
    assert not {"t-02", "t-03"} & _peers(app)  # at its next request, without a restart
