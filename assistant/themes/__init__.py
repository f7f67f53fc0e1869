"""Themes of a programme: ThemeClusterer (fit, labels_, result_) → ThemeClusters, and over time.

Modules, top to bottom: ``clusterer`` (the estimator), ``residue`` (clustering what fits no pool
topic), ``keywords`` (c-TF-IDF over ``nlp.keyterms``), ``labels`` (key phrases), ``stability``
(names kept across recomputations), ``boilerplate`` (answers set aside), ``checks`` (input
validation), ``over_time`` (counts per period), ``model`` (the dataclasses).
"""

from assistant.themes.boilerplate import is_boilerplate
from assistant.themes.clusterer import ThemeClusterer
from assistant.themes.keywords import class_tfidf_keywords
from assistant.themes.model import (
    EMERGING_PREFIX,
    OTHER_ID,
    ThemeCluster,
    ThemeClusters,
    ThemeInput,
)
from assistant.themes.over_time import PERIODS, themes_over_time
from assistant.themes.residue import MAX_EXACT_RESIDUE, cluster_residue
from assistant.themes.stability import PreviousTheme, carry_over_labels

__all__ = [
    "EMERGING_PREFIX",
    "MAX_EXACT_RESIDUE",
    "OTHER_ID",
    "PERIODS",
    "PreviousTheme",
    "ThemeCluster",
    "ThemeClusterer",
    "ThemeClusters",
    "ThemeInput",
    "carry_over_labels",
    "class_tfidf_keywords",
    "cluster_residue",
    "is_boilerplate",
    "themes_over_time",
]
