"""Scores: topic score rows (the "no topic" column, the fit rule) and scores in words.

A text's scores over a pool of ``t`` topics are a row of ``t + 1`` numbers: one per pool topic,
in pool order, then the "no topic" (off-pool) column. Every caller reads rows through
``ScoreRows`` instead of slicing ``[:-1]`` and ``[-1]`` itself.

Scores in words
---------------
A topic score (a probability over the pool's topics and "no topic") and a peer similarity (a
cosine) are different numbers: a right topic at 0.28 can be a much stronger signal than two
peers at 0.90. To put both on one scale, each is read against its own *null*, the scores of
pairs that have nothing particular to do with each other:

- a topic's null is the topic's out-of-fold score on the pool's texts that belong to *other*
  topics or to no topic (collected while the suggester calibrates, ``TopicSuggester.null_``);
- a peer similarity's null is the similarity of random pairs of the same peer index
  (``PeerIndex.null_similarities``).

``null_quantile`` gives the share of the null that scores lower (the strength, in [0, 1]), and
``fit_band`` turns the strength into a band with fixed meaning, the usual one-sided levels of a
test against the null: "passt gut" when fewer than 1 in 100 unrelated pairs score as high
(strength >= 0.99), "passt teilweise" when fewer than 5 in 100 do (>= 0.95); below that
(``BELOW_FLOOR``) unrelated pairs reach the score often enough that it says little: the app
does not list such a topic (it would be a claim about the text that the text does not carry),
and words such a peer "passt kaum" (the peer list is a ranked offer of people to talk to; in a
cohort whose goals are alike, the best peers of some people are no closer than random pairs).
The levels are conventions, not tuned to any texts; the null is drawn from the data the score
was fitted on. (With the bundled model, the right topic of a clear goal scores above its whole
null; a side topic at 8-9 % lands near 0.95-0.97.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "BELOW_FLOOR",
    "FIT_BANDS",
    "GOOD_STRENGTH",
    "PARTIAL_STRENGTH",
    "SECOND_RATIO",
    "FitBand",
    "ScoreRows",
    "fit_band",
    "null_quantile",
    "null_quantiles",
    "peer_band",
]

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


FitBand = Literal["good", "partial", "below_floor"]
BELOW_FLOOR: FitBand = "below_floor"
FIT_BANDS: tuple[FitBand, ...] = ("good", "partial", BELOW_FLOOR)
GOOD_STRENGTH = 0.99
""""passt gut": the score beats at least this share of its null (unrelated pairs)."""
PARTIAL_STRENGTH = 0.95
""""passt teilweise": at least this share; below it the app does not list the score."""


def null_quantile(null: ArrayLike, value: float) -> float:
    """Return the share of ``null`` scores strictly below ``value`` (ties count half).

    Parameters
    ----------
    null : array-like of shape (m,)
        Scores of unrelated pairs (any order).
    value : float

    Returns
    -------
    float
        In [0, 1]; 1.0 for an empty null (nothing to compare with: the score is taken as it is).
    """
    return float(null_quantiles(null, np.asarray([value], dtype=np.float64))[0])


def null_quantiles(null: ArrayLike, values: ArrayLike) -> NDArray[np.float64]:
    """Return ``null_quantile`` of each of ``values`` against one null, same shape as ``values``.

    Examples
    --------
    >>> null_quantiles([0.1, 0.2, 0.3, 0.4], [0.0, 0.2, 0.5]).tolist()
    [0.0, 0.375, 1.0]
    """
    ordered = np.sort(np.asarray(null, dtype=np.float64).ravel())
    points = np.asarray(values, dtype=np.float64)
    if ordered.size == 0:
        return np.ones_like(points)
    below = np.searchsorted(ordered, points, side="left")
    not_above = np.searchsorted(ordered, points, side="right")
    return np.asarray((below + not_above) / 2.0 / ordered.size, dtype=np.float64)


def fit_band(strength: float) -> FitBand:
    """Return the band of a strength (``null_quantile``): good, partial or below the floor.

    Examples
    --------
    >>> fit_band(0.995), fit_band(0.97), fit_band(0.9)
    ('good', 'partial', 'below_floor')
    """
    if strength >= GOOD_STRENGTH:
        return "good"
    if strength >= PARTIAL_STRENGTH:
        return "partial"
    return BELOW_FLOOR


def peer_band(strength: float, shared_topics: int) -> FitBand:
    """Return the band of a suggested peer: its similarity's band, at least "partial" with a topic.

    A shared topic is the evidence a topic suggestion rests on (both people's texts clear the
    topic's bar), so a peer who shares one is listed as "passt teilweise" even when the pair's
    similarity is not far from that of random pairs of the programme (dense models put most
    pairs of one programme close together). "passt gut" still needs the similarity itself.

    Examples
    --------
    >>> peer_band(0.6, 0), peer_band(0.6, 1), peer_band(0.995, 0)
    ('below_floor', 'partial', 'good')
    """
    band = fit_band(strength)
    if band == BELOW_FLOOR and shared_topics > 0:
        return "partial"
    return band
