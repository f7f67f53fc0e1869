"""Residue clustering: average-linkage cosine, exact up to 4,000 rows, micro-clusters above.

Programmes are small (20 to 300 participants), too small for density clustering à la BERTopic,
which would leave most texts as outliers; entries that fit no pool topic (the *residue*) are
clustered by average-linkage cosine instead, to find *emerging* themes.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["MAX_EXACT_RESIDUE", "cluster_residue", "split_by_label"]

# Above this many residue entries, exact average linkage (O(n²) memory: 4,000 rows are 64 MB of
# distances) gives way to micro-clusters; see ``cluster_residue``.
MAX_EXACT_RESIDUE = 4000
_CELL_SIZE = 40  # target entries per MiniBatchKMeans micro-cluster
_MAX_CELLS = 1000  # 100,000 entries: 1,000 cells of ~100, each clustered exactly in milliseconds
_MAX_DEPTH = 2  # re-split an oversized micro-cluster at most this often, then cut it in chunks


def _agglomerate(vectors: NDArray[np.float32], distance_threshold: float) -> NDArray[np.intp]:
    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=np.intp)
    # scikit-learn takes seconds to import: only a theme run loads it, not every command.
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=distance_threshold,
    )
    return np.asarray(model.fit_predict(vectors), dtype=np.intp)


def split_by_label(index: NDArray[np.intp], labels: NDArray[np.intp]) -> list[NDArray[np.intp]]:
    """Return the members of ``index`` grouped by label, each group in the order of ``index``."""
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
    from sklearn.cluster import MiniBatchKMeans
    from threadpoolctl import threadpool_limits

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
    for members in split_by_label(index, cells):
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
            groups.extend(split_by_label(chunk, _agglomerate(vectors[chunk], distance_threshold)))
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
    from scipy import sparse

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
