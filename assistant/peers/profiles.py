"""Peer profiles: what a consenting participant seeks and offers, and its combined unit row.

A participant is represented twice, once by what they look for (goals, or reflections: the
*need* side) and once by what they can give (offers: the *offer* side). Each side combines
the person's topic profile (mean topic scores over the programme's pool) with the mean text
embedding::

    representation = unit([sqrt(w) * unit(topics), sqrt(1 - w) * unit(text vector)])

with ``w = topic_weight``. When both blocks are present the inner product of two
representations is ``w * cos(topics) + (1 - w) * cos(text)``; trials on German texts found
relevant peers far better by topic profile than by raw embedding, hence the default 0.8.

A topic profile holds only the topics the app would list for the texts (``listed_topics``:
strength at least ``PARTIAL_STRENGTH``, "passt teilweise" or better), not every topic's
leftover probability. With the raw scores, real texts (flat score rows, best topic near 0.17)
gave every pair a topic cosine near 0.72 and a best peer at 0.98 that shared no topic; with
only listed topics, two profiles have a positive topic cosine exactly when both people have a
text listing a common topic (``bench/quality.py``, issue #17).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from assistant.domain import Entry, Participant
from assistant.scores import PARTIAL_STRENGTH, ScoreRows

__all__ = [
    "SIDES",
    "PeerProfile",
    "Side",
    "build_peer_profiles",
    "check_side",
    "first_dimension",
    "listed_topics",
    "peer_representation",
    "side_of",
]

Side = Literal["need", "offer"]
SIDES: tuple[Side, ...] = ("need", "offer")


@dataclass(frozen=True)
class PeerProfile:
    """What the index knows about one consenting participant.

    Attributes
    ----------
    participant_id : str
    organisation : str
        The authority (Behörde) the participant works for; compared for cross-mentoring.
    role : str
        ``"mentee"``, ``"mentor"`` or ``"peer"``; informational, matching follows the vectors.
    need_vector : ndarray of shape (dimension,), float32, or None
        Unit mean embedding of the participant's goals (or reflections); None without any.
    need_topics : ndarray of shape (n_topics,), float64, or None
        Mean topic scores of the same texts, pool order, without the "no topic" column; built
        by ``build_peer_profiles`` from listed topics only (zero for a topic no text lists).
    offer_vector, offer_topics
        The same for the participant's offers.
    """

    participant_id: str
    organisation: str
    role: str
    need_vector: NDArray[np.float32] | None
    need_topics: NDArray[np.float64] | None
    offer_vector: NDArray[np.float32] | None
    offer_topics: NDArray[np.float64] | None


def build_peer_profiles(
    people: Sequence[Participant],
    entries: Sequence[Entry],
    entry_ids: Sequence[str],
    vectors: NDArray[np.float32],
    scores: ScoreRows,
    strengths: NDArray[np.float64] | None = None,
) -> list[PeerProfile]:
    """Return one PeerProfile per person from the stored analyses of their entries.

    Parameters
    ----------
    people : sequence of Participant
        The participants to profile, already filtered (consent to matching); in this order.
    entries : sequence of Entry
        The programme's entries; those without a row in ``entry_ids`` are ignored.
    entry_ids : sequence of str
        Entry id of each row of ``vectors`` and ``scores``: only analysed entries have one.
    vectors : ndarray of shape (len(entry_ids), dimension), float32
        Unit text embeddings.
    scores : ScoreRows
        Topic scores, ``len(entry_ids)`` rows.
    strengths : ndarray of shape (len(entry_ids), n_topics), optional
        Each score read against its topic's null (``TopicSuggester.strengths``): the topic
        profiles keep only listed topics (``listed_topics``). Without it, the raw scores.

    Returns
    -------
    list of PeerProfile
        In the order of ``people``. The need side averages a person's goals, or their
        reflections when they wrote no goal; the offer side their offers. A side without
        rows (or whose mean vector is zero) has vector None; without rows, topics None too.

    Raises
    ------
    ValueError
        ``entry_ids``, ``vectors`` and ``scores`` differ in length.
    """
    if not len(entry_ids) == len(vectors) == len(scores):
        raise ValueError(
            f"entry_ids ({len(entry_ids)}), vectors ({len(vectors)}) and scores "
            f"({len(scores)}) must have one row per analysed entry."
        )
    if strengths is not None:
        scores = listed_topics(scores, strengths)
    position = {eid: i for i, eid in enumerate(entry_ids)}
    by_person: dict[str, dict[str, list[int]]] = {}
    for entry in entries:
        if entry.id in position:
            by_person.setdefault(entry.participant_id, {}).setdefault(entry.kind, []).append(
                position[entry.id]
            )
    profiles = []
    for person in people:
        rows = by_person.get(person.id, {})
        # Goals say what someone looks for; reflections stand in only when there is no goal.
        need = rows.get("goal") or rows.get("reflection") or []
        offer = rows.get("offer") or []
        profiles.append(
            PeerProfile(
                participant_id=person.id,
                organisation=person.organisation,
                role=person.role,
                need_vector=_mean_vector(vectors, need),
                need_topics=scores.mean(need) if need else None,
                offer_vector=_mean_vector(vectors, offer),
                offer_topics=scores.mean(offer) if offer else None,
            )
        )
    return profiles


def listed_topics(scores: ScoreRows, strengths: NDArray[np.float64]) -> ScoreRows:
    """Return ``scores`` with every topic the app would not list for a text set to zero.

    A topic counts for a text when its strength reaches ``PARTIAL_STRENGTH`` (the floor of
    ``assistant.scores.fit_band``: the app words it "passt teilweise" or "passt gut").

    Parameters
    ----------
    scores : ScoreRows
        ``n`` rows.
    strengths : ndarray of shape (n, n_topics)

    Raises
    ------
    ValueError
        ``strengths`` does not have the shape of ``scores.topics``.
    """
    strengths = np.asarray(strengths, dtype=np.float64)
    if strengths.shape != scores.topics.shape:
        raise ValueError(
            f"strengths need shape {scores.topics.shape} (one per topic score), "
            f"got {strengths.shape}."
        )
    return scores.with_topics(np.where(strengths >= PARTIAL_STRENGTH, scores.topics, 0.0))


def _mean_vector(vectors: NDArray[np.float32], rows: list[int]) -> NDArray[np.float32] | None:
    """Return the unit mean of the rows; None without rows or when they cancel out."""
    if not rows:
        return None
    mean = vectors[rows].mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm).astype(np.float32) if norm else None


def peer_representation(
    vector: NDArray[np.floating] | None,
    topics: NDArray[np.floating] | None,
    topic_weight: float,
    n_topics: int,
) -> NDArray[np.float32] | None:
    """Combine a topic profile and a text vector into one unit row.

    Parameters
    ----------
    vector : ndarray of shape (dimension,) or None
        The text side; None means the participant wrote nothing for this side.
    topics : ndarray of shape (n_topics,) or None
        The topic profile; None (e.g. no pool scores yet) leaves the topic block at zero.
    topic_weight : float
        Share of the topic cosine in the inner product of two representations.
    n_topics : int

    Returns
    -------
    ndarray of shape (n_topics + dimension,), float32, or None
        None when ``vector`` is None or both blocks are zero.
    """
    if vector is None:
        return None
    topic_block = np.zeros(n_topics) if topics is None else _unit(topics)
    text_block = _unit(vector)
    row = np.concatenate(
        [np.sqrt(topic_weight) * topic_block, np.sqrt(1.0 - topic_weight) * text_block]
    )
    norm = float(np.linalg.norm(row))
    if norm == 0.0:
        return None
    return np.ascontiguousarray(row / norm, dtype=np.float32)


def side_of(
    profile: PeerProfile, side: Side
) -> tuple[NDArray[np.float32] | None, NDArray[np.float64] | None]:
    """Return (vector, topics) of one side of a profile."""
    if side == "need":
        return profile.need_vector, profile.need_topics
    return profile.offer_vector, profile.offer_topics


def first_dimension(profiles: Iterable[PeerProfile]) -> int | None:
    """Return the length of the first text vector among ``profiles``, None if none."""
    for profile in profiles:
        for vector in (profile.need_vector, profile.offer_vector):
            if vector is not None and np.ndim(vector) == 1:
                return int(np.shape(vector)[0])
    return None


def check_side(
    participant_id: str,
    side: Side,
    vector: NDArray[np.floating] | None,
    topics: NDArray[np.floating] | None,
    dimension: int | None,
    n_topics: int,
) -> None:
    """Raise ``ValueError`` naming the participant and field when a shape is wrong."""
    where = f"participant '{participant_id}', {side}"
    if vector is None and topics is not None:
        raise ValueError(f"{where}_topics given without {side}_vector")
    if vector is not None and (
        vector.ndim != 1
        or vector.shape != (dimension,)
        or vector.size == 0
        or not np.isfinite(vector).all()
    ):
        raise ValueError(f"{where}_vector: expected {dimension} finite values in one row")
    if topics is not None and (topics.shape != (n_topics,) or not np.isfinite(topics).all()):
        raise ValueError(
            f"{where}_topics: expected {n_topics} finite scores in pool order "
            "(without the 'no topic' column)"
        )


def _unit(values: NDArray[np.floating]) -> NDArray[np.float64]:
    """Return ``values`` as float64 scaled to unit length (a zero vector stays zero)."""
    out = np.asarray(values, dtype=np.float64)
    norm = float(np.linalg.norm(out))
    return out / norm if norm > 0.0 else out
