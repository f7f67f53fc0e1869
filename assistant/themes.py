"""ThemeClusterer (fit, labels_, result_) → ThemeClusters: the themes of a programme.

Programmes are small (20 to 300 participants), too small for density clustering à la BERTopic,
which would leave most texts as outliers. So the pool comes first: an entry that clearly fits a
pool topic is grouped under it (*anchored*); only the residue is clustered, by average-linkage
cosine, to find *emerging* themes. Residue clusters with too few participants are pooled as
"Sonstiges (n)"; nobody is ever shown an "outlier -1".

Each cluster gets keywords from a class-based TF-IDF over the entries' lemmas (BERTopic's
``ClassTfidfTransformer`` idea in a few lines), a size in distinct participants and up to three
representative masked sentences. Boilerplate answers ("keine", "s.o.", "-") and duplicate texts
are set aside and counted. The result depends only on the set of entries, not on their order:
inputs are sorted by ``entry_id`` first, and every tie is broken by ids.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Self

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.feature_extraction.text import CountVectorizer
from spacy.lang.de.stop_words import STOP_WORDS as DE_STOP_WORDS
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS
from threadpoolctl import threadpool_limits

from assistant.nlp.pii import EMAIL_MASK, IBAN_MASK, NAME_MASK, PHONE_MASK
from assistant.nlp.preprocess import DOMAIN_STOP_WORDS
from assistant.nlp.text import fold

__all__ = [
    "EMERGING_PREFIX",
    "MAX_EXACT_RESIDUE",
    "OTHER_ID",
    "ThemeCluster",
    "ThemeClusterer",
    "ThemeClusters",
    "ThemeInput",
    "class_tfidf_keywords",
    "cluster_residue",
    "is_boilerplate",
    "themes_over_time",
]

OTHER_ID = "other"
EMERGING_PREFIX = "emerging-"

# Above this many residue entries, exact average linkage (O(n²) memory: 4,000 rows are 64 MB of
# distances) gives way to micro-clusters; see ``cluster_residue``.
MAX_EXACT_RESIDUE = 4000
_CELL_SIZE = 40  # target entries per MiniBatchKMeans micro-cluster
_MAX_CELLS = 1000  # 100,000 entries: 1,000 cells of ~100, each clustered exactly in milliseconds
_MAX_DEPTH = 2  # re-split an oversized micro-cluster at most this often, then cut it in chunks

_MAX_SENTENCES = 3
_MAX_SENTENCE_CHARS = 240
_LABEL_KEYWORDS = 3
_MAX_SLUG_CHARS = 40
_UNIT_TOLERANCE = 1e-3

_STOP_WORDS = frozenset(fold(w) for w in DE_STOP_WORDS | EN_STOP_WORDS) | DOMAIN_STOP_WORDS
_MASKS = re.compile("|".join(re.escape(m) for m in (EMAIL_MASK, PHONE_MASK, IBAN_MASK, NAME_MASK)))
_NON_WORD = re.compile(r"[\W_]+")
_LETTER = re.compile(r"[^\W\d_]")

# Compared after ``_normalise_answer``: folded, punctuation gone, so "s.o." is "s o",
# "k.A." is "k a" and "Weiß nicht!" is "weiss nicht". Exact matches only: a real answer that
# starts with "keine" ("keine Zeit für Weiterbildung") is a theme, not boilerplate.
_BOILERPLATE = frozenset(
    {
        "bisher nichts",
        "dito",
        "don t know",
        "dto",
        "entfaellt",
        "ich weiss es nicht",
        "ich weiss nicht",
        "idk",
        "ja",
        "k a",
        "ka",
        "kein",
        "keine",
        "keine ahnung",
        "keine angabe",
        "keine angaben",
        "keine aenderung",
        "keine aenderungen",
        "keiner",
        "keines",
        "keins",
        "n a",
        "na",
        "nein",
        "nichts",
        "nichts besonderes",
        "nichts neues",
        "nichts weiter",
        "nix",
        "no",
        "none",
        "nothing",
        "nothing new",
        "noch nichts",
        "ok",
        "okay",
        "s o",
        "siehe oben",
        "so",
        "tbd",
        "test",
        "unveraendert",
        "vgl oben",
        "weiss ich nicht",
        "weiss nicht",
        "wie oben",
        "x",
        "xx",
        "xxx",
    }
)


@dataclass(frozen=True)
class ThemeInput:
    """One entry as the clusterer sees it, already processed and masked by the caller.

    Attributes
    ----------
    text : str
        PII-masked text.
    lemmas : tuple of str
        ``ProcessedText.lemmas`` of the entry.
    sentences : tuple of str
        Masked sentences; representative sentences are taken from here.
    vector : ndarray of shape (dimension,)
        Unit embedding of the text.
    topic_scores : ndarray of shape (n_topics + 1,)
        Pool topic scores in pool order; the last one is "no topic".
    """

    entry_id: str
    participant_id: str
    text: str
    lemmas: tuple[str, ...]
    sentences: tuple[str, ...]
    vector: NDArray[np.float32]
    topic_scores: NDArray[np.float64]
    created_at: date


@dataclass(frozen=True)
class ThemeCluster:
    """One theme: a pool topic, an emerging theme or "Sonstiges".

    Attributes
    ----------
    id : str
        The pool topic id (anchored), ``"emerging-<slug>"`` (emerging) or ``"other"``.
    label : str
        The pool topic label, the top keywords joined with ", ", or "Sonstiges (n)" with ``n``
        the number of entries.
    keywords : tuple of str
        Up to ``max_keywords`` by class-based TF-IDF, in the lemmas' surface form.
    size : int
        Distinct participants.
    sentences : tuple of str
        Up to three masked sentences of the entries closest to the cluster centroid.
    """

    id: str
    label: str
    keywords: tuple[str, ...]
    size: int
    n_entries: int
    topic: str | None
    emerging: bool
    entry_ids: tuple[str, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class ThemeClusters:
    """The themes of a set of entries.

    Attributes
    ----------
    clusters : tuple of ThemeCluster
        Anchored and emerging clusters, largest first (ties by id), then "other" if any.
        Empty when ``too_few``.
    n_entries : int
        Entries considered, after boilerplate and duplicates were set aside.
    too_few : bool
        Fewer usable entries than ``min_entries``: "zu wenige Texte", no clusters.
    assignments : dict of str to str
        Entry id to cluster id; set-aside entries (and all entries when ``too_few``) are absent.
    """

    clusters: tuple[ThemeCluster, ...]
    n_entries: int
    n_boilerplate: int
    n_duplicates: int
    too_few: bool
    assignments: dict[str, str]


def _normalise_answer(text: str) -> str:
    return _NON_WORD.sub(" ", fold(text)).strip()


def is_boilerplate(text: str) -> bool:
    """Return True for answers that carry no theme: "keine", "s.o.", "-", "k.A.", "weiß nicht".

    Case, umlaut spelling ("weiss"), punctuation and spacing do not matter; a text without any
    letter ("-", "?", "0") is boilerplate too. Only whole answers match, so "Keine Zeit für
    Weiterbildung" is not boilerplate.
    """
    normalised = _normalise_answer(text)
    return not _LETTER.search(normalised) or normalised in _BOILERPLATE


def _keyword_tokens(entry: ThemeInput) -> list[tuple[str, str]]:
    """Return (folded, surface) pairs of the entry's lemmas that may become keywords."""
    lemmas = [lemma.strip() for lemma in entry.lemmas]
    visible = None
    if _MASKS.search(entry.text):
        # Lemmas may come from the unmasked text: keep only those still visible after masking,
        # so a masked name can never come back as a keyword.
        visible = fold(_MASKS.sub(" ", entry.text))
    tokens = []
    for lemma in lemmas:
        key = fold(lemma)
        if len(lemma) < 3 or key in _STOP_WORDS or not _LETTER.search(key):
            continue
        if any(ch.isdigit() for ch in key):  # numbers, dates and codes ("2024", "3er") say little
            continue
        if visible is not None and not re.search(r"(?<!\w)" + re.escape(key), visible):
            continue
        tokens.append((key, lemma))
    return tokens


