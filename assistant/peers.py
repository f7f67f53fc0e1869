"""PeerIndex: faiss inner-product search over participants' goals and offers → find_peers.

A participant is represented twice, once by what they look for (goals and reflections: the
*need* side) and once by what they can give (offers: the *offer* side). Each side combines
the person's topic profile (mean topic scores over the programme's pool) with the mean text
embedding::

    representation = unit([sqrt(w) * unit(topics), sqrt(1 - w) * unit(text vector)])

with ``w = topic_weight``. When both blocks are present the inner product of two
representations is ``w * cos(topics) + (1 - w) * cos(text)``; trials on German texts found
relevant peers far better by topic profile than by raw embedding, hence the default 0.8.

Only participants who consented to matching are passed in; the index never sees anyone else.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Self

import faiss
import numpy as np
from numpy.typing import NDArray

from assistant.errors import ConfigError, InvalidEntryError, NotFittedError

Mode = Literal["similar", "need-offer"]
MODES: tuple[Mode, ...] = ("similar", "need-offer")
MAX_SHARED_TOPICS = 3  # a shared topic is among the top 3 of both profiles

# Exact search up to this many rows (about 8M multiply-adds, ~2 ms a query on one core);
# above it an IVF index, whose probe count is tuned on the data to reach TARGET_RECALL.
EXACT_MAX_ROWS = 20_000
TARGET_RECALL = 0.97  # recall@10 against exact search, measured when the index is (re)built
_RETRAIN_GROWTH = 4  # rebuild an IVF index once it holds 4x the rows it was trained on
_TUNE_QUERIES = 128
_TUNE_K = 10

# German reason lines. They belong in ui/texts.py (STYLE §3); they live here until the UI
# maps reasons itself, because PeerMatch.reason is part of this module's contract.
REASON_SIMILAR = "Ähnliche Ziele"
REASON_SIMILAR_TOPICS = "gemeinsame Themen"
REASON_OFFERS_NEED = "Bietet an, was gesucht wird"
REASON_NEEDS_OFFER = "Sucht, was angeboten wird"
REASON_OTHER_ORGANISATION = "andere Behörde"

_Side = Literal["need", "offer"]
_SIDES: tuple[_Side, ...] = ("need", "offer")


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
        Unit mean embedding of the participant's goals (and reflections); None without any.
    need_topics : ndarray of shape (n_topics,), float64, or None
        Mean topic scores of the same texts, pool order, without the "no topic" column.
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


@dataclass(frozen=True)
class PeerMatch:
    """One suggested peer, with the evidence for the suggestion.

    Attributes
    ----------
    participant_id : str
    score : float
        Cosine similarity of the two combined representations, clipped to [0, 1] (a negative
        cosine means "unrelated" as much as zero does). It is the similarity itself, without
        the cross-organisation penalty, which only changes the order.
    shared_topics : tuple of str
        Pool topic ids strong in both relevant profiles, best first.
    reason : str
        One German line for the UI.
    """

    participant_id: str
    score: float
    shared_topics: tuple[str, ...]
    reason: str


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


def shared_topics(
    a: NDArray[np.floating] | None,
    b: NDArray[np.floating] | None,
    topic_ids: Sequence[str],
    min_score: float = 0.15,
    top_n: int = MAX_SHARED_TOPICS,
) -> tuple[str, ...]:
    """Return topic ids scoring at least ``min_score`` and among the ``top_n`` of both profiles.

    Ordered by the weaker of the two scores (the strength both share), then by their sum,
    then by pool order.
    """
    if a is None or b is None:
        return ()
    strong_a = _strong_topics(a, min_score, top_n)
    strong_b = _strong_topics(b, min_score, top_n)
    common = sorted(
        strong_a & strong_b,
        key=lambda i: (-min(a[i], b[i]), -(a[i] + b[i]), i),
    )
    return tuple(topic_ids[i] for i in common)


class PeerIndex:
    """Nearest peers by goals and offers, updated incrementally on import and erasure.

    Parameters
    ----------
    topic_weight : float, default=0.8
        Share of the topic-profile cosine in the similarity, in [0, 1]; the rest is the
        cosine of the text embeddings.
    cross_org_penalty : float, default=0.15
        With ``prefer_other_organisation``, subtracted from the similarity of candidates
        from the participant's own organisation before ranking; must be >= 0.
    min_shared_score : float, default=0.15
        Minimum topic score on both sides for a topic to count as shared, in [0, 1].
    exact_max_rows : int, default=EXACT_MAX_ROWS
        Sides with more rows are searched approximately (IVF, recall@10 about 0.97).

    Attributes
    ----------
    topic_ids_ : tuple of str
        Pool topic ids, the order of every topic profile.
    topic_labels_ : dict of str to str
        Labels used in reasons; a missing label falls back to the id.
    text_dimension_ : int or None
        Length of the text vectors, taken from the first one seen; None until then.
    search_info_ : dict
        Per side rebuilt for size: ``build_search_index``'s info (lists, nprobe, recall).

    Notes
    -----
    A programme has hundreds of participants, for which exact ``IndexFlatIP`` needs no
    training. Above ``EXACT_MAX_ROWS`` rows (a state-wide portfolio) a side is rebuilt as an
    ``IndexIVFFlat`` (see ``build_search_index``); IVF rather than HNSW because it supports
    ``remove_ids``, so an erased participant leaves the index at once. Each participant gets
    an int64 id, assigned incrementally and never reused, shared by the need index and the
    offer index; an update gives a new id, so a stale id can never point at someone else.
    """

    def __init__(
        self,
        topic_weight: float = 0.8,
        cross_org_penalty: float = 0.15,
        min_shared_score: float = 0.15,
        exact_max_rows: int = EXACT_MAX_ROWS,
    ) -> None:
        self.topic_weight = topic_weight
        self.cross_org_penalty = cross_org_penalty
        self.min_shared_score = min_shared_score
        self.exact_max_rows = exact_max_rows

    # -- building ----------------------------------------------------------------------------

    def fit(
        self,
        profiles: Sequence[PeerProfile],
        topic_ids: Sequence[str],
        topic_labels: Mapping[str, str],
    ) -> Self:
        """Validate the settings and build the index over ``profiles``.

        Parameters
        ----------
        profiles : sequence of PeerProfile
            Consenting participants of one programme; a repeated id keeps the last profile.
        topic_ids : sequence of str
            Pool topic ids in the order of the profiles' topic scores.
        topic_labels : mapping of str to str
            Display label per topic id (German), used in ``PeerMatch.reason``.

        Returns
        -------
        self

        Raises
        ------
        ConfigError
            A parameter is out of range.
        ValueError
            Topic ids repeat, or a profile's vectors do not match the others' shapes.
        """
        if not 0.0 <= self.topic_weight <= 1.0:
            raise ConfigError(f"topic_weight must be between 0 and 1, got {self.topic_weight}.")
        if not self.cross_org_penalty >= 0.0:
            raise ConfigError(f"cross_org_penalty must be >= 0, got {self.cross_org_penalty}.")
        if not 0.0 <= self.min_shared_score <= 1.0:
            raise ConfigError(
                f"min_shared_score must be between 0 and 1, got {self.min_shared_score}."
            )
        if len(set(topic_ids)) != len(topic_ids):
            raise ValueError("topic_ids must be unique")
        self._lock = threading.Lock()
        self.topic_ids_ = tuple(topic_ids)
        self.topic_labels_ = dict(topic_labels)
        self.text_dimension_: int | None = None
        self._profiles: dict[str, PeerProfile] = {}
        self._representations: dict[_Side, dict[str, NDArray[np.float32]]] = {
            "need": {},
            "offer": {},
        }
        self._indexes: dict[_Side, Any] = {}  # created with the first text vector
        self._trained_rows: dict[_Side, int] = {"need": 0, "offer": 0}  # 0: exact search
        self.search_info_: dict[_Side, dict[str, float]] = {}  # set when a side is rebuilt
        self._faiss_ids: dict[str, int] = {}
        self._participant_ids: dict[int, str] = {}
        self._next_id = 0
        try:
            self.add(profiles)
        except Exception:
            del self.topic_ids_  # a failed fit leaves the index unfitted, not half-built
            raise
        return self

    def add(self, profiles: Sequence[PeerProfile]) -> None:
        """Insert ``profiles``, replacing participants already in the index (upsert).

        The batch is validated before anything changes: a bad profile leaves the index as it was.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        ValueError
            A vector or topic profile has the wrong shape or is not finite.
        """
        self._check_fitted()
        batch = {p.participant_id: p for p in profiles}
        if not batch:
            return
        # faiss CPU indexes allow concurrent searches but not concurrent adds, hence the lock.
        with self._lock:
            dimension = self.text_dimension_
            if dimension is None:
                dimension = _first_dimension(batch.values())
            rows: dict[_Side, dict[str, NDArray[np.float32]]] = {"need": {}, "offer": {}}
            for profile in batch.values():
                for side in _SIDES:
                    vector, topics = _side_of(profile, side)
                    self._check_shapes(profile.participant_id, side, vector, topics, dimension)
                    row = peer_representation(
                        vector, topics, self.topic_weight, len(self.topic_ids_)
                    )
                    if row is not None:
                        rows[side][profile.participant_id] = row
            if dimension is not None and self.text_dimension_ is None:
                self.text_dimension_ = dimension
                for side in _SIDES:
                    flat = faiss.IndexFlatIP(len(self.topic_ids_) + dimension)
                    self._indexes[side] = faiss.IndexIDMap2(flat)
                    self._trained_rows[side] = 0
            self._remove_locked(batch)
            for participant_id, profile in batch.items():
                self._profiles[participant_id] = profile
                self._faiss_ids[participant_id] = self._next_id
                self._participant_ids[self._next_id] = participant_id
                self._next_id += 1
            for side in _SIDES:
                if rows[side]:
                    self._representations[side].update(rows[side])
                    if self._needs_rebuild(side):
                        self._rebuild_locked(side)
                        continue
                    ids = np.array([self._faiss_ids[p] for p in rows[side]], dtype=np.int64)
                    self._indexes[side].add_with_ids(np.stack(list(rows[side].values())), ids)

    def _needs_rebuild(self, side: _Side) -> bool:
        """Whether ``side`` outgrew exact search, or its IVF index outgrew its training."""
        n_rows = len(self._representations[side])
        trained = self._trained_rows[side]
        if trained == 0:
            return n_rows > self.exact_max_rows
        return n_rows > _RETRAIN_GROWTH * trained

    def _rebuild_locked(self, side: _Side) -> None:
        """Build ``side`` anew from the stored representations (the caller holds the lock)."""
        representations = self._representations[side]
        ids = np.array([self._faiss_ids[p] for p in representations], dtype=np.int64)
        rows = np.stack(list(representations.values()))
        self._indexes[side], self.search_info_[side] = build_search_index(
            rows, ids, exact_max_rows=self.exact_max_rows
        )
        self._trained_rows[side] = len(rows) if len(rows) > self.exact_max_rows else 0

    def remove(self, participant_ids: Iterable[str]) -> int:
        """Remove participants (erasure, withdrawn consent); unknown ids are ignored.

        Returns
        -------
        int
            How many participants were in the index and are now gone.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        """
        self._check_fitted()
        with self._lock:
            return self._remove_locked(participant_ids)

    def _remove_locked(self, participant_ids: Iterable[str]) -> int:
        """Drop participants from every structure; the caller holds the lock."""
        gone = {p for p in participant_ids if p in self._profiles}
        if not gone:
            return 0
        faiss_ids = np.array([self._faiss_ids[p] for p in gone], dtype=np.int64)
        for index in self._indexes.values():
            index.remove_ids(faiss_ids)
        for participant_id in gone:
            del self._participant_ids[self._faiss_ids.pop(participant_id)]
            del self._profiles[participant_id]
            for representations in self._representations.values():
                representations.pop(participant_id, None)
        return len(gone)

    # -- querying ----------------------------------------------------------------------------

    def find_peers(
        self,
        participant_id: str,
        k: int = 5,
        mode: Mode = "similar",
        prefer_other_organisation: bool = False,
    ) -> list[PeerMatch]:
        """Return the ``k`` participants most relevant to ``participant_id``.

        Parameters
        ----------
        participant_id : str
        k : int, default=5
            At most this many matches.
        mode : {"similar", "need-offer"}, default="similar"
            ``"similar"``: goals against goals (peer groups). ``"need-offer"``: goals
            against others' offers (a mentee looking for a mentor, as in reverse mentoring);
            a participant without goals (e.g. a mentor) is matched the other way, their
            offers against others' goals.
        prefer_other_organisation : bool, default=False
            Cross-mentoring: rank candidates from the participant's own organisation as if
            their similarity were ``cross_org_penalty`` lower.

        Returns
        -------
        list of PeerMatch
            Best first, never the participant themselves; empty when nobody can be matched.
            Without ``prefer_other_organisation`` the scores are non-increasing.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        InvalidEntryError
            ``code="bad_k"`` for ``k < 1``, ``"bad_mode"`` for an unknown mode,
            ``"unknown_participant"`` for an id not in the index, ``"no_texts"`` when the
            participant has no texts for the mode.
        """
        self._check_fitted()
        if k < 1:
            raise InvalidEntryError(f"k: must be at least 1, got {k}.", "bad_k")
        if mode not in MODES:
            raise InvalidEntryError(
                f"mode: unknown mode '{mode}'. Available: {', '.join(MODES)}.", "bad_mode"
            )
        with self._lock:  # searching while another thread adds is not safe either
            profile = self._profiles.get(participant_id)
            if profile is None:
                raise InvalidEntryError(
                    f"participant '{participant_id}' is not in the peer index "
                    "(unknown, erased, or no consent to matching).",
                    "unknown_participant",
                )
            query_side, target_side = self._sides_for(profile, mode)
            index = self._indexes.get(target_side)
            if index is None or index.ntotal == 0:
                return []
            query = self._representations[query_side][participant_id][np.newaxis, :]

            def rank_key(candidate: tuple[PeerProfile, float]) -> tuple[float, float, str]:
                other, similarity = candidate
                same = prefer_other_organisation and other.organisation == profile.organisation
                ranked = similarity - self.cross_org_penalty if same else similarity
                return (-ranked, -similarity, other.participant_id)

            # Fetch a few more than k and widen until nobody unfetched could rank higher: an
            # unfetched row's similarity (and so its penalised score) is at most the last
            # fetched one's. Exact for exact search, without scoring all rows in Python.
            n_fetch = min(index.ntotal, k + 1 if not prefer_other_organisation else 4 * k + 16)
            while True:
                similarities, ids = index.search(query, n_fetch)
                candidates = [
                    (self._profiles[self._participant_ids[int(i)]], float(s))
                    for s, i in zip(similarities[0], ids[0], strict=True)
                    if i >= 0 and self._participant_ids[int(i)] != participant_id
                ]
                ranked = sorted(candidates, key=rank_key)[:k]
                if not prefer_other_organisation or n_fetch >= index.ntotal or ids[0][-1] < 0:
                    break
                if len(ranked) == k and -rank_key(ranked[-1])[0] > float(similarities[0][-1]):
                    break
                n_fetch = min(index.ntotal, 4 * n_fetch)
        return [
            self._match(
                profile, other, similarity, (query_side, target_side), prefer_other_organisation
            )
            for other, similarity in ranked
        ]

    def _sides_for(self, profile: PeerProfile, mode: Mode) -> tuple[_Side, _Side]:
        """Return (query side, searched side) for ``mode``; raise ``no_texts`` if impossible."""
        has_need = profile.participant_id in self._representations["need"]
        has_offer = profile.participant_id in self._representations["offer"]
        if mode == "similar" and has_need:
            return "need", "need"
        if mode == "need-offer" and has_need:
            return "need", "offer"
        if mode == "need-offer" and has_offer:
            return "offer", "need"
        wanted = "goals" if mode == "similar" else "goals or offers"
        raise InvalidEntryError(
            f"participant '{profile.participant_id}' has no {wanted} to match in mode '{mode}'.",
            "no_texts",
        )

    def _match(
        self,
        profile: PeerProfile,
        other: PeerProfile,
        similarity: float,
        sides: tuple[_Side, _Side],
        prefer_other_organisation: bool,
    ) -> PeerMatch:
        """Build the PeerMatch for ``other`` as seen from ``profile`` (sides: query, searched)."""
        mine = _side_of(profile, sides[0])[1]
        theirs = _side_of(other, sides[1])[1]
        base = {
            ("need", "need"): REASON_SIMILAR,
            ("need", "offer"): REASON_OFFERS_NEED,
            ("offer", "need"): REASON_NEEDS_OFFER,
        }[sides]
        shared = shared_topics(mine, theirs, self.topic_ids_, self.min_shared_score)
        labels = ", ".join(self.topic_labels_.get(t, t) for t in shared)
        if not shared:
            reason = base
        elif base == REASON_SIMILAR:
            reason = f"{base}; {REASON_SIMILAR_TOPICS}: {labels}"
        else:
            reason = f"{base}: {labels}"
        if prefer_other_organisation and other.organisation != profile.organisation:
            reason = f"{reason}; {REASON_OTHER_ORGANISATION}"
        return PeerMatch(
            participant_id=other.participant_id,
            score=min(max(similarity, 0.0), 1.0),
            shared_topics=shared,
            reason=reason,
        )

    def __len__(self) -> int:
        """Return the number of participants in the index (0 before ``fit``)."""
        return len(getattr(self, "_profiles", {}))

    def __contains__(self, participant_id: object) -> bool:
        """Return whether ``participant_id`` is in the index (False before ``fit``)."""
        return participant_id in getattr(self, "_profiles", {})

    # -- helpers -----------------------------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "topic_ids_"):
            raise NotFittedError("PeerIndex is not fitted: call fit(profiles, topic_ids, ...).")

    def _check_shapes(
        self,
        participant_id: str,
        side: _Side,
        vector: NDArray[np.floating] | None,
        topics: NDArray[np.floating] | None,
        dimension: int | None,
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
        n_topics = len(self.topic_ids_)
        if topics is not None and (topics.shape != (n_topics,) or not np.isfinite(topics).all()):
            raise ValueError(
                f"{where}_topics: expected {n_topics} finite scores in pool order "
                "(without the 'no topic' column)"
            )


def build_search_index(
    rows: NDArray[np.float32],
    ids: NDArray[np.int64],
    *,
    exact_max_rows: int = EXACT_MAX_ROWS,
    target_recall: float = TARGET_RECALL,
    seed: int = 0,
) -> tuple[Any, dict[str, float]]:
    """Return a faiss inner-product index over ``rows`` (unit rows) with ``ids``, by size.

    Up to ``exact_max_rows`` rows: ``IndexIDMap2(IndexFlatIP)``, exact. Above: ``IndexIVFFlat``
    with about ``sqrt(n)`` lists, trained on a fixed sample; its ``nprobe`` is the smallest
    power of two whose recall@10 against exact search, on up to 128 of the rows as queries,
    reaches ``target_recall`` (measured here, on this data, not assumed).

    Parameters
    ----------
    rows : ndarray of shape (n, dimension), float32
    ids : ndarray of shape (n,), int64

    Returns
    -------
    index : faiss index
        Supports ``search``, ``add_with_ids`` and ``remove_ids``.
    info : dict of str to float
        ``rows``, ``lists`` (0 for exact search), ``nprobe`` and the measured ``recall``@10.
    """
    rows = np.ascontiguousarray(rows, dtype=np.float32)
    ids = np.ascontiguousarray(ids, dtype=np.int64)
    n, dimension = rows.shape
    if n <= exact_max_rows:
        exact_index: Any = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        if n:
            exact_index.add_with_ids(rows, ids)
        return exact_index, {"rows": float(n), "lists": 0.0, "nprobe": 0.0, "recall": 1.0}
    rng = np.random.default_rng(seed)
    n_lists = max(16, int(np.sqrt(n)))
    train = rows[np.sort(rng.choice(n, size=min(n, 40 * n_lists), replace=False))]
    quantizer = faiss.IndexFlatIP(dimension)
    index: Any = faiss.IndexIVFFlat(quantizer, dimension, n_lists, faiss.METRIC_INNER_PRODUCT)
    index.cp.seed = seed
    index.train(train)
    index.add_with_ids(rows, ids)  # faiss' Python wrapper keeps the quantizer alive
    queries = rows[np.sort(rng.choice(n, size=min(n, _TUNE_QUERIES), replace=False))]
    exact = faiss.IndexFlatIP(dimension)
    exact.add(rows)
    _, truth = exact.search(queries, _TUNE_K)
    del exact
    truth_ids = ids[truth]
    nprobe, recall = 1, 0.0
    while True:
        index.nprobe = nprobe
        _, found = index.search(queries, _TUNE_K)
        recall = float(
            np.mean([len(set(f) & set(t)) / _TUNE_K for f, t in zip(found, truth_ids, strict=True)])
        )
        if recall >= target_recall or nprobe >= n_lists:
            break
        nprobe = min(2 * nprobe, n_lists)
    return index, {
        "rows": float(n),
        "lists": float(n_lists),
        "nprobe": float(nprobe),
        "recall": recall,
    }


def _unit(values: NDArray[np.floating]) -> NDArray[np.float64]:
    """Return ``values`` as float64 scaled to unit length (a zero vector stays zero)."""
    out = np.asarray(values, dtype=np.float64)
    norm = float(np.linalg.norm(out))
    return out / norm if norm > 0.0 else out


def _strong_topics(scores: NDArray[np.floating], min_score: float, top_n: int) -> set[int]:
    """Return indices of the ``top_n`` highest scores that reach ``min_score``."""
    top = np.argsort(-np.asarray(scores), kind="stable")[:top_n]
    return {int(i) for i in top if scores[i] >= min_score}


def _side_of(
    profile: PeerProfile, side: _Side
) -> tuple[NDArray[np.float32] | None, NDArray[np.float64] | None]:
    """Return (vector, topics) of one side of a profile."""
    if side == "need":
        return profile.need_vector, profile.need_topics
    return profile.offer_vector, profile.offer_topics


def _first_dimension(profiles: Iterable[PeerProfile]) -> int | None:
    """Return the length of the first text vector among ``profiles``, None if none."""
    for profile in profiles:
        for vector in (profile.need_vector, profile.offer_vector):
            if vector is not None and np.ndim(vector) == 1:
                return int(np.shape(vector)[0])
    return None
