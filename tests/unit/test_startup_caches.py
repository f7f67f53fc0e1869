"""Caches of a fast first start (issue 16): the suggester seed made at install.

``make install`` fits the bundled pool's suggester once into a seed folder; a fresh data
folder copies it instead of fitting. Behaviour, not speed: a seed is used only under its own
key (pool, model, version), a broken seed costs a fit and not the start, and a seed is made
from the bundled pool only (it lives outside the data folder that erasure cleans).
"""

from __future__ import annotations

import argparse
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant import __version__
from assistant.domain import TopicPool
from assistant.nlp.embed import HashingEmbedder
from assistant.topics import load_topic_pool
from assistant.topics.fitting import SuggesterFit, seed_fit

ROOT = Path(__file__).resolve().parents[2]
MINI_POOL = ROOT / "tests" / "fixtures" / "mini_pool.yaml"


class CountingEmbedder(HashingEmbedder):
    """Counts the texts it embeds: a fit embeds the pool's examples, a seed embeds none."""

    def __init__(self, dimension: int = 64) -> None:
        super().__init__(dimension)
        self.embedded = 0

    def encode(self, texts, *, progress=None):
        self.embedded += len(texts)
        return super().encode(texts, progress=progress)


def _edited(pool: TopicPool, phrase: str) -> TopicPool:
    first = pool.topics[0]
    examples = {**first.examples, "de": (*first.examples.get("de", ()), phrase)}
    return replace(pool, topics=(replace(first, examples=examples), *pool.topics[1:]))


def test_a_fresh_cache_folder_copies_the_seed_instead_of_fitting(tmp_path, mini_pool, preprocessor):
    seeded = seed_fit(mini_pool, HashingEmbedder(64), preprocessor, tmp_path / "seed", "1")
    embedder = CountingEmbedder(64)
    fit = SuggesterFit(
        mini_pool, embedder, preprocessor, tmp_path / "cache", "1", tmp_path / "seed"
    )
    assert fit.summary() is not None  # read from the seed, nothing loaded
    suggester = fit.load()
    assert embedder.embedded == 0
    assert (tmp_path / "cache" / seeded.name).read_bytes() == seeded.read_bytes()
    assert (tmp_path / "cache" / seeded.with_suffix(".json").name).exists()
    assert suggester.threshold_ == fit.summary()["threshold"]


@pytest.mark.parametrize(
    "change",
    ["pool", "model", "version"],
)
def test_a_seed_of_another_pool_model_or_version_is_not_used(
    change, tmp_path, mini_pool, preprocessor
):
    seed_fit(mini_pool, HashingEmbedder(64), preprocessor, tmp_path / "seed", "1")
    pool, dimension, version = mini_pool, 64, "1"
    if change == "pool":
        pool = _edited(mini_pool, "Ich möchte meine Zeit im Projekt besser einteilen.")
    elif change == "model":
        dimension = 32  # another model id: hashing-char-3-5-32
    else:
        version = "2"
    embedder = CountingEmbedder(dimension)
    fit = SuggesterFit(pool, embedder, preprocessor, tmp_path / "cache", version, tmp_path / "seed")
    assert fit.summary() is None
    fit.load()
    assert embedder.embedded > 0  # fitted anew


def test_a_corrupt_seed_is_ignored_and_the_fit_made_and_cached(tmp_path, mini_pool, preprocessor):
    seeded = seed_fit(mini_pool, HashingEmbedder(64), preprocessor, tmp_path / "seed", "1")
    seeded.write_bytes(b"not a pickle")
    embedder = CountingEmbedder(64)
    fit = SuggesterFit(
        mini_pool, embedder, preprocessor, tmp_path / "cache", "1", tmp_path / "seed"
    )
    suggester = fit.load()
    assert embedder.embedded > 0
    cached = tmp_path / "cache" / seeded.name
    assert cached.exists() and cached.read_bytes() != b"not a pickle"
    again = CountingEmbedder(64)
    assert (
        SuggesterFit(mini_pool, again, preprocessor, tmp_path / "cache", "1", tmp_path / "seed")
        .load()
        .threshold_
        == suggester.threshold_
    )
    assert again.embedded == 0  # the refit was cached


def test_a_corrupt_cached_fit_falls_back_to_the_seed(tmp_path, mini_pool, preprocessor):
    seeded = seed_fit(mini_pool, HashingEmbedder(64), preprocessor, tmp_path / "seed", "1")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / seeded.name).write_bytes(b"truncated")
    embedder = CountingEmbedder(64)
    SuggesterFit(
        mini_pool, embedder, preprocessor, tmp_path / "cache", "1", tmp_path / "seed"
    ).load()
    assert embedder.embedded == 0
    assert (tmp_path / "cache" / seeded.name).read_bytes() == seeded.read_bytes()


