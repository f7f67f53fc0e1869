"""Suggester: ``TopicSuggester`` fits on a pool, scores texts, names the evidence terms.

It ranks pool topics for a text by combining three signals:

1. a logistic-regression classifier fitted on the pool's example phrases (plus the off-pool
   texts as a "none" class) over the embedding, German character n-grams and lemmas;
2. embedding similarity to each topic's prototypes (its nearest example phrases);
3. the same two on each sentence, so the second topic of a two-topic text ranks well.

"No topic fits" is calibrated, not guessed: ``fit`` runs a cross-validation over the pool and
picks the score threshold that catches the most off-pool texts while calling at most
``max_false_no_fit`` of the pool's own examples "no fit".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

import numpy as np
from numpy.typing import NDArray

from assistant.domain import TopicPool
from assistant.errors import NotFittedError
from assistant.nlp.text import fold
from assistant.scores import PARTIAL_STRENGTH, ScoreRows, null_quantile, null_quantiles

# scikit-learn and scipy load with the first fit or score (or the unpickling of a fit), not at
# import: a command that reads no text should not pay their seconds.
if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

NONE = "__none__"


@dataclass(frozen=True)
class TextFeatures:
    """Inputs the suggester sees for a batch of texts (all the same length)."""

    texts: Sequence[str]
    lemmas: Sequence[str]  # space-joined lemmas per text
    vectors: NDArray[np.float32]  # unit rows

    def __post_init__(self) -> None:
        if not len(self.texts) == len(self.lemmas) == len(self.vectors):
            raise ValueError("texts, lemmas and vectors must have the same length")

    def subset(self, index: NDArray[np.intp]) -> TextFeatures:
        """Rows ``index`` only."""
        return TextFeatures(
            [self.texts[i] for i in index], [self.lemmas[i] for i in index], self.vectors[index]
        )


def pool_training_texts(pool: TopicPool) -> tuple[list[str], list[str]]:
    """Return (texts, labels) from the pool: every example and the off-pool texts as NONE."""
    texts: list[str] = []
    labels: list[str] = []
    for topic in pool.topics:
        for language in ("de", "en"):
            for phrase in topic.examples.get(language, ()):
                texts.append(phrase)
                labels.append(topic.id)
    for language in ("de", "en"):
        for phrase in pool.off_pool.get(language, ()):
            texts.append(phrase)
            labels.append(NONE)
    return texts, labels


class TopicSuggester:
    """Hybrid topic scorer, fitted on a topic pool; scores lie in [0, 1].

    Parameters
    ----------
    C : float, default=10.0
        Inverse regularisation of the classifier.
    embedding_weight : float, default=2.0
        Scale of the embedding block against the unit-norm lexical blocks.
    prototype_k : int, default=3
        Similarity to a topic is the mean of its ``prototype_k`` most similar examples.
    prototype_temperature : float, default=0.05
        Softmax temperature that turns prototype similarities into a distribution.
    max_false_no_fit : float, default=0.05
        Share of the pool's own examples the calibrated threshold may call "no fit".
    cv_folds : int, default=5
    random_state : int, default=0

    Attributes
    ----------
    topic_ids_ : tuple of str
    threshold_ : float
        Calibrated minimum score of the best topic.
    calibration_ : dict
        Out-of-fold figures of the calibration (off-pool recall, false no-fit rate).
    null_ : dict of str to ndarray
        Per topic id, its sorted out-of-fold scores on the training texts of the other topics
        and of "no topic": what the topic scores on unrelated texts, the null against which
        ``strength`` reads a score (``assistant.scores``). The null holds whole-text scores;
        a shown score is lifted towards its best sentence (``combine_scores``), so a
        multi-sentence text reads a little stronger against it than a one-sentence text.
    probability_points_ : tuple of two ndarrays
        The calibration map of ``probability``: increasing scores and the share of listed
        topics with such scores that were right, from an isotonic regression on the pool's
        out-of-fold scores (never on a development set).
    """

    def __init__(
        self,
        C: float = 10.0,
        embedding_weight: float = 2.0,
        prototype_k: int = 3,
        prototype_temperature: float = 0.05,
        max_false_no_fit: float = 0.05,
        cv_folds: int = 5,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.embedding_weight = embedding_weight
        self.prototype_k = prototype_k
        self.prototype_temperature = prototype_temperature
        self.max_false_no_fit = max_false_no_fit
        self.cv_folds = cv_folds
        self.random_state = random_state

    # -- fitting -----------------------------------------------------------------------------

    def fit(self, pool: TopicPool, features: TextFeatures, labels: Sequence[str]) -> Self:
        """Fit on the pool's examples (``labels``: topic id or NONE per row), then calibrate."""
        if len(labels) != len(features.texts):
            raise ValueError("one label per training text is required")
        unknown = set(labels) - set(pool.ids) - {NONE}
        if unknown:
            raise ValueError(f"labels not in the pool: {sorted(unknown)}")
        self.topic_ids_ = pool.ids
        y = np.array([self._class_index(label) for label in labels])

        # Out-of-fold scores of every training text: the calibration set.
        oof = np.zeros((len(y), len(self.topic_ids_) + 1))
        # An adopted topic may have only three examples: no more folds than its rows.
        smallest = int(np.unique(y, return_counts=True)[1].min()) if len(y) else 0
        n_folds = max(2, min(self.cv_folds, smallest))
        from sklearn.model_selection import StratifiedKFold

        folds = StratifiedKFold(n_folds, shuffle=True, random_state=self.random_state)
        for train, test in folds.split(np.zeros(len(y)), y):
            state = self._fit_state(features.subset(train), y[train])
            oof[test] = self._scores_with(state, features.subset(test))
        self.threshold_, self.calibration_ = _calibrate(oof, y, self.max_false_no_fit)
        self.null_ = {
            topic_id: np.sort(oof[y != c, c]) for c, topic_id in enumerate(self.topic_ids_)
        }
        self.probability_points_ = _probability_map(oof, y, self.threshold_, self.null_)

        self._state = self._fit_state(features, y)
        return self

    def _class_index(self, label: str) -> int:
        return len(self.topic_ids_) if label == NONE else self.topic_ids_.index(label)

    def _fit_state(self, features: TextFeatures, y: NDArray[np.int_]) -> _State:
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            preprocessor=fold,
            sublinear_tf=True,
            min_df=1,
            dtype=np.float32,
        )
        lemmas = TfidfVectorizer(
            analyzer="word",
            preprocessor=fold,
            token_pattern=r"(?u)\b\w\w+\b",
            sublinear_tf=True,
            dtype=np.float32,
        )
        char_m = chars.fit_transform(features.texts)
        lemma_m = lemmas.fit_transform(features.lemmas)
        design = sparse.hstack(
            [char_m, lemma_m, sparse.csr_matrix(features.vectors * self.embedding_weight)]
        ).tocsr()
        classifier = LogisticRegression(C=self.C, max_iter=2000)
        classifier.fit(design, y)
        return _State(chars, lemmas, classifier, features.vectors.copy(), y.copy())

    # -- scoring -----------------------------------------------------------------------------

    def _scores_with(self, state: _State, features: TextFeatures) -> NDArray[np.float64]:
        from scipy import sparse

        design = sparse.hstack(
            [
                state.chars.transform(features.texts),
                state.lemmas.transform(features.lemmas),
                sparse.csr_matrix(features.vectors * self.embedding_weight),
            ]
        ).tocsr()
        n_classes = len(self.topic_ids_) + 1
        proba = np.zeros((len(features.texts), n_classes))
        proba[:, state.classifier.classes_] = state.classifier.predict_proba(design)
        proto = self._prototype_scores(state, features.vectors, n_classes)
        return np.asarray((proba + proto) / 2.0)

    def _prototype_scores(
        self, state: _State, vectors: NDArray[np.float32], n_classes: int
    ) -> NDArray[np.float64]:
        return prototype_scores(
            vectors, state.vectors, state.y, n_classes, self.prototype_k, self.prototype_temperature
        )

    def predict_scores(self, features: TextFeatures) -> NDArray[np.float64]:
        """Return scores, shape (n_texts, n_topics + 1); the last column is "no topic".

        Raises
        ------
        NotFittedError
            Before ``fit``.
        """
        return self._scores_with(self._fitted(), features)

    def strength(self, topic_id: str, score: float) -> float:
        """Return the share of unrelated texts on which ``topic_id`` scores below ``score``.

        1.0 for a topic no longer in the pool (a stored suggestion after a pool edit).

        Raises
        ------
        NotFittedError
            Before ``fit``.
        """
        self._fitted()
        null = self.null_.get(topic_id)
        return 1.0 if null is None else null_quantile(null, score)

    def probability(self, score: float) -> float:
        """Return the calibrated probability that a listed topic with ``score`` is right.

        Fitted on the pool only: the out-of-fold scores of the topics the app would list for
        the pool's own texts, against whether each was the text's topic (isotonic, so a higher
        score never gets a lower probability).

        Raises
        ------
        NotFittedError
            Before ``fit``.
        """
        self._fitted()
        x, p = self.probability_points_
        return float(np.interp(score, x, p)) if len(x) else float(score)

    def strengths(self, scores: ScoreRows) -> NDArray[np.float64]:
        """Return ``strength`` of every pool-topic score of ``scores``, shape (n, t).

        ``scores`` must be in this suggester's pool order; a topic without a null gets 1.0.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        ValueError
            ``scores`` has another number of topics than the pool.
        """
        self._fitted()
        return topic_strengths(self.topic_ids_, self.null_, scores)

    def evidence_terms(
        self,
        lemma_texts: Sequence[str],
        topic_ids: Sequence[Sequence[str]],
        k: int = 5,
    ) -> list[dict[str, list[str]]]:
        """For each text, the lemmas that pushed each of its ``topic_ids`` up most.

        All texts go through the lemma vectoriser in one call: one call per text and topic
        cost 2 ms each, a fifth of an import's time around the encoder (``bench/speed.py``).

        Parameters
        ----------
        lemma_texts : sequence of str
            Space-joined lemmas per text.
        topic_ids : sequence of sequence of str
            Per text, the pool topics to explain.
        k : int, default=5
            At most this many terms per topic.

        Returns
        -------
        list of dict
            Per text: topic id → up to ``k`` lemmas with a positive classifier weight in the
            text, highest first, as the vectoriser spells them (folded).

        Raises
        ------
        NotFittedError
            Before ``fit``.
        """
        state = self._fitted()
        rows = state.lemmas.transform(list(lemma_texts)).tocsr()
        offset = len(state.chars.vocabulary_)
        n_lemmas = len(state.lemmas.vocabulary_)
        names = state.lemma_names()
        position = {int(c): i for i, c in enumerate(state.classifier.classes_)}
        out: list[dict[str, list[str]]] = []
        for n, wanted in enumerate(topic_ids):
            row = rows.getrow(n)
            terms: dict[str, list[str]] = {}
            for topic_id in wanted:
                pos = position.get(self.topic_ids_.index(topic_id), -1)
                if row.nnz == 0 or pos < 0:
                    terms[topic_id] = []
                    continue
                coef = state.classifier.coef_[pos, offset : offset + n_lemmas]
                weights = row.data * coef[row.indices]
                order = np.argsort(-weights, kind="stable")[:k]
                terms[topic_id] = [str(names[row.indices[j]]) for j in order if weights[j] > 0]
            out.append(terms)
        return out

    def _fitted(self) -> _State:
        """Return the state learned by ``fit``; raise ``NotFittedError`` before it."""
        try:
            return self._state
        except AttributeError:
            raise NotFittedError(
                "TopicSuggester is not fitted: call fit(pool, ...) first."
            ) from None