def _display_form(forms: Counter[str]) -> str:
    """Most frequent surface form; ties prefer umlauts/ß, then a capital, then alphabetical."""
    return min(
        forms,
        key=lambda f: (-forms[f], fold(f) == f.lower(), not f[:1].isupper(), f),
    )


def _identity(document: list[str]) -> list[str]:
    return document


def class_tfidf_keywords(
    documents: Sequence[Sequence[str]],
    classes: NDArray[np.intp],
    n_classes: int,
    max_keywords: int,
) -> list[tuple[str, ...]]:
    """Return the top terms of each class by class-based TF-IDF.

    Term frequencies are counted per class and L1-normalised, then weighted by
    ``log(1 + A / f_t)`` with ``A`` the average number of terms per class and ``f_t`` the
    frequency of term ``t`` over all classes (BERTopic's ``ClassTfidfTransformer``).

    Parameters
    ----------
    documents : sequence of sequence of str
        Tokens per document, already filtered.
    classes : ndarray of shape (n_documents,)
        Class index in ``range(n_classes)`` per document.

    Returns
    -------
    list of tuple of str
        Per class, at most ``max_keywords`` terms, best first (ties alphabetical); only terms
        that occur in the class.
    """
    if not any(documents):
        return [() for _ in range(n_classes)]
    vectorizer = CountVectorizer(analyzer=_identity, lowercase=False)
    counts = vectorizer.fit_transform([list(d) for d in documents])
    n_docs = len(documents)
    indicator = sparse.csr_matrix(
        (np.ones(n_docs), (np.asarray(classes), np.arange(n_docs))), shape=(n_classes, n_docs)
    )
    per_class = sparse.csr_matrix(indicator @ counts, dtype=np.float64)
    per_term = np.asarray(per_class.sum(axis=0)).ravel()
    idf = np.log(1.0 + (per_class.sum() / n_classes) / per_term)
    terms = vectorizer.get_feature_names_out()
    keywords = []
    for c in range(n_classes):
        row = per_class.getrow(c)
        scores = row.data / row.data.sum() * idf[row.indices] if row.nnz else row.data
        names = terms[row.indices]
        order = np.lexsort((names, -scores))[:max_keywords]
        keywords.append(tuple(str(names[i]) for i in order))
    return keywords


