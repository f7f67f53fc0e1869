"""CachedEmbedder: an embedder that looks each text up in the on-disk vector cache first.

No text is embedded twice by the same model. The cache itself (SQLite, keys that reveal no
text) lives in storage, ``assistant.storage.vector_cache``; its names are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from assistant.nlp.embed import Embedder, Progress
from assistant.storage.vector_cache import EmbeddingCache, cache_key

__all__ = ["CachedEmbedder", "EmbeddingCache", "cache_key"]


class CachedEmbedder(Embedder):
    """Wrap an embedder: look up each distinct text first, embed only the misses once."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache) -> None:
        self.inner = inner
        self.cache = cache
        self.kind = inner.kind
        self.model_id = inner.model_id
        self.dimension = inner.dimension

    def encode(
        self, texts: Sequence[str], *, progress: Progress | None = None
    ) -> NDArray[np.float32]:
        """Embed ``texts``, reusing cached and duplicate rows."""
        keys = [cache_key(self.model_id, t) for t in texts]
        known = self.cache.get_many(list(dict.fromkeys(keys)))
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in known and key not in missing:
                missing[key] = text
        if progress and len(texts) > len(missing):
            progress(len(texts) - len(missing))
        if missing:
            vectors = self.inner.encode(list(missing.values()), progress=progress)
            fresh = dict(zip(missing, vectors, strict=True))
            self.cache.put_many(self.model_id, fresh.items())
            known.update(fresh)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.ascontiguousarray(np.stack([known[k] for k in keys]), dtype=np.float32)

    def uncached(self) -> Embedder:
        """Return the wrapped embedder: for texts that must leave nothing on disk."""
        return self.inner

    def load(self) -> None:
        """Load the wrapped embedder's model now."""
        self.inner.load()

    def prepare(self, texts: Sequence[str]) -> None:
        """Let the wrapped embedder embed ``texts`` ahead (misses of the cache are its rows)."""
        self.inner.prepare(texts)

    def encode_in_context(
        self, sentence_lists: Sequence[Sequence[str]], *, progress: Progress | None = None
    ) -> list[NDArray[np.float32]]:
        """Text and sentence rows per text, cached under the text (the sentences joined)."""
        texts = [" ".join(sentences) for sentences in sentence_lists]
        keys = [cache_key(self._context_id, t) for t in texts]
        known = self.cache.get_many(list(dict.fromkeys(keys)))
        rows: dict[str, NDArray[np.float32]] = {}
        for key, sentences in zip(keys, sentence_lists, strict=True):
            flat = known.get(key)
            # A changed sentence splitter gives another row count: then it is embedded anew.
            if flat is not None and flat.size == (1 + len(sentences)) * self.dimension:
                rows[key] = flat.reshape(1 + len(sentences), self.dimension)
        missing = {k: s for k, s in zip(keys, sentence_lists, strict=True) if k not in rows}
        if progress and len(texts) > len(missing):
            progress(len(texts) - len(missing))
        if missing:
            fresh = self.inner.encode_in_context(list(missing.values()), progress=progress)
            rows.update(zip(missing, fresh, strict=True))
            self.cache.put_many(self._context_id, ((k, rows[k]) for k in missing))
        return [rows[k] for k in keys]

    @property
    def _context_id(self) -> str:
        return f"{self.model_id}/in-context"

    def forget(self, texts: Iterable[str]) -> int:
        """Remove the cached vectors of ``texts`` (alone, and read with their sentences)."""
        texts = list(texts)
        return self.cache.forget(
            [cache_key(self.model_id, t) for t in texts]
            + [cache_key(self._context_id, t) for t in texts]
        )
