"""Save first, process second: a process killed between saving and analysing loses nothing.

A child process imports a file and is killed (SIGKILL, no clean-up) after the entries are
committed and before any analysis is stored; a new process finds them pending and completes
them at its start (issue #11, item 5). Two processes: part of ``make e2e``.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.factory import build_assistant
from assistant.policy import operator
from assistant.storage import Stores, make_engine

pytestmark = pytest.mark.processes

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "programme.csv"

CHILD = """
import sys, time
from pathlib import Path
from assistant.config import load_settings
from assistant.factory import build_assistant
from assistant.policy import operator
from assistant.services import analyses

def stall(self, entries, progress=None):
    # The entries are committed: say so, then wait to be killed before analysing anything.
    Path(sys.argv[2]).write_text(str(len(entries)))
    time.sleep(600)

analyses.Analyses.complete = stall
engine = build_assistant(load_settings())
engine.import_file(operator("cli:crash-test"), sys.argv[1])
"""


@pytest.fixture
def env(hashing_env):
    return hashing_env


def _statuses(url: str) -> dict[str, str]:
    engine = make_engine(url)
    try:
        stores = Stores.open(engine)
        return {
            e.id: e.status
            for p in stores.programmes.all()
            for e in stores.entries.of_programme(p.id)
        }
    finally:
        engine.dispose()


def test_import_killed_before_analysis_is_pending_then_completed_at_restart(env, tmp_path):
    marker, log = tmp_path / "saved", tmp_path / "child.log"
    with log.open("wb") as errors:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(FIXTURE), str(marker)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            deadline = time.monotonic() + 180
            while not marker.exists():
                assert child.poll() is None, log.read_text(errors="replace")
                assert time.monotonic() < deadline, "the child never reached the analysis"
                time.sleep(0.1)
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    url = load_settings().database_url
    saved = _statuses(url)
    assert len(saved) == int(marker.read_text()) > 0
    assert set(saved.values()) == {"pending"}  # saved, nothing analysed: nothing lost

    engine = build_assistant(load_settings())  # the next start, e.g. of the app
    report, passwords = engine.start(operator("app:start"), demo=False)
    assert (report, passwords) == (None, None)
    after = _statuses(url)
    assert after.keys() == saved.keys()
    assert set(after.values()) == {"processed"}
    stores = engine._services().stores
    programme = stores.programmes.all()[0]
    ids = [e.id for e in stores.entries.of_programme(programme.id)]
    stored = stores.entries.analyses(ids, engine._analyzer.model_id, engine._analyzer.pool_key)
    assert sorted(stored.entry_ids) == sorted(ids)
