"""EmbeddingCache: vectors on disk (SQLite), keyed by a hash of model id and text.

The cache stores vectors under a SHA-256 of model id and text, never the text itself, so it
reveals nothing readable; erasing a person removes their keys (``forget``). The embedder that
reads and fills it is ``assistant.nlp.cache.CachedEmbedder``.
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

__all__ = ["EmbeddingCache", "cache_key"]


def cache_key(model_id: str, text: str) -> str:
    """Return the hex SHA-256 of ``model_id`` and ``text``."""
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    """Vectors on disk, keyed by ``cache_key``; one short-lived connection per call.

    Parameters
    ----------
    path : Path
        The SQLite file; it and its folder are created when missing.

    Raises
    ------
    StorageError
        The file cannot be created or opened.
    """

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
