"""RayEmbedder without a Ray cluster: addresses, the worker's batch, rows handed to the analysis.

The Ray job itself runs in tests/e2e/test_ray_import.py (marker ray, ``make e2e``); here the
worker class is called directly, as a Ray actor would call it.
"""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.factory import build_embedder
from assistant.nlp.cache import CachedEmbedder
from assistant.nlp.embed import HashingEmbedder
from assistant.nlp.ray_embed import EmbedBatch, RayEmbedder, check_address, connect
from assistant.policy import operator
from tests.cli.invoke import in_process

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "Ich möchte Konflikte im Team besser moderieren. Dafür brauche ich Übung.",
    "Mehr Sichtbarkeit für unser Amt auf Instagram.",
]


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(embedder="hashing", hashing_dimension=64, data_dir=str(tmp_path), **values)


@pytest.mark.parametrize(
    "address", ["local", "auto", "ray://head.example.org:10001", "10.0.0.5:6379", "[::1]:6379"]
)
def test_check_address_accepts_what_ray_understands(address):
    if address.startswith("["):
        with pytest.raises(ConfigError):  # a bare IPv6 GCS address: only through ray://
            check_address(address)
    else:
        assert check_address(address) == address


@pytest.mark.parametrize("address", ["", "lokal", "ray://", "http://head:8265", "head", "a b:1"])
def test_check_address_refuses_others_in_german(address):
    with pytest.raises(ConfigError, match=r"Ray-Adresse .* ungültig: erlaubt sind local"):
        check_address(address)


def test_connect_to_a_port_where_nothing_listens_fails_fast_in_german():
    with socket.socket() as probe:  # a free port: bound, then released unlistened
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConfigError, match=f"Ray-Cluster unter ray://127.0.0.1:{port} nicht"):
        connect(f"ray://127.0.0.1:{port}", 2)


def test_build_embedder_puts_the_ray_embedder_inside_the_cache(tmp_path):
    built = build_embedder(_settings(tmp_path, ray_address="local"))
    assert isinstance(built, CachedEmbedder) and isinstance(built.inner, RayEmbedder)
    assert built.model_id == built.inner.inner.model_id == "hashing-char-3-5-64"
    plain = build_embedder(_settings(tmp_path, cache=False))
    assert isinstance(plain, HashingEmbedder)


def test_worker_batch_gives_the_rows_of_a_single_process(tmp_path, preprocessor):
    settings = _settings(tmp_path)
    worker = EmbedBatch(settings)
    out = worker({"text": np.array(TEXTS, dtype=object)})
    sentences = [tuple(p.sentences) for p in preprocessor.process_many(TEXTS)]
    assert len(sentences[0]) == 2  # the first text is read as two sentences
    inner = HashingEmbedder(64)
    ray = RayEmbedder(inner, settings, "local")
    assert ray.add_batch(out) == 2
    expected = inner.encode_in_context(sentences)
    got = ray.encode_in_context(sentences)
    for rows, want in zip(got, expected, strict=True):
        assert rows.shape == want.shape == (want.shape[0], 64)
        np.testing.assert_allclose(rows, want, atol=1e-6)


def test_rows_are_handed_out_once_and_the_rest_is_embedded_here(tmp_path):
    calls: list[int] = []

    class Counting(HashingEmbedder):
        def encode_in_context(self, sentence_lists, *, progress=None):
            calls.append(len(sentence_lists))
            return super().encode_in_context(sentence_lists, progress=progress)

    inner = Counting(64)
    ray = RayEmbedder(inner, _settings(tmp_path), "local")
    made = (("Erster Satz.", "Zweiter Satz."),)
    ray.add_batch(
        {
            "sentences": np.array(['["Erster Satz.", "Zweiter Satz."]'], dtype=object),
            "rows": np.array([np.ones((3, 64), np.float32).tobytes()], dtype=object),
        }
    )
    counted: list[int] = []
    first = ray.encode_in_context([*made, ("Anderer Text.",)], progress=counted.append)
    assert np.all(first[0] == 1.0) and first[1].shape == (2, 64)
    assert calls == [1] and sum(counted) == 2  # only the other text was embedded here
    again = ray.encode_in_context(list(made))
    assert not np.all(again[0] == 1.0) and calls == [1, 1]