# -- residue clustering ------------------------------------------------------------------------


def _agglomerate(vectors: NDArray[np.float32], distance_threshold: float) -> NDArray[np.intp]:
    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=np.intp)
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=distance_threshold,
    )
    return np.asarray(model.fit_predict(vectors), dtype=np.intp)


def _split_by_label(index: NDArray[np.intp], labels: NDArray[np.intp]) -> list[NDArray[np.intp]]:
    """Members of ``index`` grouped by label; each group keeps the order of ``index``."""
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    return [np.asarray(g, dtype=np.intp) for g in np.split(index[order], bounds)]


def _nearest_direction(
    vectors: NDArray[np.float32], centres: NDArray[np.float32]
) -> NDArray[np.intp]:
    """Cell of each row: the centre of highest cosine, in chunks of bounded memory.

    Euclidean assignment would let a centre that averages many scattered rows (short, near the
    origin) swallow them all: on 100,000 noisy rows a few cells held most of them.
    """
    directions = centres / np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
    directions = directions.astype(np.float32)
    step = 8192
    return np.concatenate(
        [
            np.argmax(vectors[i : i + step] @ directions.T, axis=1)
            for i in range(0, len(vectors), step)
        ]
    ).astype(np.intp)


def _micro_groups(
    vectors: NDArray[np.float32],
    index: NDArray[np.intp],
    distance_threshold: float,
    random_state: int,
    depth: int,
) -> list[NDArray[np.intp]]:
    """Cut ``index`` into MiniBatchKMeans cells, then cluster each cell exactly."""
    n_cells = min(math.ceil(len(index) / _CELL_SIZE), _MAX_CELLS)
    # Random init: k-means++ over 1,000 cells costs seconds, and the cells are re-clustered
    # exactly anyway, so their quality matters little.
    # One thread: the same cells on every machine, and faster too; the many small OpenMP
    # steps cost more than they gain (6,000 rows: 0.1 s on one thread, 2.8 s on two).
    with threadpool_limits(limits=1):
        kmeans = MiniBatchKMeans(
            n_clusters=n_cells,
            init="random",
            n_init=1,
            batch_size=4096,
            compute_labels=False,
            random_state=random_state,
        ).fit(vectors[index])
    cells = _nearest_direction(vectors[index], np.asarray(kmeans.cluster_centers_))
    groups: list[NDArray[np.intp]] = []
    for members in _split_by_label(index, cells):
        if len(members) <= MAX_EXACT_RESIDUE:
            chunks = [members]
        elif depth < _MAX_DEPTH and len(members) < len(index):
            groups.extend(
                _micro_groups(vectors, members, distance_threshold, random_state, depth + 1)
            )
            continue
        else:  # a huge cell that k-means cannot split: bounded chunks in id order
            chunks = np.array_split(members, math.ceil(len(members) / MAX_EXACT_RESIDUE))
        for chunk in chunks:
            groups.extend(_split_by_label(chunk, _agglomerate(vectors[chunk], distance_threshold)))
    return groups


