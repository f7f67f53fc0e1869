"""Topic score rows: one type that knows the "no topic" column and the fit rule.

A text's scores over a pool of ``t`` topics are a row of ``t + 1`` numbers: one per pool topic,
in pool order, then the "no topic" (off-pool) column. Every caller reads rows through
``ScoreRows`` instead of slicing ``[:-1]`` and ``[-1]`` itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["SECOND_RATIO", "ScoreRows"]

SECOND_RATIO = 0.4
"""A further topic counts when it reaches this share of the best topic's score."""


class ScoreRows:
    """Scores of ``n`` texts over ``t`` pool topics plus the "no topic" column.

    Parameters
    ----------
    values : array-like of shape (n, t + 1) or (t + 1,)
        One row per text; a single row is read as ``n = 1``.
    """

    def __init__(self, values: ArrayLike) -> None:
        array = np.asarray(values, dtype=np.float64)
        if array.ndim == 1:
            array = array[None, :]
        if array.ndim != 2 or array.shape[1] < 2:
            raise ValueError(f"score rows need shape (n, t + 1) with t >= 1, got {array.shape}.")
        self.values = array

    def __len__(self) -> int:
        return int(self.values.shape[0])

    @property
    def n_topics(self) -> int:
        """Number of pool topics ``t`` (the "no topic" column not counted)."""
        return int(self.values.shape[1] - 1)

    @property
    def topics(self) -> NDArray[np.float64]:
        """Scores of the pool topics, shape (n, t)."""
        return self.values[:, :-1]

    @property
    def no_topic(self) -> NDArray[np.float64]:
        """The "no topic" column, shape (n,)."""
        return self.values[:, -1]

    @property
    def best(self) -> NDArray[np.float64]:
        """The best pool topic's score of each row, shape (n,)."""
        return np.asarray(self.topics.max(axis=1), dtype=np.float64)

    @property
    def best_per_topic(self) -> NDArray[np.float64]:
        """Each pool topic's best score over the rows, shape (t,)."""
        return np.asarray(self.topics.max(axis=0), dtype=np.float64)

    def ranked(self) -> NDArray[np.intp]:
        """Return each row's pool-topic indices, best first, shape (n, t); ties keep pool order."""
        return np.argsort(-self.topics, axis=1, kind="stable")

    def with_topics(self, topics: ArrayLike) -> ScoreRows:
        """Return a copy with the pool-topic scores replaced by ``topics``, "no topic" kept.

        Parameters
        ----------
        topics : array-like of shape (n, t) or (t,)
            A single row is broadcast to every row.

        Raises
        ------
        ValueError
            ``topics`` does not fit the shape (n, t).
        """
        values = self.values.copy()
        values[:, :-1] = topics
        return ScoreRows(values)

    def no_fit(self, threshold: float) -> NDArray[np.bool_]:
        """Return which rows fit no topic, shape (n,).

        A row fits no topic when its best topic misses ``threshold`` or "no topic" beats it.
        """
        best = self.best
        return np.asarray((best < threshold) | (self.no_topic > best))

    def fitting_topics(
        self, threshold: float, second_ratio: float = SECOND_RATIO
    ) -> list[NDArray[np.intp]]:
        """Return the topics each row touches (indices in pool order); none for a no-fit row.

        A topic counts when it reaches ``threshold`` and ``second_ratio`` of the row's best.
        """
        no_fit = self.no_fit(threshold)
        cutoff = np.maximum(threshold, second_ratio * self.best)
        return [
            np.empty(0, dtype=np.intp) if no_fit[i] else np.flatnonzero(row >= cutoff[i])
            for i, row in enumerate(self.topics)
        ]

    def mean(self, rows: Sequence[int]) -> NDArray[np.float64]:
        """Mean pool-topic scores of the given rows, shape (t,); "no topic" left out."""
        return np.asarray(self.topics[list(rows)].mean(axis=0), dtype=np.float64)
