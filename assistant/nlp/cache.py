"""EmbeddingCache (SQLite) and CachedEmbedder: no text is embedded twice by the same model.

The cache stores vectors under a SHA-256 of model id and text, never the text itself, so
it reveals nothing readable; erasing a person removes their keys (``forget``).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from assistant.errors import StorageError
from assistant.nlp.embed import Embedder, Progress, encode_in_context


def cache_key(model_id: str, text: str) -> str:
    """Return the hex SHA-256 of ``model_id`` and ``text``."""
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    """Vectors on disk, keyed by ``cache_key``; one short-lived connection per call."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as con, con:
                con.execute(
                    "CREATE TABLE IF NOT EXISTS vectors ("
                    "key TEXT PRIMARY KEY, model_id TEXT NOT NULL, vector BLOB NOT NULL)"
                )
        except (OSError, sqlite3.Error) as err:
            raise StorageError(f"Cannot open the embedding cache at {path}: {err}") from err

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30)
        # Erased keys must not linger in free pages of the file.
        con.execute("PRAGMA secure_delete=ON")
        return con

    def get_many(self, keys: Sequence[str]) -> dict[str, NDArray[np.float32]]:
        """Return the cached vectors among ``keys``."""
        found: dict[str, NDArray[np.float32]] = {}
        try:
            with closing(self._connect()) as con:
                for start in range(0, len(keys), 500):
                    chunk = list(keys[start : start + 500])
                    marks = ",".join("?" * len(chunk))
                    rows = con.execute(
                        f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
                    )
                    for key, blob in rows:
                        found[key] = np.frombuffer(blob, dtype=np.float32)
        except sqlite3.Error as err:
            raise StorageError(f"Cannot read the embedding cache: {err}") from err
        return found

    def put_many(self, model_id: str, items: Iterable[tuple[str, NDArray[np.float32]]]) -> None:
        """Store vectors under their keys."""
        rows = [(k, model_id, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items]
        try:
            with closing(self._connect()) as con, con:
                con.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
        except sqlite3.Error as err:
            raise StorageError(f"Cannot write the embedding cache: {err}") from err

    def forget(self, keys: Iterable[str]) -> int:
        """Delete ``keys``; return how many rows went."""
        keys = list(keys)
        try:
            with closing(self._connect()) as con, con:
                return sum(
                    con.execute("DELETE FROM vectors WHERE key = ?", (k,)).rowcount for k in keys
                )
        except sqlite3.Error as err:
            raise StorageError(f"Cannot delete from the embedding cache: {err}") from err

    def __len__(self) -> int:
        with closing(self._connect()) as con:
            return int(con.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])


class CachedEmbedder:
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

    @property
    def uncached(self) -> Embedder:
        """The wrapped embedder: for texts that must leave nothing on disk."""
        return self.inner

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
            fresh = encode_in_context(self.inner, list(missing.values()), progress=progress)
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
