"""A Ray import stores what a single-process import stores (issue #16 item 4).

The demo's 231 texts on the real default model (multilingual-e5-small on ONNX Runtime), imported
through the installed console script twice into a fresh database: once in one process, once
with ``--ray local`` (a Ray instance the command starts here: two workers, one model each).
Every stored vector agrees to a cosine of at least 0.9999 and every text's topic scores rank
the topics in the same order.

The database is the test PostgreSQL when ``ASSISTANT_TEST_DB_URL`` names one (``.ci/postgres.sh
-m ray`` runs it there), else a SQLite file; marker ``ray``: ``make e2e`` runs it, ``make test``
does not (a Ray start and two model loads take about a minute on two cores).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.factory import build_assistant
from assistant.importer import parse_file
from assistant.storage import Stores, make_engine
from assistant.storage.records import StoredVectors
from tests.unit.privacy_support import OPEN_ENGINES, dispose_engines, fresh_db_url

pytestmark = [pytest.mark.ray, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "assistant" / "demo" / "entries.csv"


def _import(console_script: str, data_dir: Path, *extra: str) -> tuple[StoredVectors, str]:
    """Import the demo file into a fresh database; return what was stored and stderr."""
    url = fresh_db_url(data_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_DATA_DIR=str(data_dir),
        ASSISTANT_DB_URL=url,
        RAY_USAGE_STATS_ENABLED="0",
    )
    done = subprocess.run(
        [console_script, "import", str(CSV), "--json", *extra],
        env=env,
        capture_output=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    settings = Settings(data_dir=str(data_dir), db_url=url)
    analyzer = build_assistant(settings, storage=False, lazy=True)._analyzer
    engine = make_engine(url)
    OPEN_ENGINES.append(engine)
    ids = [row.entry_id for row in parse_file(CSV).rows]
    stored = Stores.open(engine).entries.analyses(ids, analyzer.model_id, analyzer.pool_key)
    assert stored.entry_ids == ids  # every text analysed, none left pending
    return stored, done.stderr.decode()


def test_ray_import_stores_the_vectors_and_rankings_of_a_single_process(tmp_path, console_script):
    single, _ = _import(console_script, tmp_path / "single")
    ray, stderr = _import(console_script, tmp_path / "ray", "--ray", "local")
    dispose_engines()
    assert "Ray-Cluster unter local: 2 Worker" in stderr
    ray_bar = [line for line in stderr.split("\r") if line.startswith("Ray:")][-1]
    assert "231/231" in ray_bar  # the job embedded every text (three of them are repeats)
    assert len(ray.entry_ids) == len(single.entry_ids) == 231
    cosines = np.einsum("ij,ij->i", single.vectors, ray.vectors)
    assert cosines.min() >= 0.9999, sorted(cosines)[:5]
    ranks_single = np.argsort(-single.topic_scores, axis=1, kind="stable")
    ranks_ray = np.argsort(-ray.topic_scores, axis=1, kind="stable")
    assert (ranks_single == ranks_ray).all()
    assert single.lemmas == ray.lemmas


def test_unreachable_ray_cluster_is_a_german_error_and_nothing_is_imported(
    tmp_path, console_script
):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env["ASSISTANT_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run(
        [console_script, "import", str(CSV), "--ray", "ray://127.0.0.1:9"],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "Ray-Cluster unter ray://127.0.0.1:9 nicht erreichbar" in done.stderr.decode()
    assert not (tmp_path / "data" / "assistant.db").exists()
