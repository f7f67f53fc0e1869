"""Input checks of ThemeClusterer.fit: topic ids against labels, entries' vectors and scores."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from assistant.themes.model import EMERGING_PREFIX, OTHER_ID, ThemeInput

__all__ = ["check_entries", "check_topics"]

_UNIT_TOLERANCE = 1e-3


def check_topics(topic_ids: Sequence[str], topic_labels: Mapping[str, str]) -> tuple[str, ...]:
    """Return the topic ids as a tuple after checking them against ``topic_labels``.

    Raises
    ------
    ValueError
        An id repeats, is reserved for theme clusters (``"other"``, ``"emerging-…"``) or has
        no label.
    """
    ids = tuple(topic_ids)
    repeated = sorted(t for t, n in Counter(ids).items() if n > 1)
    if repeated:
        raise ValueError(f"topic_ids must be unique; repeated: {', '.join(repeated)}.")
    reserved = sorted(t for t in ids if t == OTHER_ID or t.startswith(EMERGING_PREFIX))
    if reserved:
        raise ValueError(
            f"topic ids {', '.join(reserved)} are reserved for theme clusters "
            f"('{OTHER_ID}', '{EMERGING_PREFIX}…'); rename them in the topic pool."
        )
    missing = [t for t in ids if t not in topic_labels]
    if missing:
        raise ValueError(f"topic_labels has no label for: {', '.join(missing)}.")
    return ids


def check_entries(
    entries: list[ThemeInput], n_topics: int
) -> tuple[NDArray[np.float32], NDArray[np.float64]]:
    """Stack the entries' vectors and topic scores after checking them.

    Returns
    -------
    vectors : ndarray of shape (n_entries, dimension), float32
    scores : ndarray of shape (n_entries, n_topics + 1), float64
        Topic scores in pool order, the "no topic" column last.

    Raises
    ------
    ValueError
        Naming the first bad entry: a repeated id, a vector of another dimension, not unit
        length or not finite, or topic scores of the wrong length or not finite.
    """
    repeated = sorted(i for i, n in Counter(e.entry_id for e in entries).items() if n > 1)
    if repeated:
        raise ValueError(f"entry ids must be unique; repeated: {', '.join(repeated[:5])}.")
    if not entries:
        return np.zeros((0, 0), dtype=np.float32), np.zeros((0, n_topics + 1))
    dimension = np.shape(entries[0].vector)
    for entry in entries:
        shape = np.shape(entry.vector)
        if len(shape) != 1 or shape[0] == 0:
            raise ValueError(
                f"entry '{entry.entry_id}': vector must be one non-empty row, got shape {shape}."
            )
        if shape != dimension:
            raise ValueError(
                f"entry '{entry.entry_id}': vector has dimension {shape[0]}, but entry "
                f"'{entries[0].entry_id}' has {dimension[0]}; embed all entries with one model."
            )
        if np.shape(entry.topic_scores) != (n_topics + 1,):
            raise ValueError(
                f"entry '{entry.entry_id}': topic_scores has shape "
                f"{np.shape(entry.topic_scores)}; expected ({n_topics + 1},): one score per "
                "topic id plus the last 'no topic' score."
            )
    vectors = np.stack([np.asarray(e.vector, dtype=np.float32) for e in entries])
    scores = np.stack([np.asarray(e.topic_scores, dtype=np.float64) for e in entries])
    norms = np.linalg.norm(vectors.astype(np.float64), axis=1)
    bad = np.flatnonzero(~np.isfinite(norms) | (np.abs(norms - 1.0) > _UNIT_TOLERANCE))
    if len(bad):
        entry = entries[int(bad[0])]
        raise ValueError(
            f"entry '{entry.entry_id}': vector has norm {norms[bad[0]]:.4g}; expected a finite "
            "unit vector (L2-normalise the embedding)."
        )
    bad = np.flatnonzero(~np.isfinite(scores).all(axis=1))
    if len(bad):
        raise ValueError(
            f"entry '{entries[int(bad[0])].entry_id}': topic_scores must be finite numbers."
        )
    return vectors, scores
