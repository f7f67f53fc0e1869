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


def test_in_context_rows_are_cached_under_the_text_and_forgotten(tmp_path):
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, cache)
    sentences = ("Ich will führen.", "Konflikte lösen.")
    first = cached.encode_in_context([sentences, sentences])
    assert first[0].shape == (3, 64)
    np.testing.assert_allclose(first[0], first[1])
    seen = list(inner.seen)
    again = cached.encode_in_context([sentences])
    assert inner.seen == seen  # served from the cache, no second encode
    np.testing.assert_allclose(again[0], first[0])
    # Another split of the same text is embedded anew, not served with the wrong row count.
    assert cached.encode_in_context([("Ich will führen. Konflikte lösen.",)])[0].shape == (2, 64)
    assert cached.forget([" ".join(sentences)]) >= 1
    cached.encode_in_context([sentences])
    assert len(inner.seen) > len(seen) + 1  # forgotten: embedded again


def test_uncached_is_the_wrapped_embedder_and_writes_nothing(tmp_path):
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, cache)
    assert cached.uncached() is inner
    cached.uncached().encode_in_context([("Ich will führen.", "Konflikte lösen.")])
    assert len(cache) == 0


def test_cache_lives_in_storage_and_is_re_exported():
    from assistant.storage import vector_cache

    assert EmbeddingCache is vector_cache.EmbeddingCache and cache_key is vector_cache.cache_key
