"""Model tables kept on disk in a fast-loading form, keyed by the files they are made from.

The first suggestion of a fresh process paid for tables rebuilt from compressed or packed
files on every start: py3langid's model (an xz-compressed npz, 0.5 to 0.7 s), spaCy's German
lemma table (a gzipped JSON, 0.65 s) and the e5 layers' int8 weights (expanded from 4 bits and
quantised per row, about 1 s). ``cached`` builds such a table once, pickles it into the cache
folder (``data/cache/``, owner-only) and later loads the pickle. The key is the source files'
path, size and modification time plus a format tag, so a changed model file or library
version makes a new table; a file that cannot be read is ignored and rebuilt. The tables hold
nothing of anyone's texts: erasure has nothing to remove here.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar, cast

__all__ = ["LOAD_CACHE_GLOB", "cached"]

log = logging.getLogger(__name__)

T = TypeVar("T")

LOAD_CACHE_GLOB = "table-*.pickle"
"""Names of the cached tables in the cache folder."""


def source_key(sources: Sequence[Path], tag: str) -> str:
    """Return a short hash of ``tag`` and each source file's path, size and mtime."""
    parts = [tag]
    for source in sources:
        stat = source.stat()
        parts.append(f"{source.resolve()}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def cached(
    folder: Path | None,
    name: str,
    sources: Sequence[Path],
    tag: str,
    build: Callable[[], T],
    kind: type,
) -> T:
    """Return the table ``build`` makes, from ``folder`` when a pickle of it is there.

    Parameters
    ----------
    folder : Path, optional
        The cache folder; ``None`` builds every time.
    name : str
        Names the file (``table-<name>-<key>.pickle``).
    sources : sequence of Path
        The files the table is made from: their size and mtime are part of the key.
    tag : str
        Everything else the table depends on (library versions, options, a format number).
    build : callable
        Makes the table.
    kind : type
        What a loaded pickle must be; anything else is rebuilt.
    """
    if folder is None:
        return build()
    try:
        path = folder / f"table-{name}-{source_key(sources, tag)}.pickle"
    except OSError:  # a source vanished: build() will say what is missing
        return build()
    if path.exists():
        try:
            with path.open("rb") as handle:
                found = pickle.load(handle)
            if isinstance(found, kind):
                return cast(T, found)
            log.warning("ignoring cached table %s of the wrong kind", path.name)
        except Exception:  # a truncated or foreign file is rebuilt, not fatal
            log.warning("ignoring unreadable cached table %s", path.name)
    table = build()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as handle:
            pickle.dump(table, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:  # only a shortcut: the table was built and is returned
        log.warning("could not write the cached table %s", path.name)
        tmp.unlink(missing_ok=True)
    return table
