"""Shared set-up of the end-to-end tests that start processes of their own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hashing_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Settings of this process and of the processes it starts: hashing embedder, mini pool,
    a fresh data folder; no ASSISTANT_* variable of the caller leaks in."""
    values = {
        "ASSISTANT_EMBEDDER": "hashing",
        "ASSISTANT_POOL": str(ROOT / "tests" / "fixtures" / "mini_pool.yaml"),
        "ASSISTANT_DATA_DIR": str(tmp_path / "data"),
    }
    for key in [k for k in os.environ if k.startswith("ASSISTANT_")]:
        monkeypatch.delenv(key)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return {**os.environ, **values}
