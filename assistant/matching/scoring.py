"""Need-offer scores of mentee-mentor pairs, peer similarity rows, shared topics and evidence.

A pair's score combines what the two wrote in two ways::

    score = w * cos(need topic profile, offer topic profile)
            + (1 - w) * max over (need passage, offer passage) of cos(vectors)

with ``w = TOPIC_WEIGHT``. The topic profile is the mean of a person's passages' topic scores,
so the first term says whether the mentor's offers are about the topics the mentee seeks;
the second finds the one offer that meets one goal best, and is the pair's evidence. The
weight 0.8 is the peer index's (``assistant/peers/profiles.py``): trials on German texts found
relevant peers far better by topic profile than by raw embedding. It was not fitted to the
development set, which is for measuring only. Cosines below 0 count as 0 ("unrelated").

Scores are rounded to 6 decimals, so that last-bit differences of the matrix products
(threads, BLAS builds) cannot change a solver's choice.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from assistant.matching.model import Candidate, Evidence, Passage

__all__ = [
    "MAX_SHARED_TOPICS",
    "MIN_SHARED_SCORE",
    "TOPIC_WEIGHT",
    "best_evidence",
    "need_offer_scores",
    "peer_rows",
    "profile",
    "shared_topics",
    "strong_topics",
]

TOPIC_WEIGHT = 0.8
MIN_SHARED_SCORE = 0.15  # as the peer index: a shared topic scores at least this in both
MAX_SHARED_TOPICS = 3  # ... and is among the top 3 of both profiles
_DECIMALS = 6
_CHUNK_ROWS = 1024  # need passages per block of the passage product (bounds peak memory)


def profile(passages: Sequence[Passage], n_topics: int) -> NDArray[np.float64] | None:
    """Return the mean topic scores of ``passages``, shape (n_topics,); None without any."""
    if not passages:
        return None
    return np.asarray(
        np.mean([np.asarray(p.topics, dtype=np.float64) for p in passages], axis=0)
    ).reshape(n_topics)


def peak(passages: Sequence[Passage], n_topics: int) -> NDArray[np.float64] | None:
    """Return each topic's best score over ``passages`` (None without any).

    What a person raised in any one text: a peer's goals and reflections span the stages of a
    programme, and their mean dilutes a topic that one text is clearly about.
    """
    if not passages:
        return None
    return np.asarray(
        np.max([np.asarray(p.topics, dtype=np.float64) for p in passages], axis=0)
    ).reshape(n_topics)


def need_offer_scores(
    mentees: Sequence[Candidate], mentors: Sequence[Candidate], n_topics: int
) -> NDArray[np.float64]:
    """Return the need-offer score of every (mentee, mentor), shape (n_mentees, n_mentors).

    A mentee without needs or a mentor without offers scores 0 with everyone: rules alone
    then decide, and the solver still places them.
    """
    n, m = len(mentees), len(mentors)
    need_profiles = _unit_rows([profile(p.needs, n_topics) for p in mentees], n_topics)
    offer_profiles = _unit_rows([profile(p.offers, n_topics) for p in mentors], n_topics)
    topic = np.clip(need_profiles @ offer_profiles.T, 0.0, 1.0)
    text = np.zeros((n, m), dtype=np.float64)
    need_vectors, need_owner = _passage_rows([p.needs for p in mentees])
    offer_vectors, offer_owner = _passage_rows([p.offers for p in mentors])
    if len(need_owner) and len(offer_owner):
        offer_starts, offer_people = _segments(offer_owner)
        for start in range(0, len(need_owner), _CHUNK_ROWS):
            # A block boundary may split one mentee's passages: a maximum over both parts.
            block_owner = need_owner[start : start + _CHUNK_ROWS]
            sims = need_vectors[start : start + _CHUNK_ROWS] @ offer_vectors.T
            per_mentor = np.maximum.reduceat(sims, offer_starts, axis=1)
            starts, people = _segments(block_owner)
            per_pair = np.maximum.reduceat(per_mentor, starts, axis=0)
            rows = np.ix_(people, offer_people)
            text[rows] = np.maximum(text[rows], per_pair)
    text = np.clip(text, 0.0, 1.0)
    scores = TOPIC_WEIGHT * topic + (1.0 - TOPIC_WEIGHT) * text
    return np.round(scores, _DECIMALS)


def best_evidence(mentee: Candidate, mentor: Candidate) -> Evidence | None:
    """Return the need passage and offer passage of the pair with the highest cosine.

    Ties go to the earlier passage as the caller listed them. None when either side is empty.
    """
    if not mentee.needs or not mentor.offers:
        return None
    needs, _ = _passage_rows([mentee.needs])
    offers, _ = _passage_rows([mentor.offers])
    sims = np.round(needs @ offers.T, _DECIMALS)
    i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
    need, offer = mentee.needs[int(i)], mentor.offers[int(j)]
    return Evidence(
        need_entry=need.entry_id,
        need_part=need.part,
        offer_entry=offer.entry_id,
        offer_part=offer.part,
        similarity=float(max(sims[i, j], 0.0)),
    )


def peer_rows(peers: Sequence[Candidate], n_topics: int) -> NDArray[np.float64]:
    """Return one unit row per peer: topic profile and mean text vector of their needs.

    ``unit([sqrt(w) * unit(profile), sqrt(1 - w) * unit(mean vector)])`` with
    ``w = TOPIC_WEIGHT``, as the peer index builds its rows: the inner product of two rows is
    ``w * cos(profiles) + (1 - w) * cos(texts)``. A peer who wrote nothing has a zero row.
    """
    profiles = _unit_rows([profile(p.needs, n_topics) for p in peers], n_topics)
    means = []
    for p in peers:
        vectors, _ = _passage_rows([p.needs])
        means.append(vectors.mean(axis=0) if len(vectors) else None)
    dimension = next((len(v) for v in means if v is not None), 0)
    texts = _unit_rows(means, dimension)
    rows = np.concatenate(
        [np.sqrt(TOPIC_WEIGHT) * profiles, np.sqrt(1.0 - TOPIC_WEIGHT) * texts], axis=1
    )
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.asarray(np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0))


def strong_topics(scores: NDArray[np.floating] | None) -> set[int]:
    """Return indices of the ``MAX_SHARED_TOPICS`` best topics reaching ``MIN_SHARED_SCORE``."""
    if scores is None:
        return set()
    top = np.argsort(-np.asarray(scores), kind="stable")[:MAX_SHARED_TOPICS]
    return {int(i) for i in top if scores[i] >= MIN_SHARED_SCORE}


def shared_topics(
    a: NDArray[np.floating] | None, b: NDArray[np.floating] | None, topic_ids: Sequence[str]
) -> tuple[str, ...]:
    """Return topic ids strong in both profiles: by the weaker score, the sum, pool order."""
    if a is None or b is None:
        return ()
    common = sorted(
        strong_topics(a) & strong_topics(b), key=lambda i: (-min(a[i], b[i]), -(a[i] + b[i]), i)
    )
    return tuple(topic_ids[i] for i in common)


def _unit_rows(rows: Sequence[NDArray[np.floating] | None], width: int) -> NDArray[np.float64]:
    """Stack rows scaled to unit length; None and zero rows become zeros."""
    out = np.zeros((len(rows), width), dtype=np.float64)
    for i, row in enumerate(rows):
        if row is not None:
            norm = float(np.linalg.norm(row))
            if norm > 0.0:
                out[i] = np.asarray(row, dtype=np.float64) / norm
    return out


def _passage_rows(
    groups: Sequence[Sequence[Passage]],
) -> tuple[NDArray[np.float32], NDArray[np.intp]]:
    """Return unit passage vectors of all groups stacked, and the group index of each row."""
    vectors = [np.asarray(p.vector, dtype=np.float32) for group in groups for p in group]
    owner = np.repeat(np.arange(len(groups)), [len(group) for group in groups])
    if not vectors:
        return np.zeros((0, 0), dtype=np.float32), owner
    stacked = np.stack(vectors)
    norms = np.linalg.norm(stacked, axis=1, keepdims=True)
    stacked = np.divide(stacked, norms, out=np.zeros_like(stacked), where=norms > 0)
    return stacked, owner


def _segments(owner: NDArray[np.intp]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Return the start of each run of equal values in a sorted ``owner`` and the run's value."""
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    return starts, owner[starts]
