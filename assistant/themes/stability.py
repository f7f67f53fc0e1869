"""Stable themes: an emerging theme keeps its id and label when it survives a recomputation.

After an import the clusters are computed anew; a theme whose members are mostly the same as
before must not be renamed (coordinators refer to it, and its colour follows its label). Old
and new emerging clusters are paired one to one by the Hungarian method on the Jaccard
similarity of their entry ids; a pair at or above ``min_jaccard`` keeps the old id and label.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from assistant.nlp.text import fold
from assistant.themes.model import OTHER_ID, ThemeCluster, ThemeClusters

__all__ = ["PreviousTheme", "carry_over_labels"]

MIN_JACCARD = 0.5


@dataclass(frozen=True)
class PreviousTheme:
    """An emerging theme of the previous run: its id, label and entry ids."""

    id: str
    label: str
    entry_ids: frozenset[str]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def carry_over_labels(
    result: ThemeClusters,
    previous: Sequence[PreviousTheme],
    min_jaccard: float = MIN_JACCARD,
    *,
    texts: Mapping[str, str] | None = None,
) -> ThemeClusters:
    """Return ``result`` with the ids and labels of the previous themes it continues.

    Parameters
    ----------
    result : ThemeClusters
        The new clusters, with entry ids.
    previous : sequence of PreviousTheme
        The emerging themes of the previous run.
    min_jaccard : float, default=0.5
        Least Jaccard similarity of entry ids for a new theme to continue an old one.
    texts : mapping of str to str, optional
        Entry id to masked text. When given, an old label is kept only while each of its words
        still occurs in the new theme's texts: a name made of the words of people who have
        withdrawn from the analysis since goes with them.

    Returns
    -------
    ThemeClusters
        Matched emerging clusters carry the old id and label; an unmatched one whose id an
        old theme now holds is numbered on ("-2", "-3" …). Assignments follow the ids.
        Clusters are in the clusterer's order (largest first, ties by id, "other" last).
    """
    emerging = [i for i, c in enumerate(result.clusters) if c.emerging]
    if not emerging or not previous:
        return result
    similarity = np.array(
        [
            [_jaccard(frozenset(result.clusters[i].entry_ids), old.entry_ids) for old in previous]
            for i in emerging
        ]
    )
    from scipy.optimize import linear_sum_assignment  # loaded by a theme run only

    rows, cols = linear_sum_assignment(-similarity)
    renamed: dict[int, PreviousTheme] = {
        emerging[r]: previous[c]
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
        if similarity[r, c] >= min_jaccard
        and (texts is None or _still_said(previous[c].label, result.clusters[emerging[r]], texts))
    }
    if not renamed:
        return result
    taken = {c.id for c in result.clusters if not c.emerging}
    taken |= {old.id for old in renamed.values()}
    labels = {old.label for old in renamed.values()}
    new_ids: dict[str, str] = {}
    clusters = []
    for i, cluster in enumerate(result.clusters):
        if i in renamed:
            old = renamed[i]
            new_ids[cluster.id] = old.id
            clusters.append(replace(cluster, id=old.id, label=old.label))
        elif cluster.emerging:
            candidate, suffix = cluster.id, 1
            while candidate in taken:
                suffix += 1
                candidate = f"{cluster.id}-{suffix}"
            taken.add(candidate)
            new_ids[cluster.id] = candidate
            label = cluster.label
            if label in labels:  # a continued theme holds the name: number this one
                label = f"{label} ({suffix if suffix > 1 else 2})"
            clusters.append(replace(cluster, id=candidate, label=label))
        else:
            clusters.append(cluster)
    clusters.sort(key=lambda c: (c.id == OTHER_ID, -c.size, c.id))  # the clusterer's order
    return replace(
        result,
        clusters=tuple(clusters),
        assignments=_renamed(result.assignments, new_ids),
    )


def _still_said(label: str, cluster: ThemeCluster, texts: Mapping[str, str]) -> bool:
    """Whether every word of ``label`` occurs in the texts of the cluster's entries."""
    said = " ".join(fold(texts.get(e, "")) for e in cluster.entry_ids)
    words = re.findall(r"[^\W\d_]+", fold(label))
    return bool(words) and all(re.search(r"(?<!\w)" + re.escape(w), said) for w in words)


def _renamed(assignments: Mapping[str, str], new_ids: Mapping[str, str]) -> dict[str, str]:
    return {e: new_ids.get(c, c) for e, c in sorted(assignments.items())}