@dataclass
class _State:
    chars: TfidfVectorizer
    lemmas: TfidfVectorizer
    classifier: LogisticRegression
    vectors: NDArray[np.float32]
    y: NDArray[np.int_]

    def lemma_names(self) -> NDArray[np.str_]:
        """Return the lemma features' names, sorted once (scikit-learn sorts on every call)."""
        names = self.__dict__.get("_lemma_names")
        if names is None:
            names = self.__dict__["_lemma_names"] = self.lemmas.get_feature_names_out()
        return np.asarray(names)


def prototype_scores(
    vectors: NDArray[np.float32],
    train_vectors: NDArray[np.float32],
    train_y: NDArray[np.int_],
    n_classes: int,
    k: int,
    temperature: float,
) -> NDArray[np.float64]:
    """Softmax over classes of each row's mean similarity to the class's ``k`` nearest examples.

    Returns
    -------
    ndarray of shape (len(vectors), n_classes)
    """
    sims = vectors @ train_vectors.T  # (n, n_train)
    per_class = np.full((len(vectors), n_classes), -1.0)
    for c in range(n_classes):
        cols = sims[:, train_y == c]
        if cols.shape[1] == 0:
            continue
        top = min(k, cols.shape[1])
        per_class[:, c] = np.sort(cols, axis=1)[:, -top:].mean(axis=1)
    logits = per_class / temperature
    logits -= logits.max(axis=1, keepdims=True)
    weights = np.exp(logits)
    return np.asarray(weights / weights.sum(axis=1, keepdims=True))


