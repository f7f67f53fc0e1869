"""Overlapped ingest: the same stored analyses as in turn, the same error, nothing half-written."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.errors import ModelNotFoundError
from assistant.nlp.cache import CachedEmbedder, EmbeddingCache
from assistant.nlp.embed import HashingEmbedder
from assistant.policy import operator
from assistant.service import Assistant
from assistant.storage import Stores
from assistant.storage.engine import make_engine, migrate
from assistant.storage.secrets import load_or_create_key
from assistant.topics import overlap
from assistant.topics.analyser import TopicAnalyzer
from assistant.topics.overlap import analyse_batches, can_overlap
from tests.conftest import FIXTURES

OPERATOR = operator("cli:test")
needs_fork = pytest.mark.skipif(not can_overlap(), reason="the worker is forked (Linux)")


def _assistant(base: Assistant, data_dir: Path, overlap_kind: str, batch: int = 3) -> Assistant:
    """An assistant on its own SQLite file and cache, borrowing ``base``'s fitted stages."""
    data_dir.mkdir(parents=True)
    config = Settings(embedder="hashing", data_dir=str(data_dir), ingest_overlap=overlap_kind)
    engine = make_engine(f"sqlite:///{data_dir / 'db.sqlite'}")
    migrate(engine)
    lent = base._analyzer
    embedder = CachedEmbedder(HashingEmbedder(512), EmbeddingCache(config.cache_path))
    analyzer = TopicAnalyzer(base.pool, embedder, lent.preprocessor, lent.suggester)
    stores = Stores.open(engine, audit_key=lambda: load_or_create_key(config.audit_key_path))
    app = Assistant(analyzer, stores, settings=config)
    analyses = app._services().analyses
    assert analyses.overlap == overlap_kind  # the setting reaches the service
    analyses.batch = batch  # 12 entries: four batches
    return app


ENTRY_IDS = [f"t-{n:03d}" for n in range(1, 13)]  # tests/fixtures/programme.csv, in order


def _stored(app: Assistant) -> tuple[list[str], dict[str, object]]:
    """Pending entry ids, and every stored analysis (vector, scores, lemmas, suggestions)."""
    stores = app._services().stores
    programme = stores.programmes.get("Testprogramm")
    assert programme is not None
    analyzer = app._services().analyses.analyzer_for(programme.id)
    found = stores.entries.analyses(ENTRY_IDS, analyzer.model_id, analyzer.pool_key)
    suggestions = sorted(
        (s.entry_id, s.topic_id, s.score) for s in stores.entries.suggestions_of(ENTRY_IDS)
    )
    pending = sorted(e.id for e in stores.entries.pending())
    return pending, {
        "ids": found.entry_ids,
        "vectors": found.vectors.tolist(),
        "scores": found.topic_scores.tolist(),
        "lemmas": found.lemmas,
        "suggestions": suggestions,
    }


@needs_fork
def test_overlap_stores_the_same_analyses_as_in_turn_and_works_in_a_worker(
    hashing_assistant, tmp_path, monkeypatch
):
    pids = tmp_path / "pids"
    real = type(hashing_assistant._analyzer.preprocessor).process_many

    def process_many(self, texts):  # note which process preprocessed
        with pids.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        return real(self, texts)

    monkeypatch.setattr(
        type(hashing_assistant._analyzer.preprocessor), "process_many", process_many
    )
    told: list[int] = []
    one = _assistant(hashing_assistant, tmp_path / "in-turn", "off")
    one.import_file(OPERATOR, FIXTURES / "programme.csv")
    pids.unlink()
    two = _assistant(hashing_assistant, tmp_path / "overlap", "process")
    report = two.import_file(OPERATOR, FIXTURES / "programme.csv", progress=told.append)
    assert report.imported == 12 and sum(told) == 12
    assert {int(p) for p in pids.read_text().split()} - {os.getpid()}  # a worker did some
    pending_one, one_rows = _stored(one)
    pending_two, two_rows = _stored(two)
    assert pending_one == pending_two == []
    assert len(one_rows["ids"]) == 12
    assert two_rows == one_rows  # bit for bit: the worker runs the same code on the same state


@needs_fork
@pytest.mark.parametrize("stage", ["preprocess", "finish", "encode"])
def test_overlap_failure_raises_the_same_error_and_stores_the_same_batches(
    hashing_assistant, tmp_path, monkeypatch, stage
):
    """A stage failing on batch 3 of 4: batches 1 and 2 stored, 3 and 4 pending, either way."""
    message = "Das Modell fehlt: bitte 'make install' ausführen."

    def failing(real):
        def wrapped(self, texts, *args, **kwargs):
            if any("Kollegen" in (t if isinstance(t, str) else t.text) for t in texts):
                raise ModelNotFoundError(message)  # entry t-007, in batch 3
            return real(self, texts, *args, **kwargs)

        return wrapped

    target = {
        "preprocess": (type(hashing_assistant._analyzer.preprocessor), "process_many"),
        "finish": (TopicAnalyzer, "finish"),
        "encode": (TopicAnalyzer, "embed_processed"),
    }[stage]
    monkeypatch.setattr(*target, failing(getattr(*target)))
    outcomes = []
    for kind in ("off", "process"):
        app = _assistant(hashing_assistant, tmp_path / kind, kind)
        with pytest.raises(ModelNotFoundError) as raised:
            app.import_file(OPERATOR, FIXTURES / "programme.csv")
        outcomes.append((str(raised.value), *_stored(app)))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == message
    assert outcomes[0][1] == ENTRY_IDS[6:]  # batches 3 and 4 wait for ``reprocess``
    assert outcomes[0][2]["ids"] == ENTRY_IDS[:6]


@needs_fork
def test_overlap_worker_that_dies_costs_time_not_data(hashing_assistant, tmp_path, monkeypatch):
    parent = os.getpid()
    real = TopicAnalyzer.finish

    def finish(self, *args, **kwargs):
        if os.getpid() != parent:
            os._exit(3)  # the worker vanishes mid-step
        return real(self, *args, **kwargs)

    monkeypatch.setattr(TopicAnalyzer, "finish", finish)
    monkeypatch.setattr(overlap, "WORKER_TIMEOUT_S", 1.0)
    one = _assistant(hashing_assistant, tmp_path / "in-turn", "off")
    one.import_file(OPERATOR, FIXTURES / "programme.csv")
    two = _assistant(hashing_assistant, tmp_path / "overlap", "process")
    two.import_file(OPERATOR, FIXTURES / "programme.csv")
    assert _stored(two) == _stored(one)


def test_analyse_batches_in_turn_matches_analyse_and_rejects_unknown_overlap(hashing_assistant):
    analyzer = hashing_assistant._analyzer
    texts = [["Ich möchte Konflikte im Team besser lösen.", "Mehr Zeit für Planung."], ["k.A."]]
    for kind in ("off", "process"):
        got = list(analyse_batches(analyzer, texts, overlap=kind))
        assert [i for i, _ in got] == [0, 1]
        for (_, analyses), batch in zip(got, texts, strict=True):
            want = analyzer.analyse(batch)
            assert [a.result for a in analyses] == [a.result for a in want]
            assert np.array_equal(
                np.stack([a.vector for a in analyses]), np.stack([a.vector for a in want])
            )
    with pytest.raises(ValueError, match="Available: process, off"):
        list(analyse_batches(analyzer, texts, overlap="threads"))