def _canonical(labels: NDArray[np.intp]) -> NDArray[np.intp]:
    """Renumber labels 0, 1, ... in order of each cluster's first row."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.intp)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return np.asarray(rank[inverse.ravel()], dtype=np.intp)


def cluster_residue(
    vectors: NDArray[np.float32], distance_threshold: float, random_state: int = 0
) -> NDArray[np.intp]:
    """Cluster unit rows by average-linkage cosine distance.

    Up to ``MAX_EXACT_RESIDUE`` rows, this is scikit-learn's ``AgglomerativeClustering``.
    Above, memory stays linear in the rows:

    1. MiniBatchKMeans (fixed ``random_state``) cuts the rows into micro-clusters of about 40,
       each row going to the centre of highest cosine;
    2. each micro-cluster is clustered exactly;
    3. the sub-clusters of two rows or more (the ``MAX_EXACT_RESIDUE`` largest; the rest stay
       as they are) are merged by average linkage over their normalised centroids;
    4. a row left alone joins the merged cluster of highest mean cosine when its average
       distance to the cluster's rows is below ``distance_threshold`` (the average-linkage
       rule, exact because the rows are unit vectors), so a theme cut by a cell border is
       not lost.

    Parameters
    ----------
    vectors : ndarray of shape (n_rows, dimension)
        Unit rows.

    Returns
    -------
    ndarray of shape (n_rows,)
        Cluster labels ``0, 1, ...`` numbered in order of each cluster's first row.
    """
    n = len(vectors)
    if n <= MAX_EXACT_RESIDUE:
        return _canonical(_agglomerate(vectors, distance_threshold))
    groups = _micro_groups(vectors, np.arange(n), distance_threshold, random_state, depth=0)
    seeds = sorted((g for g in groups if len(g) > 1), key=lambda g: (-len(g), int(g[0])))
    merged, kept = seeds[:MAX_EXACT_RESIDUE], seeds[MAX_EXACT_RESIDUE:]
    alone = np.array([int(g[0]) for g in groups if len(g) == 1], dtype=np.intp)
    labels = np.full(n, -1, dtype=np.intp)
    if merged:
        centroids = np.stack([vectors[g].mean(axis=0) for g in merged])
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
        for group, label in zip(merged, _agglomerate(centroids, distance_threshold), strict=True):
            labels[group] = label
        alone = _attach(vectors, labels, alone, distance_threshold)
    next_label = int(labels.max()) + 1
    for group in [*kept, *(alone[i : i + 1] for i in range(len(alone)))]:
        labels[group] = next_label
        next_label += 1
    return _canonical(labels)


def _attach(
    vectors: NDArray[np.float32],
    labels: NDArray[np.intp],
    alone: NDArray[np.intp],
    distance_threshold: float,
) -> NDArray[np.intp]:
    """Give rows in ``alone`` the label of their closest cluster on average; return the rest."""
    if not len(alone):
        return alone
    members = np.flatnonzero(labels >= 0)
    n_clusters = int(labels.max()) + 1
    indicator = sparse.csr_matrix(
        (np.ones(len(members)), (labels[members], members)), shape=(n_clusters, len(vectors))
    )
    counts = np.bincount(labels[members], minlength=n_clusters)
    # Mean cosine between a row and a cluster's rows = row · (mean of the cluster's rows).
    means = (np.asarray(indicator @ vectors) / counts[:, None]).astype(np.float32)
    step = 8192
    for start in range(0, len(alone), step):
        rows = alone[start : start + step]
        similarity = vectors[rows] @ means.T
        best = np.argmax(similarity, axis=1)
        joins = 1.0 - similarity[np.arange(len(rows)), best] < distance_threshold
        labels[rows[joins]] = best[joins]
    return np.asarray(alone[labels[alone] < 0], dtype=np.intp)


# -- the estimator -----------------------------------------------------------------------------


def _slug(word: str) -> str:
    ascii_only = unicodedata.normalize("NFKD", fold(word)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    return slug[:_MAX_SLUG_CHARS].strip("-") or "thema"


def _shorten(sentence: str) -> str:
    return (
        sentence if len(sentence) <= _MAX_SENTENCE_CHARS else sentence[:_MAX_SENTENCE_CHARS] + "…"
    )


def _dedup_key(text: str) -> str:
    return " ".join(text.split()).casefold()


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
        topic_ids = _check_topics(topic_ids, topic_labels)
        ordered = sorted(entries, key=lambda e: e.entry_id)
        vectors, scores = _check_entries(ordered, len(topic_ids))

        usable, n_boilerplate, n_duplicates = _set_aside(ordered)
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
        if topic_ids:
            best = np.argmax(scores[:, :-1], axis=1)  # ties: the earlier topic in pool order
            best_score = scores[np.arange(len(scores)), best]
            anchored = (best_score >= self.anchor_threshold) & (
                best_score > scores[:, -1] + self.anchor_margin
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
            for members in _split_by_label(residue, labels):
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
        tokens = [_keyword_tokens(e) for e in entries]
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

        # Emerging ids come from the top keyword; collisions are numbered largest first.
        used = {g.topic for g in groups if g.topic is not None} | {OTHER_ID}
        emerging_order = sorted(
            (g for g, group in enumerate(groups) if group.emerging),
            key=lambda g: (
                -_n_participants(entries, groups[g].members),
                -len(groups[g].members),
                entries[int(groups[g].members[0])].entry_id,
            ),
        )
        ids: dict[int, str] = {}
        for g in emerging_order:
            base = EMERGING_PREFIX + (
                _slug(folded_keywords[g][0]) if folded_keywords[g] else "thema"
            )
            candidate, suffix = base, 1
            while candidate in used:
                suffix += 1
                candidate = f"{base}-{suffix}"
            used.add(candidate)
            ids[g] = candidate

        clusters = []
        assignments: dict[str, str] = {}
        for g, group in enumerate(groups):
            keywords = tuple(_display_form(forms[key]) for key in folded_keywords[g])
            n_entries = len(group.members)
            if group.topic is not None:
                cluster_id, label = group.topic, topic_labels[group.topic]
            elif group.emerging:
                cluster_id = ids[g]
                label = ", ".join(keywords[:_LABEL_KEYWORDS]) or "Neues Thema"
            else:
                cluster_id, label = OTHER_ID, f"Sonstiges ({n_entries})"
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


def _n_participants(entries: list[ThemeInput], members: NDArray[np.intp]) -> int:
    return len({entries[i].participant_id for i in members})


def _check_topics(topic_ids: Sequence[str], topic_labels: Mapping[str, str]) -> tuple[str, ...]:
    """Return the topic ids as a tuple after checking them against ``topic_labels``."""
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


def _check_entries(
    entries: list[ThemeInput], n_topics: int
) -> tuple[NDArray[np.float32], NDArray[np.float64]]:
    """Stack vectors and scores, raising ValueError that names the first bad entry."""
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


def _set_aside(entries: list[ThemeInput]) -> tuple[NDArray[np.intp], int, int]:
    """Return indices of usable entries, then the numbers of boilerplate and duplicates.

    Boilerplate is checked first, so ten "keine" count as ten boilerplate answers. Of equal
    texts the earliest (by ``created_at``, then ``entry_id``) is kept.
    """
    boilerplate = {i for i, e in enumerate(entries) if is_boilerplate(e.text)}
    seen: set[str] = set()
    usable = []
    for i in sorted(
        (i for i in range(len(entries)) if i not in boilerplate),
        key=lambda i: (entries[i].created_at, entries[i].entry_id),
    ):
        key = _dedup_key(entries[i].text)
        if key not in seen:
            seen.add(key)
            usable.append(i)
    n_duplicates = len(entries) - len(boilerplate) - len(usable)
    return np.array(sorted(usable), dtype=np.intp), len(boilerplate), n_duplicates


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


def _period(day: date, period: Literal["month", "quarter"]) -> str:
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def themes_over_time(
    result: ThemeClusters,
    entries: Sequence[ThemeInput],
    period: Literal["month", "quarter"] = "month",
) -> list[tuple[str, str, int]]:
    """Count entries per period and cluster.

    Parameters
    ----------
    entries : sequence of ThemeInput
        The entries ``result`` was fitted on (their ``created_at`` dates); entries not in
        ``result.assignments`` (set aside) are skipped.
    period : {"month", "quarter"}, default="month"

    Returns
    -------
    list of (str, str, int)
        (period such as "2026-03" or "2026-Q1", cluster id, number of entries), sorted.

    Raises
    ------
    ValueError
        For another ``period``.
    """
    if period not in ("month", "quarter"):
        raise ValueError(f"Unknown period '{period}'. Available: month, quarter.")
    dates = {e.entry_id: e.created_at for e in entries}
    counts: Counter[tuple[str, str]] = Counter()
    for entry_id, cluster_id in result.assignments.items():
        if entry_id in dates:
            counts[(_period(dates[entry_id], period), cluster_id)] += 1
    return sorted((p, c, n) for (p, c), n in counts.items())
