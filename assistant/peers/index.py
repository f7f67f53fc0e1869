"""PeerIndex: faiss inner-product search over participants' goals and offers → find_peers.

Only participants who consented to matching are passed in; the index never sees anyone else.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray

from assistant.errors import ConfigError, InvalidEntryError, NotFittedError
from assistant.peers.matches import MODES, Mode, PeerMatch, build_match, shared_topics, sides_for
from assistant.peers.profiles import (
    SIDES,
    PeerProfile,
    Side,
    check_side,
    first_dimension,
    peer_representation,
    side_of,
)
from assistant.peers.search import EXACT_MAX_ROWS, build_search_index
from assistant.scores import null_quantile

__all__ = ["PeerIndex"]

_RETRAIN_GROWTH = 4  # rebuild an IVF index once it holds 4x the rows it was trained on
# Pairs drawn for the null of similarities: 4,000 dot products, well under a millisecond, and
# a quantile resolution of 1/4,000, finer than the bands need.
_NULL_PAIRS = 4_000


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
    min_shared_score : float, default=0.0
        Minimum profile score on both sides for a topic to count as shared, in [0, 1]; a
        shared topic is positive in both profiles in any case (``shared_topics``).
    exact_max_rows : int, default=EXACT_MAX_ROWS
        Sides with more rows are searched approximately (IVF, recall@10 about 0.97).

    Attributes
    ----------
    topic_ids_ : tuple of str
        Pool topic ids, the order of every topic profile.
    topic_labels_ : dict of str to str
        Display label per topic id, as given to ``fit``; the index itself only returns ids
        (``PeerMatch.shared_topics``) and reason codes, which callers word.
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
        min_shared_score: float = 0.0,
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
            Display label per topic id (German), kept as ``topic_labels_``.

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
        self._representations: dict[Side, dict[str, NDArray[np.float32]]] = {
            "need": {},
            "offer": {},
        }
        self._indexes: dict[Side, Any] = {}  # created with the first text vector
        self._trained_rows: dict[Side, int] = {"need": 0, "offer": 0}  # 0: exact search
        self.search_info_: dict[Side, dict[str, float]] = {}  # set when a side is rebuilt
        self._faiss_ids: dict[str, int] = {}
        self._participant_ids: dict[int, str] = {}
        self._nulls: dict[tuple[Side, Side], NDArray[np.float64]] = {}
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
                dimension = first_dimension(batch.values())
            rows: dict[Side, dict[str, NDArray[np.float32]]] = {"need": {}, "offer": {}}
            n_topics = len(self.topic_ids_)
            for profile in batch.values():
                for side in SIDES:
                    vector, topics = side_of(profile, side)
                    check_side(profile.participant_id, side, vector, topics, dimension, n_topics)
                    row = peer_representation(vector, topics, self.topic_weight, n_topics)
                    if row is not None:
                        rows[side][profile.participant_id] = row
            if dimension is not None and self.text_dimension_ is None:
                self.text_dimension_ = dimension
                import faiss  # loaded by the first peer search, not by every command

                for side in SIDES:
                    flat = faiss.IndexFlatIP(len(self.topic_ids_) + dimension)
                    self._indexes[side] = faiss.IndexIDMap2(flat)
                    self._trained_rows[side] = 0
            self._remove_locked(batch)
            self._nulls.clear()
            for participant_id, profile in batch.items():
                self._profiles[participant_id] = profile
                self._faiss_ids[participant_id] = self._next_id
                self._participant_ids[self._next_id] = participant_id
                self._next_id += 1
            for side in SIDES:
                if rows[side]:
                    self._representations[side].update(rows[side])
                    if self._needs_rebuild(side):
                        self._rebuild_locked(side)
                        continue
                    ids = np.array([self._faiss_ids[p] for p in rows[side]], dtype=np.int64)
                    self._indexes[side].add_with_ids(np.stack(list(rows[side].values())), ids)

    def _needs_rebuild(self, side: Side) -> bool:
        """Whether ``side`` outgrew exact search, or its IVF index outgrew its training."""
        n_rows = len(self._representations[side])
        trained = self._trained_rows[side]
        if trained == 0:
            return n_rows > self.exact_max_rows
        return n_rows > _RETRAIN_GROWTH * trained

    def _rebuild_locked(self, side: Side) -> None:
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
        self._nulls.clear()
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
            Peers who share a topic come first, those who share none after them (however
            alike their texts: a peer is offered for what both wrote about, not for wording).
            Within each group, without ``prefer_other_organisation``, scores are non-increasing.

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
            query_side, target_side = sides_for(
                participant_id,
                mode,
                has_need=participant_id in self._representations["need"],
                has_offer=participant_id in self._representations["offer"],
            )
            index = self._indexes.get(target_side)
            if index is None or index.ntotal == 0:
                return []
            query = self._representations[query_side][participant_id][np.newaxis, :]
            null = self._null_locked(query_side, target_side)

            query_topics = side_of(profile, query_side)[1]
            can_share = query_topics is not None and bool(np.any(np.asarray(query_topics) > 0))

            def shares(other: PeerProfile) -> bool:
                theirs = side_of(other, target_side)[1]
                return bool(
                    shared_topics(
                        query_topics, theirs, self.topic_ids_, self.min_shared_score, top_n=1
                    )
                )

            def rank_key(
                candidate: tuple[PeerProfile, float, bool],
            ) -> tuple[bool, float, float, str]:
                other, similarity, shared = candidate
                same = prefer_other_organisation and other.organisation == profile.organisation
                ranked = similarity - self.cross_org_penalty if same else similarity
                return (not shared, -ranked, -similarity, other.participant_id)

            # Fetch a few more than k and widen until nobody unfetched could rank higher: an
            # unfetched row's similarity (and so its penalised score) is at most the last
            # fetched one's, and at best it shares a topic. Exact for exact search, without
            # scoring all rows in Python.
            n_fetch = min(index.ntotal, k + 1 if not prefer_other_organisation else 4 * k + 16)
            while True:
                similarities, ids = index.search(query, n_fetch)
                candidates = [
                    (other, float(s), shares(other))
                    for s, i in zip(similarities[0], ids[0], strict=True)
                    if i >= 0
                    and (other := self._profiles[self._participant_ids[int(i)]]).participant_id
                    != participant_id
                ]
                ranked = sorted(candidates, key=rank_key)[:k]
                if n_fetch >= index.ntotal or ids[0][-1] < 0:
                    break
                if len(ranked) == k:
                    last = rank_key(ranked[-1])
                    beyond = -last[1] > float(similarities[0][-1])
                    if (not prefer_other_organisation or beyond) and (not can_share or not last[0]):
                        break
                n_fetch = min(index.ntotal, 4 * n_fetch)
        return [
            build_match(
                profile,
                other,
                similarity,
                (query_side, target_side),
                prefer_other_organisation=prefer_other_organisation,
                topic_ids=self.topic_ids_,
                min_shared_score=self.min_shared_score,
                strength=null_quantile(null, min(max(similarity, 0.0), 1.0)),
            )
            for other, similarity, _shared in ranked
        ]

    def null_similarities(self, mode: Mode = "similar") -> NDArray[np.float64]:
        """Return similarities of random pairs of different participants, sorted, for ``mode``.

        The null against which a peer's similarity is read (``PeerMatch.strength``): up to
        4,000 pairs drawn with a fixed seed (every pair when there are fewer), clipped to [0, 1]
        like ``PeerMatch.score``. For ``"need-offer"`` the pairs are goals against offers.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        """
        self._check_fitted()
        sides: tuple[Side, Side] = ("need", "need") if mode == "similar" else ("need", "offer")
        with self._lock:
            return self._null_locked(*sides)

    def _null_locked(self, query_side: Side, target_side: Side) -> NDArray[np.float64]:
        """Similarities of random pairs across two sides, cached until the index changes."""
        key = (query_side, target_side)
        cached = self._nulls.get(key)
        if cached is not None:
            return cached
        queries = self._representations[query_side]
        targets = self._representations[target_side]
        q_ids, t_ids = list(queries), list(targets)
        if not q_ids or not t_ids:
            null = np.empty(0, dtype=np.float64)
        else:
            n_pairs = len(q_ids) * len(t_ids)
            if n_pairs <= _NULL_PAIRS:
                pairs = np.indices((len(q_ids), len(t_ids))).reshape(2, -1)
            else:
                rng = np.random.default_rng(0)
                pairs = np.stack(
                    [
                        rng.integers(0, len(q_ids), _NULL_PAIRS),
                        rng.integers(0, len(t_ids), _NULL_PAIRS),
                    ]
                )
            keep = [
                (i, j)
                for i, j in zip(pairs[0].tolist(), pairs[1].tolist(), strict=True)
                if q_ids[i] != t_ids[j]
            ]
            q_rows = np.stack([queries[q_ids[i]] for i, _ in keep]) if keep else None
            t_rows = np.stack([targets[t_ids[j]] for _, j in keep]) if keep else None
            null = (
                np.sort(np.clip(np.einsum("ij,ij->i", q_rows, t_rows), 0.0, 1.0))
                if q_rows is not None and t_rows is not None
                else np.empty(0, dtype=np.float64)
            )
        self._nulls[key] = np.asarray(null, dtype=np.float64)
        return self._nulls[key]

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
