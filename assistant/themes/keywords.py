"""Cluster keywords: class-based TF-IDF over lemmas, without stop and filler words; id slugs.

Each cluster gets keywords from a class-based TF-IDF over its entries' lemmas (BERTopic's
``ClassTfidfTransformer`` idea in a few lines). The forms of one word count as one term
(``assistant.nlp.keyterms.term_key``) and are shown in their most frequent form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from assistant.nlp.keyterms import display_form, key_term_pairs
from assistant.nlp.text import fold
from assistant.themes.model import ThemeInput

__all__ = ["class_tfidf_keywords", "display_form", "keyword_tokens", "slug"]

_MAX_SLUG_CHARS = 40


def keyword_tokens(entry: ThemeInput) -> list[tuple[str, str]]:
    """Return (group key, lemma) pairs of the entry's lemmas that may become keywords.

    The rule is ``key_term_pairs``, the one the suggestion evidence uses too: no stop or
    filler words, no numbers, no masked words, forms of one word under one key.
    """
    return key_term_pairs(entry.lemmas, entry.text)


def slug(word: str) -> str:
    """ASCII id part from a keyword: "Barrierefreiheit" → "barrierefreiheit"; "thema" if empty."""
    ascii_only = unicodedata.normalize("NFKD", fold(word)).encode("ascii", "ignore").decode()
    slugged = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    return slugged[:_MAX_SLUG_CHARS].strip("-") or "thema"


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
    from scipy import sparse  # scikit-learn takes seconds to import: a theme run loads it
    from sklearn.feature_extraction.text import CountVectorizer

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