def test_prepare_of_few_texts_starts_no_job(tmp_path):
    ray = RayEmbedder(HashingEmbedder(64), _settings(tmp_path), "ray://nowhere.invalid:1")
    ray.prepare([])  # would raise ConfigError if it tried to connect
    ray.prepare(TEXTS * 60)  # 2 distinct texts: a single entry saved in the app
    with pytest.raises(ConfigError, match="nicht erreichbar"):
        RayEmbedder(ray.inner, ray.settings, ray.address, min_texts=2).prepare(TEXTS)


def test_import_with_a_malformed_ray_address_writes_nothing(cli_env, tmp_path):
    env = {**cli_env, "ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    csv = str(ROOT / "tests" / "fixtures" / "programme.csv")
    code, out, err = in_process(env, "import", csv, "--ray", "irgendwo")
    assert code == 1 and out == ""
    assert "Ray-Adresse „irgendwo“ ungültig" in err
    assert not (tmp_path / "data" / "assistant.db").exists()  # refused before the database


def test_an_import_prepares_all_its_new_texts_in_one_call(hashing_assistant, tmp_path):
    """Three programmes of a file: one bulk call, so a Ray job sees the whole import."""
    from assistant.service import Assistant
    from assistant.storage import Stores, make_engine, migrate
    from assistant.topics.analyser import TopicAnalyzer
    from tests.unit.privacy_support import OPEN_ENGINES, dispose_engines

    calls: list[list[str]] = []

    class Recording(HashingEmbedder):
        def prepare(self, texts):
            calls.append(list(texts))

    settings = Settings(embedder="hashing", data_dir=str(tmp_path), cache=False)
    engine = make_engine(settings.database_url)
    OPEN_ENGINES.append(engine)
    migrate(engine)
    lent = hashing_assistant._analyzer
    analyzer = TopicAnalyzer(lent.pool, Recording(512), lent.preprocessor, lent.suggester)
    app = Assistant(analyzer, Stores.open(engine), settings=settings)
    try:
        app.import_file(operator("cli:test"), ROOT / "assistant" / "demo" / "entries.csv")
    finally:
        dispose_engines()
    assert len(calls) == 1 and len(calls[0]) == 231  # three programmes, one call


def _job_batch(worker: EmbedBatch, texts: list[str]) -> dict:
    return worker({"text": np.array(texts, dtype=object)})


def test_analysis_waits_for_rows_still_coming_and_gets_the_jobs(tmp_path, preprocessor):
    import threading
    import time

    settings = _settings(tmp_path)
    batch = _job_batch(EmbedBatch(settings), TEXTS)
    zero = {  # the worker's batch with all rows zero: whose rows the analysis got is plain
        "sentences": batch["sentences"],
        "rows": np.array(
            [np.zeros(len(bytes(b)) // 4, np.float32).tobytes() for b in batch["rows"]],
            dtype=object,
        ),
    }
    release = threading.Event()

    def job():
        release.wait(10)  # the batch comes only after the analysis asked for it
        yield zero

    embedder = RayEmbedder(HashingEmbedder(64), settings, "local")
    thread = embedder.collect(job())
    sentences = [tuple(p.sentences) for p in preprocessor.process_many(TEXTS)]
    threading.Timer(0.3, release.set).start()
    started = time.perf_counter()
    rows = embedder.encode_in_context(sentences)
    assert time.perf_counter() - started >= 0.25  # it waited for the job
    assert all(np.all(r == 0.0) for r in rows)  # and took the job's rows, not its own
    thread.join(5)
    assert not thread.is_alive()


def test_a_failing_job_leaves_the_texts_to_this_process(tmp_path, caplog):
    def broken():
        raise RuntimeError("worker died")
        yield  # a generator

    inner = HashingEmbedder(64)
    embedder = RayEmbedder(inner, _settings(tmp_path), "local")
    embedder.collect(broken()).join(5)
    sentences = [("Ein Satz.",), ("Noch einer.", "Und mehr.")]
    rows = embedder.encode_in_context(sentences)
    expected = inner.encode_in_context(sentences)
    assert all(np.array_equal(a, b) for a, b in zip(rows, expected, strict=True))
    assert "the Ray job failed" in caplog.text