def _calibrate(
    scores: NDArray[np.float64], y: NDArray[np.int_], max_false_no_fit: float
) -> tuple[float, dict[str, float]]:
    """Pick the threshold with the best off-pool recall within the false no-fit budget."""
    rows = ScoreRows(scores)
    none = y == rows.n_topics  # the "no topic" class comes after the pool's topics
    best = (0.0, {"off_pool_recall": 0.0, "false_no_fit": 0.0})
    for threshold in np.round(np.arange(0.0, 0.9, 0.01), 2):
        flagged = rows.no_fit(float(threshold))
        false_rate = float(flagged[~none].mean()) if (~none).any() else 0.0
        recall = float(flagged[none].mean()) if none.any() else 0.0
        if false_rate <= max_false_no_fit and recall >= best[1]["off_pool_recall"]:
            best = (float(threshold), {"off_pool_recall": recall, "false_no_fit": false_rate})
    return best


def _probability_map(
    oof: NDArray[np.float64],
    y: NDArray[np.int_],
    threshold: float,
    null: dict[str, NDArray[np.float64]],
    k: int = 3,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Isotonic map from a listed topic's score to how often such a topic was right (pool OOF).

    A topic counts as listed by the app's rule: among the ``k`` best, fitting (threshold and
    second ratio) and with a strength of at least ``PARTIAL_STRENGTH`` against its null.
    """
    from sklearn.isotonic import IsotonicRegression

    rows = ScoreRows(oof)
    topic_ids = list(null)
    ranked = rows.ranked()[:, :k]
    scores, right = [], []
    for i, fitting in enumerate(rows.fitting_topics(threshold)):
        listed = set(fitting.tolist()) & set(ranked[i].tolist())
        for c in sorted(listed):
            score = float(rows.topics[i, c])
            if null_quantile(null[topic_ids[c]], score) >= PARTIAL_STRENGTH:
                scores.append(score)
                right.append(float(y[i] == c))
    if len(set(right)) < 2:  # nothing to learn from: the score stands for itself
        return np.empty(0), np.empty(0)
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(scores, right)
    return (
        np.asarray(iso.X_thresholds_, dtype=np.float64),
        np.asarray(iso.y_thresholds_, dtype=np.float64),
    )


def topic_strengths(
    topic_ids: Sequence[str], null: Mapping[str, NDArray[np.float64]], scores: ScoreRows
) -> NDArray[np.float64]:
    """Return each pool-topic score's share of unrelated texts scoring below it, shape (n, t).

    Shared by ``TopicSuggester`` and the ``FrozenSuggester`` read back from its cached fit.
    """
    if scores.n_topics != len(topic_ids):
        raise ValueError(f"scores have {scores.n_topics} topics, the pool {len(topic_ids)}.")
    out = np.ones_like(scores.topics)
    for c, topic_id in enumerate(topic_ids):
        found = null.get(topic_id)
        if found is not None:
            out[:, c] = null_quantiles(found, scores.topics[:, c])
    return out
