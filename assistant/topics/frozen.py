"""FrozenSuggester: a fitted TopicSuggester in plain arrays, scoring without scikit-learn.

The first suggestion of a fresh process spent 1.4 to 1.8 s importing scikit-learn and scipy
only to unpickle the fit's two tf-idf vectorisers and its logistic regression. What scoring
needs of them is small: each vectoriser's vocabulary and idf weights (the analyzers are the
two configurations ``TopicSuggester`` fits: German character n-grams within word bounds, and
words), and the classifier's coefficients. ``FrozenSuggester.of`` copies them out of a fitted
suggester; ``topics.fitting`` pickles the result beside the fit, and a later process loads it
with numpy alone. Scores agree with the suggester's to float rounding (scikit-learn multiplies
a float32 fit in float32, this class in float64: differences of about 1e-7,
``tests/unit/test_frozen_suggester.py``); fitting still needs the real one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from assistant.scores import ScoreRows, null_quantile
from assistant.topics.suggester import (
    TextFeatures,
    TopicSuggester,
    prototype_scores,
    topic_strengths,
)

__all__ = ["FrozenSuggester"]

_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's, for char_wb


class _Tfidf:
    """A fitted ``TfidfVectorizer`` of the suggester: vocabulary and idf, l2-normalised rows."""

    def __init__(self, vectorizer: Any) -> None:
        self.analyzer: str = vectorizer.analyzer
        self.ngram_range: tuple[int, int] = tuple(vectorizer.ngram_range)
        self.preprocessor: Callable[[str], str] = vectorizer.preprocessor
        self.token_pattern: str = vectorizer.token_pattern
        self.sublinear_tf: bool = bool(vectorizer.sublinear_tf)
        self.vocabulary: dict[str, int] = {
            str(k): int(v) for k, v in vectorizer.vocabulary_.items()
        }
        self.idf: NDArray[np.float32] = np.asarray(vectorizer.idf_)
        if (
            self.analyzer not in ("char_wb", "word")
            or vectorizer.norm != "l2"
            or not vectorizer.use_idf
            or vectorizer.stop_words is not None
            or (self.analyzer == "word" and self.ngram_range != (1, 1))
            or vectorizer.binary
        ):  # TopicSuggester._fit_state makes only these two kinds
            raise ValueError("FrozenSuggester supports the suggester's own vectorisers only")
        self.names = np.empty(len(self.vocabulary), dtype=object)
        for term, column in self.vocabulary.items():
            self.names[column] = term

    def __len__(self) -> int:
        return len(self.vocabulary)

    def _terms(self, doc: str) -> list[str]:
        doc = self.preprocessor(doc)
        if self.analyzer == "word":
            return list(re.findall(self.token_pattern, doc))
        low, high = self.ngram_range
        grams: list[str] = []
        for word in _WHITE_SPACES.sub(" ", doc).split():
            word = f" {word} "
            for n in range(low, high + 1):
                offset = 0
                grams.append(word[offset : offset + n])
                while offset + n < len(word):
                    offset += 1
                    grams.append(word[offset : offset + n])
                if offset == 0:  # a short word counts once
                    break
        return grams

    def rows(self, docs: Sequence[str]) -> list[tuple[NDArray[np.intp], NDArray[np.float32]]]:
        """Per document: its columns (ascending) and tf-idf values, as ``transform`` gives."""
        out = []
        for doc in docs:
            counts = Counter(
                c for t in self._terms(doc) if (c := self.vocabulary.get(t)) is not None
            )
            columns = np.array(sorted(counts), dtype=np.intp)
            values = np.array([counts[c] for c in columns], dtype=np.float32)
            if self.sublinear_tf:
                values = np.log(values) + np.float32(1.0)
            values = values * self.idf[columns]
            if len(values):
                # scikit-learn's l2 norm adds the squares one by one in float32: so do we.
                norm = np.sqrt(np.add.accumulate(values * values, dtype=np.float32)[-1])
                if norm > 0:
                    values = values / norm
            out.append((columns, values.astype(np.float32)))
        return out


class FrozenSuggester:
    """What scoring needs of a fitted ``TopicSuggester``, in numpy arrays; see the module.

    Offers the fitted suggester's reading surface: ``topic_ids_``, ``threshold_``,
    ``calibration_``, ``null_``, ``predict_scores``, ``strength``, ``probability``,
    ``evidence_terms``.
    """

    def __init__(self, suggester: TopicSuggester) -> None:
        state = suggester._fitted()
        self.topic_ids_ = suggester.topic_ids_
        self.threshold_ = suggester.threshold_
        self.calibration_ = dict(suggester.calibration_)
        self.null_ = dict(suggester.null_)
        self.probability_points_ = suggester.probability_points_
        self.embedding_weight = suggester.embedding_weight
        self.prototype_k = suggester.prototype_k
        self.prototype_temperature = suggester.prototype_temperature
        self._chars = _Tfidf(state.chars)
        self._lemmas = _Tfidf(state.lemmas)
        self._coef = np.asarray(state.classifier.coef_, dtype=np.float64)
        self._intercept = np.asarray(state.classifier.intercept_, dtype=np.float64)
        self._classes = np.asarray(state.classifier.classes_)
        self._vectors = state.vectors
        self._y = state.y

    @classmethod
    def of(cls, suggester: TopicSuggester) -> FrozenSuggester:
        """Copy what scoring needs out of a fitted suggester."""
        return cls(suggester)

    def _decision(self, features: TextFeatures) -> NDArray[np.float64]:
        n_chars, n_lemmas = len(self._chars), len(self._lemmas)
        dense = self._coef[:, n_chars + n_lemmas :]
        embedded = np.asarray(features.vectors * self.embedding_weight, dtype=np.float32)
        out = embedded.astype(np.float64) @ dense.T + self._intercept
        for n, ((c_cols, c_vals), (l_cols, l_vals)) in enumerate(
            zip(
                self._chars.rows(features.texts),
                self._lemmas.rows(features.lemmas),
                strict=True,
            )
        ):
            out[n] += self._coef[:, c_cols] @ c_vals.astype(np.float64)
            out[n] += self._coef[:, n_chars + l_cols] @ l_vals.astype(np.float64)
        return out

    def predict_scores(self, features: TextFeatures) -> NDArray[np.float64]:
        """Return scores, shape (n_texts, n_topics + 1), as ``TopicSuggester.predict_scores``."""
        n_classes = len(self.topic_ids_) + 1
        decision = self._decision(features)
        if len(self._classes) <= 2:  # scikit-learn's binary case: one logistic column
            positive = 1.0 / (1.0 + np.exp(-decision[:, 0]))
            proba_known = np.stack([1.0 - positive, positive], axis=1)
        else:
            shifted = np.exp(decision - decision.max(axis=1, keepdims=True))
            proba_known = shifted / shifted.sum(axis=1, keepdims=True)
        proba = np.zeros((len(features.texts), n_classes))
        proba[:, self._classes] = proba_known
        proto = prototype_scores(
            features.vectors,
            self._vectors,
            self._y,
            n_classes,
            self.prototype_k,
            self.prototype_temperature,
        )
        return np.asarray((proba + proto) / 2.0)

    def strength(self, topic_id: str, score: float) -> float:
        """Return the share of unrelated texts on which ``topic_id`` scores below ``score``."""
        null = self.null_.get(topic_id)
        return 1.0 if null is None else null_quantile(null, score)

    def strengths(self, scores: ScoreRows) -> NDArray[np.float64]:
        """Return ``strength`` of every pool-topic score of ``scores``, shape (n, t)."""
        return topic_strengths(self.topic_ids_, self.null_, scores)

    def probability(self, score: float) -> float:
        """Return the calibrated probability that a listed topic with ``score`` is right."""
        x, p = self.probability_points_
        return float(np.interp(score, x, p)) if len(x) else float(score)

    def evidence_terms(
        self,
        lemma_texts: Sequence[str],
        topic_ids: Sequence[Sequence[str]],
        k: int = 5,
    ) -> list[dict[str, list[str]]]:
        """For each text, the lemmas that pushed each of its ``topic_ids`` up most.

        As ``TopicSuggester.evidence_terms``: positive weights only, highest first, ties in
        column order.
        """
        offset = len(self._chars)
        position = {int(c): i for i, c in enumerate(self._classes)}
        out: list[dict[str, list[str]]] = []
        for (columns, values), wanted in zip(
            self._lemmas.rows(list(lemma_texts)), topic_ids, strict=False
        ):
            terms: dict[str, list[str]] = {}
            for topic_id in wanted:
                pos = position.get(self.topic_ids_.index(topic_id), -1)
                if len(columns) == 0 or pos < 0:
                    terms[topic_id] = []
                    continue
                weights = values * self._coef[pos, offset + columns]
                order = np.argsort(-weights, kind="stable")[:k]
                terms[topic_id] = [
                    str(self._lemmas.names[columns[j]]) for j in order if weights[j] > 0
                ]
            out.append(terms)
        return out
