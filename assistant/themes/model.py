"""Theme data: ThemeInput in, ThemeCluster and ThemeClusters out, and the reserved cluster ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

__all__ = ["EMERGING_PREFIX", "OTHER_ID", "ThemeCluster", "ThemeClusters", "ThemeInput"]

OTHER_ID = "other"
EMERGING_PREFIX = "emerging-"


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
        The pool topic label, a key phrase of the cluster's own words (``theme_label``; kept
        across re-imports, ``carry_over_labels``), or "Sonstiges (n)" with ``n`` the number
        of entries.
    keywords : tuple of str
        Up to ``max_keywords`` by class-based TF-IDF, one form per word, no filler words.
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
