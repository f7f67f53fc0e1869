import numpy as np

from assistant.nlp.cache import CachedEmbedder, EmbeddingCache, cache_key
from assistant.nlp.embed import HashingEmbedder


class CountingEmbedder(HashingEmbedder):
    def __init__(self):
        super().__init__(64)
        self.seen: list[str] = []

    def encode(self, texts, *, progress=None):
        self.seen.extend(texts)
        return super().encode(texts, progress=progress)


def test_cached_embedder_embeds_each_distinct_text_once(tmp_path):
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, EmbeddingCache(tmp_path / "c.sqlite"))
    first = cached.encode(["Konflikt", "Netzwerk", "Konflikt"])
    second = cached.encode(["Netzwerk", "Führung"])
    assert inner.seen == ["Konflikt", "Netzwerk", "Führung"]
    np.testing.assert_allclose(first[1], second[0])
    np.testing.assert_allclose(first[0], first[2])


def test_cache_survives_a_new_process_and_stores_no_text(tmp_path):
    path = tmp_path / "c.sqlite"
    CachedEmbedder(CountingEmbedder(), EmbeddingCache(path)).encode(["Vertraulicher Satz"])
    again = CountingEmbedder()
    CachedEmbedder(again, EmbeddingCache(path)).encode(["Vertraulicher Satz"])
    assert again.seen == []
    assert b"Vertraulicher" not in path.read_bytes()


def test_forget_removes_vectors(tmp_path):
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    cached = CachedEmbedder(CountingEmbedder(), cache)
    cached.encode(["eins", "zwei"])
    assert cached.forget(["eins"]) == 1
    assert len(cache) == 1
    assert cache.get_many([cache_key(cached.model_id, "eins")]) == {}


def test_cached_embedder_empty_input(tmp_path):
    cached = CachedEmbedder(CountingEmbedder(), EmbeddingCache(tmp_path / "c.sqlite"))
    assert cached.encode([]).shape == (0, 64)
