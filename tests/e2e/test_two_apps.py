"""Two processes on one database: what one changes, the other's peers and themes show next.

The app's engine lives in this process with its peer index and theme run built; the second
process is the installed console script, which imports, withdraws consent and erases. The
peer index is rebuilt when the programme's ``data_version`` moved (``services.peering``); the
theme run is looked up by a fingerprint of the programme's consenting entries, read at every
request (``services.theming``), so neither keeps what another process changed.

On the test PostgreSQL when ``ASSISTANT_TEST_DB_URL`` names one (``.ci/postgres.sh`` runs it
there: marker postgres), else on a SQLite file; ``make e2e`` runs it (marker processes).
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.factory import build_assistant
from assistant.policy import operator
from tests.unit.privacy_support import OPEN_ENGINES, dispose_engines, fresh_db_url, stores_of

pytestmark = [pytest.mark.processes, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "tests" / "fixtures" / "programme.csv"
PROGRAMME = "Testprogramm"
OPERATOR = operator("app:test")


@pytest.fixture
def env(hashing_env, tmp_path, monkeypatch):
    url = fresh_db_url(tmp_path / "data")
    monkeypatch.setenv("ASSISTANT_DB_URL", url)
    yield {**hashing_env, "ASSISTANT_DB_URL": url}
    dispose_engines()


def _peers(app) -> set[str]:
    return {m.participant_id for m in app.peers(OPERATOR, "t-01", k=10).peers}


def _themed(app) -> set[str]:
    """Entry ids the programme's theme run clustered (the operator's view keeps them)."""
    return set(app.themes(OPERATOR, PROGRAMME).themes.assignments)


def _cli(script: str, env: dict[str, str], *args: str) -> None:
    done = subprocess.run([script, *args, "--json"], env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()


def _new_person(path: Path) -> Path:
    with CSV.open(encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    row.update(participant_id="t-09", entry_id="t-090", organisation="Stadt Q")
    row["text"] = "Wir wollen auf Instagram mehr Follower gewinnen und Beiträge planen."
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    return path


def test_import_consent_and_erasure_in_one_process_reach_peers_and_themes_of_another(
    env, console_script, tmp_path
):
    app = build_assistant(load_settings())
    OPEN_ENGINES.append(stores_of(app).db.engine)  # closed after the test (psycopg warns)
    app.import_file(OPERATOR, CSV)
    assert {"t-02", "t-03"} <= _peers(app)  # the app's index is built
    themed = _themed(app)
    assert {"t-003", "t-005"} <= themed  # and its theme run is stored

    _cli(console_script, env, "import", str(_new_person(tmp_path / "new.csv")))
    assert "t-09" in _peers(app)
    assert _themed(app) == themed | {"t-090"}

    _cli(console_script, env, "consent", "t-02", "--analysis", "no", "--matching", "no")
    assert "t-02" not in _peers(app)
    assert not {"t-003", "t-004"} & _themed(app)

    _cli(console_script, env, "erase", "t-03")
    assert "t-03" not in _peers(app)
    assert not {"t-005", "t-006"} & _themed(app)