def test_prepare_seed_fits_the_bundled_pool_never_the_edited_one(
    tmp_path, monkeypatch, mini_pool, preprocessor
):
    """An edited pool may hold a participant's adopted words: it must not reach the seed."""
    import assistant.config
    from assistant.cli.prepare_commands import cmd_prepare

    adopted = "Satz einer Teilnehmerin, vom Koordinator übernommen"
    edited = tmp_path / "edited.yaml"
    edited.write_text(
        MINI_POOL.read_text(encoding="utf-8").replace(
            "      de:\n", f"      de:\n        - {adopted}\n", 1
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(assistant.config, "default_pool_path", lambda: MINI_POOL)
    for key, value in {
        "ASSISTANT_EMBEDDER": "hashing",
        "ASSISTANT_HASHING_DIMENSION": "64",
        "ASSISTANT_POOL": str(edited),
        "ASSISTANT_DATA_DIR": str(tmp_path / "data"),
        "ASSISTANT_SEED_DIR": str(tmp_path / "seed"),
    }.items():
        monkeypatch.setenv(key, value)
    edited_pool = load_topic_pool(edited)
    assert adopted in edited_pool.topics[0].examples["de"]
    out = io.StringIO()
    assert cmd_prepare(argparse.Namespace(seed=True, json=True), out) == 0
    made = Path(json.loads(out.getvalue())["seed"])
    embedder = HashingEmbedder(64)
    bundled = SuggesterFit(mini_pool, embedder, preprocessor, None, __version__, tmp_path / "seed")
    other = SuggesterFit(edited_pool, embedder, preprocessor, None, __version__, tmp_path / "seed")
    assert bundled._seed(".joblib") == made
    assert other._seed(".joblib") is None
    assert not (tmp_path / "data").exists()  # no data folder opened


# -- model tables kept in a fast-loading form (assistant.nlp.loadcache) ---------------------


class Builds:
    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


def test_a_cached_table_is_built_once_then_loaded(tmp_path):
    from assistant.nlp.loadcache import cached

    source = tmp_path / "model.bin"
    source.write_bytes(b"weights")
    build = Builds({"a": 1})
    assert cached(tmp_path / "c", "t", [source], "1", build, dict) == {"a": 1}
    assert cached(tmp_path / "c", "t", [source], "1", build, dict) == {"a": 1}
    assert build.calls == 1


@pytest.mark.parametrize("change", ["source", "tag"])
def test_a_changed_source_file_or_tag_rebuilds_the_table(change, tmp_path):
    from assistant.nlp.loadcache import cached

    source = tmp_path / "model.bin"
    source.write_bytes(b"weights")
    cached(tmp_path / "c", "t", [source], "1", Builds({"old": 1}), dict)
    tag = "1"
    if change == "source":
        source.write_bytes(b"other weights")  # another size (and mtime)
    else:
        tag = "2"  # e.g. another library version
    build = Builds({"new": 1})
    assert cached(tmp_path / "c", "t", [source], tag, build, dict) == {"new": 1}
    assert build.calls == 1


@pytest.mark.parametrize("content", [b"truncated", b"\x80\x05K\x01."])  # junk; a pickled int
def test_an_unreadable_or_foreign_cached_table_is_rebuilt_and_replaced(content, tmp_path):
    from assistant.nlp.loadcache import cached

    source = tmp_path / "model.bin"
    source.write_bytes(b"weights")
    cached(tmp_path / "c", "t", [source], "1", Builds({"a": 1}), dict)
    (path,) = (tmp_path / "c").glob("table-t-*.pickle")
    path.write_bytes(content)
    build = Builds({"a": 2})
    assert cached(tmp_path / "c", "t", [source], "1", build, dict) == {"a": 2}
    assert cached(tmp_path / "c", "t", [source], "1", build, dict) == {"a": 2}
    assert build.calls == 1  # the rebuilt table was written back


def test_without_a_cache_folder_the_table_is_built_each_time(tmp_path):
    from assistant.nlp.loadcache import cached

    source = tmp_path / "model.bin"
    source.write_bytes(b"weights")
    build = Builds([1])
    cached(None, "t", [source], "1", build, list)
    cached(None, "t", [source], "1", build, list)
    assert build.calls == 2


LANGUAGE_SAMPLES = [
    "Ich möchte lernen, in Besprechungen selbstbewusster aufzutreten.",
    "I would like to grow my network across the ministry.",
    "Projektmanagement agil gestalten – Scrum im Amt?",
    "ok",
]


def test_the_cached_language_model_detects_like_the_packaged_one(tmp_path):
    from assistant.nlp.preprocess import LanguageDetector

    packaged = LanguageDetector()
    LanguageDetector(cache_dir=tmp_path)  # writes the restricted model
    assert len(list(tmp_path.glob("table-langid-de-en-*.pickle"))) == 1
    cached_detector = LanguageDetector(cache_dir=tmp_path)
    for text in LANGUAGE_SAMPLES:
        assert cached_detector(text) == packaged(text)
        language, confidence = cached_detector._identifier.classify(text)
        assert (language, pytest.approx(confidence, abs=1e-6)) == packaged._identifier.classify(
            text
        )


def test_the_cached_lemma_table_is_the_packaged_one(tmp_path, monkeypatch):
    from assistant.nlp import preprocess

    monkeypatch.setattr(preprocess, "_LEMMA_TABLES", {})
    packaged = preprocess.lemma_table("de")
    monkeypatch.setattr(preprocess, "_LEMMA_TABLES", {})
    preprocess.lemma_table("de", tmp_path)  # writes it
    monkeypatch.setattr(preprocess, "_LEMMA_TABLES", {})
    cached_table = preprocess.lemma_table("de", tmp_path)
    assert cached_table.to_dict() == packaged.to_dict()
    assert len(packaged.to_dict()) > 300_000
    assert cached_table.get("Besprechungen", "?") == packaged.get("Besprechungen", "?") != "?"
    assert cached_table.get("Xyzzyq", "Xyzzyq") == "Xyzzyq"
    assert len(list(tmp_path.glob("table-lemmas-de-*.pickle"))) == 1
