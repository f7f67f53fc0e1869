"""Faiss search structures by size: exact up to 20,000 rows, above that IVF tuned for recall."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["EXACT_MAX_ROWS", "TARGET_RECALL", "build_search_index"]

# Exact search up to this many rows (about 8M multiply-adds, ~2 ms a query on one core);
# above it an IVF index, whose probe count is tuned on the data to reach TARGET_RECALL.
EXACT_MAX_ROWS = 20_000
TARGET_RECALL = 0.97  # recall@10 against exact search, measured when the index is (re)built
_TUNE_QUERIES = 128
_TUNE_K = 10


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
    import faiss  # loaded by the first peer search, not by every command

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
