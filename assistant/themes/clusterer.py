"""ThemeClusterer (fit, labels_, result_): pool topics first, then emerging themes in the residue.

An entry that clearly fits a pool topic is grouped under it (*anchored*); only the residue is
clustered (``cluster_residue``) to find *emerging* themes. Residue clusters with too few
participants are pooled as "Sonstiges (n)"; nobody is ever shown an "outlier -1".

Each cluster gets keywords (``class_tfidf_keywords``), a size in distinct participants and up
to three representative masked sentences. Boilerplate answers and duplicate texts are set aside
and counted. The result depends only on the set of entries, not on their order: inputs are
sorted by ``entry_id`` first, and every tie is broken by ids.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np
from numpy.typing import NDArray

from assistant import texts
from assistant.nlp.text import fold
from assistant.scores import ScoreRows
from assistant.themes.boilerplate import set_aside
from assistant.themes.checks import check_entries, check_topics
from assistant.themes.keywords import class_tfidf_keywords, display_form, keyword_tokens, slug
from assistant.themes.labels import theme_label
from assistant.themes.model import (
    EMERGING_PREFIX,
    OTHER_ID,
    ThemeCluster,
    ThemeClusters,
    ThemeInput,
)
from assistant.themes.residue import cluster_residue, split_by_label

__all__ = ["ThemeClusterer"]

_MAX_SENTENCES = 3
_MAX_SENTENCE_CHARS = 240


def _shorten(sentence: str) -> str:
    return (
        sentence if len(sentence) <= _MAX_SENTENCE_CHARS else sentence[:_MAX_SENTENCE_CHARS] + "…"
    )


@dataclass(frozen=True)
class _Group:
    """A cluster before naming: members are indices into the sorted usable entries."""

    members: NDArray[np.intp]
    topic: str | None
    emerging: bool


class ThemeClusterer:
    """Theme clusters of a programme: pool topics first, then emerging themes in the residue.

    Parameters
    ----------
    anchor_threshold : float, default=0.35
        An entry anchors to its best pool topic when that score reaches this value and beats
        the "no topic" score; pass the suggester's calibrated ``threshold_``.
    anchor_margin : float, default=0.0
        How far the best topic score must exceed the "no topic" score (strictly).
    distance_threshold : float, default=0.35
        Average-linkage cosine distance at or above which residue clusters are not merged.
    min_cluster_size : int, default=3
        Residue clusters with fewer distinct participants go to "Sonstiges". Anchored clusters
        are kept whatever their size: they are pool topics, which a coordinator wants to see
        even when only one or two participants raise them.
    min_entries : int, default=5
        Below this many usable entries the result is ``too_few`` ("zu wenige Texte").
    max_keywords : int, default=8
    random_state : int, default=0
        Seed of the micro-clustering of large residues (``cluster_residue``).

    Attributes
    ----------
    result_ : ThemeClusters
    labels_ : ndarray of str, shape (n_entries,)
        Cluster id per input entry, in input order; "" for entries set aside (and for all
        entries when the result is ``too_few``).
    """

    def __init__(
        self,
        anchor_threshold: float = 0.35,
        anchor_margin: float = 0.0,
        distance_threshold: float = 0.35,
        min_cluster_size: int = 3,
        min_entries: int = 5,
        max_keywords: int = 8,
        random_state: int = 0,
    ) -> None:
        self.anchor_threshold = anchor_threshold
        self.anchor_margin = anchor_margin
        self.distance_threshold = distance_threshold
        self.min_cluster_size = min_cluster_size
        self.min_entries = min_entries
        self.max_keywords = max_keywords
        self.random_state = random_state

    def fit(
        self,
        entries: Sequence[ThemeInput],
        topic_ids: Sequence[str],
        topic_labels: Mapping[str, str],
    ) -> Self:
        """Cluster ``entries`` into themes.

        Parameters
        ----------
        entries : sequence of ThemeInput
            In any order: the result does not depend on it.
        topic_ids : sequence of str
            Pool topic ids, in the order of the columns of ``topic_scores``.
        topic_labels : mapping of str to str
            German label of every pool topic.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            For invalid parameters, duplicate or reserved topic ids, a missing label, duplicate
            entry ids, vectors of mixed dimensions, not unit length or not finite, or
            ``topic_scores`` whose length is not ``len(topic_ids) + 1``.
        """
        self._check_params()
        topic_ids = check_topics(topic_ids, topic_labels)
        ordered = sorted(entries, key=lambda e: e.entry_id)
        vectors, scores = check_entries(ordered, len(topic_ids))

        usable, n_boilerplate, n_duplicates = set_aside(ordered)
        if len(usable) < self.min_entries:
            self.result_ = ThemeClusters(
                clusters=(),
                n_entries=len(usable),
                n_boilerplate=n_boilerplate,
                n_duplicates=n_duplicates,
                too_few=True,
                assignments={},
            )
            self.labels_ = np.array(["" for _ in entries], dtype=np.str_)
            return self

        kept = [ordered[i] for i in usable]
        groups = self._group(kept, vectors[usable], scores[usable], topic_ids)
        clusters, assignments = self._describe(kept, vectors[usable], groups, topic_labels)
        self.result_ = ThemeClusters(
            clusters=clusters,
            n_entries=len(kept),
            n_boilerplate=n_boilerplate,
            n_duplicates=n_duplicates,
            too_few=False,
            assignments=assignments,
        )
        self.labels_ = np.array([assignments.get(e.entry_id, "") for e in entries], dtype=np.str_)
        return self

    def _check_params(self) -> None:
        for name in ("anchor_threshold", "anchor_margin"):
            if not math.isfinite(getattr(self, name)):
                raise ValueError(f"{name} must be a finite number, got {getattr(self, name)!r}.")
        if not 0.0 < self.distance_threshold <= 2.0:
            raise ValueError(
                "distance_threshold is a cosine distance and must lie in (0, 2], "
                f"got {self.distance_threshold!r}."
            )
        for name in ("min_cluster_size", "min_entries", "max_keywords"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}.")

    def _group(
        self,
        entries: list[ThemeInput],
        vectors: NDArray[np.float32],
        scores: NDArray[np.float64],
        topic_ids: tuple[str, ...],
    ) -> list[_Group]:
        """Anchor entries on pool topics, cluster the residue; "other" last."""
        groups: list[_Group] = []
        if topic_ids:  # without topics there is no pool column, so no ScoreRows either
            rows = ScoreRows(scores)
            best = np.argmax(rows.topics, axis=1)  # ties: the earlier topic in pool order
            best_score = rows.topics[np.arange(len(rows)), best]
            anchored = (best_score >= self.anchor_threshold) & (
                best_score > rows.no_topic + self.anchor_margin
            )
        else:
            best = np.zeros(len(scores), dtype=np.intp)
            anchored = np.zeros(len(scores), dtype=bool)
        for t, topic_id in enumerate(topic_ids):
            members = np.flatnonzero(anchored & (best == t))
            if len(members):
                groups.append(_Group(members, topic_id, False))

        residue = np.flatnonzero(~anchored)
        other: list[NDArray[np.intp]] = []
        if len(residue):
            labels = cluster_residue(vectors[residue], self.distance_threshold, self.random_state)
            for members in split_by_label(residue, labels):
                participants = {entries[i].participant_id for i in members}
                if len(participants) >= self.min_cluster_size:
                    groups.append(_Group(members, None, True))
                else:
                    other.append(members)
        if other:
            groups.append(_Group(np.sort(np.concatenate(other)), None, False))
        return groups

    def _describe(
        self,
        entries: list[ThemeInput],
        vectors: NDArray[np.float32],
        groups: list[_Group],
        topic_labels: Mapping[str, str],
    ) -> tuple[tuple[ThemeCluster, ...], dict[str, str]]:
        """Name the groups, find keywords and sentences; return clusters and assignments."""
        tokens = [keyword_tokens(e) for e in entries]
        forms: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for pairs in tokens:
            for key, surface in pairs:
                forms[key][surface] += 1
        classes = np.empty(len(entries), dtype=np.intp)
        for g, group in enumerate(groups):
            classes[group.members] = g
        folded_keywords = class_tfidf_keywords(
            [[key for key, _ in pairs] for pairs in tokens],
            classes,
            len(groups),
            self.max_keywords,
        )

        # Emerging themes are named by a key phrase of their own words (``theme_label``);
        # ids come from the label, collisions numbered largest first.
        names = {
            g: theme_label(
                [entries[i].text for i in groups[g].members],
                folded_keywords[g],
                _forms_in(tokens, groups[g].members),
            )
            or texts.THEME_NEW
            for g, group in enumerate(groups)
            if group.emerging
        }
        used = {g.topic for g in groups if g.topic is not None} | {OTHER_ID}
        emerging_order = sorted(
            names,
            key=lambda g: (
                -_n_participants(entries, groups[g].members),
                -len(groups[g].members),
                entries[int(groups[g].members[0])].entry_id,
            ),
        )
        ids: dict[int, str] = {}
        named: Counter[str] = Counter()
        for g in emerging_order:
            named[names[g]] += 1
            if named[names[g]] > 1:  # two themes of one name: the smaller is numbered
                names[g] = f"{names[g]} ({named[names[g]]})"
            base = EMERGING_PREFIX + slug(names[g])
            candidate, suffix = base, 1
            while candidate in used:
                suffix += 1
                candidate = f"{base}-{suffix}"
            used.add(candidate)
            ids[g] = candidate

        clusters = []
        assignments: dict[str, str] = {}
        for g, group in enumerate(groups):
            keywords = tuple(display_form(forms[key]) for key in folded_keywords[g])
            n_entries = len(group.members)
            if group.topic is not None:
                cluster_id, label = group.topic, topic_labels[group.topic]
            elif group.emerging:
                cluster_id, label = ids[g], names[g]
            else:
                cluster_id, label = OTHER_ID, texts.theme_other(n_entries)
            entry_ids = tuple(entries[i].entry_id for i in group.members)  # sorted, as entries
            for entry_id in entry_ids:
                assignments[entry_id] = cluster_id
            clusters.append(
                ThemeCluster(
                    id=cluster_id,
                    label=label,
                    keywords=keywords,
                    size=_n_participants(entries, group.members),
                    n_entries=n_entries,
                    topic=group.topic,
                    emerging=group.emerging,
                    entry_ids=entry_ids,
                    sentences=_representative_sentences(
                        entries, vectors, group.members, folded_keywords[g]
                    ),
                )
            )
        clusters.sort(key=lambda c: (c.id == OTHER_ID, -c.size, c.id))
        return tuple(clusters), dict(sorted(assignments.items()))


def _forms_in(
    tokens: list[list[tuple[str, str]]], members: NDArray[np.intp]
) -> dict[str, Counter[str]]:
    """Surface forms per group key within one cluster (the label uses the cluster's own forms)."""
    forms: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for i in members:
        for key, surface in tokens[i]:
            forms[key][surface] += 1
    return dict(forms)


def _n_participants(entries: list[ThemeInput], members: NDArray[np.intp]) -> int:
    return len({entries[i].participant_id for i in members})


def _representative_sentences(
    entries: list[ThemeInput],
    vectors: NDArray[np.float32],
    members: NDArray[np.intp],
    folded_keywords: Iterable[str],
) -> tuple[str, ...]:
    """Up to three sentences: one per entry closest to the centroid, the one richest in keywords."""
    keys = list(folded_keywords)
    similarity = vectors[members] @ vectors[members].mean(axis=0)
    picked: list[str] = []
    for i in members[np.lexsort((members, -similarity))]:
        sentences = [s.strip() for s in entries[i].sentences if s.strip()] or [entries[i].text]
        best = max(sentences, key=lambda s: sum(k in fold(s) for k in keys))  # first on ties
        best = _shorten(best)
        if best not in picked:
            picked.append(best)
        if len(picked) == _MAX_SENTENCES:
            break
    return tuple(picked)
