"""project_2d(): entry vectors onto a plane for the coordinator's theme map.

PCA, not t-SNE or UMAP: it is exact, costs milliseconds for a programme of a few thousand
entries, and gives the same picture on every machine. Axis signs are fixed (the largest
loading of each axis is positive), so the map does not flip when a solver version changes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from sklearn.decomposition import PCA

__all__ = ["project_2d"]


def project_2d(vectors: NDArray[np.floating]) -> NDArray[np.float64]:
    """Return 2-D coordinates of ``vectors``, one row per input row, in input order.

    Parameters
    ----------
    vectors : ndarray of shape (n, dimension)

    Returns
    -------
    ndarray of shape (n, 2)
        The first two principal components; zeros where there is no spread to show (fewer
        than two rows, or all rows equal), and a zero second axis for rank-one data.

    Raises
    ------
    ValueError
        ``vectors`` is not two-dimensional or holds non-finite values.
    """
    data = np.asarray(vectors, dtype=np.float64)
    if data.ndim != 2:
        raise ValueError(f"vectors must be a 2-D array, got shape {data.shape}.")
    if not np.isfinite(data).all():
        raise ValueError("vectors must be finite.")
    out = np.zeros((len(data), 2), dtype=np.float64)
    centred = data - data.mean(axis=0) if len(data) else data
    if len(data) < 2 or not np.any(np.abs(centred) > 1e-12):
        return out
    n_components = min(2, data.shape[1], len(data) - 1)
    pca = PCA(n_components=n_components, svd_solver="full").fit(data)
    components = pca.components_.copy()
    for row in components:  # deterministic sign: largest absolute loading positive
        if row[np.argmax(np.abs(row))] < 0:
            row *= -1
    out[:, :n_components] = centred @ components.T
    return out
