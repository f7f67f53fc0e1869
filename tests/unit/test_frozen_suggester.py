"""FrozenSuggester scores like the TopicSuggester it was copied from, without scikit-learn.

A fresh process reads the frozen form of a cached fit instead of unpickling the fit (which
imports scikit-learn and scipy, 1.4 to 1.8 s): its scores, strengths and evidence terms must
be the suggester's, up to float rounding, and it must never outlive its fit.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from assistant.nlp.embed import HashingEmbedder
from assistant.topics.analyser import TopicAnalyzer
from assistant.topics.fitting import SuggesterFit, fit_suggester
from assistant.topics.frozen import FrozenSuggester
from assistant.topics.suggester import TextFeatures, TopicSuggester

TEXTS = [
    "Ich möchte lernen, Konflikte im Team zu lösen.",
    "Unser Amt soll auf Instagram sichtbarer werden, mit mehr Follower und Posts.",
    "Wie baue ich mein Netzwerk auf?  Und    wie  halte ich es?",
    "I want to write better posts for LinkedIn.",
    "Xylophon",  # nothing of the vocabulary
    "Straße, Größe – Übergänge; ÄÖÜ äöü ß",
]


@pytest.fixture(scope="module")
def fitted(mini_pool, preprocessor):
    return fit_suggester(mini_pool, HashingEmbedder(64), preprocessor, None)


def _features(texts, preprocessor):
    processed = preprocessor.process_many(texts)
    return TextFeatures(
        [p.text for p in processed],
        [" ".join(p.lemmas) for p in processed],
        HashingEmbedder(64).encode(texts),
    )


def test_frozen_scores_match_the_suggester(fitted, preprocessor):
    assert isinstance(fitted, TopicSuggester)
    frozen = pickle.loads(pickle.dumps(FrozenSuggester.of(fitted)))
    features = _features(TEXTS, preprocessor)
    # scikit-learn keeps a float32 fit's coefficients and products in float32 (differences of
    # about 1e-7); the frozen form sums in float64. Thresholds step by 0.01.
    np.testing.assert_allclose(
        frozen.predict_scores(features), fitted.predict_scores(features), rtol=0, atol=1e-6
    )
    assert (frozen.threshold_, frozen.calibration_) == (fitted.threshold_, fitted.calibration_)


def test_frozen_evidence_terms_and_strength_match_the_suggester(fitted, preprocessor):
    frozen = FrozenSuggester.of(fitted)
    lemmas = [" ".join(p.lemmas) for p in preprocessor.process_many(TEXTS)]
    wanted = [list(fitted.topic_ids_)] * len(TEXTS)
    assert frozen.evidence_terms(lemmas, wanted) == fitted.evidence_terms(lemmas, wanted)
    assert any(any(terms.values()) for terms in frozen.evidence_terms(lemmas, wanted))
    for topic_id in fitted.topic_ids_:
        for score in (0.0, 0.2, 0.5, 0.9):
            assert frozen.strength(topic_id, score) == fitted.strength(topic_id, score)
    assert frozen.strength("gone", 0.5) == 1.0


def test_a_later_process_scores_with_the_frozen_form(tmp_path, mini_pool, preprocessor):
    embedder = HashingEmbedder(64)
    first = SuggesterFit(mini_pool, embedder, preprocessor, tmp_path).load()
    assert isinstance(first, TopicSuggester)  # fitted now
    assert len(list(tmp_path.glob("suggester-*.frozen.pickle"))) == 1
    later = SuggesterFit(mini_pool, embedder, preprocessor, tmp_path).load()
    assert isinstance(later, FrozenSuggester)
    analyzer = TopicAnalyzer(mini_pool, embedder, preprocessor, later)
    reference = TopicAnalyzer(mini_pool, embedder, preprocessor, first)
    for text in TEXTS[:4]:
        got, want = analyzer.suggest(text), reference.suggest(text)
        assert got == want


def test_a_frozen_form_without_its_fit_is_not_used(tmp_path, mini_pool, preprocessor):
    """Erasing a fit (its glob ``suggester-*``) also takes what scores with it."""
    embedder = HashingEmbedder(64)
    SuggesterFit(mini_pool, embedder, preprocessor, tmp_path).load()
    for fit in tmp_path.glob("suggester-*.joblib"):
        fit.unlink()
    assert isinstance(
        SuggesterFit(mini_pool, embedder, preprocessor, tmp_path).load(), TopicSuggester
    )


def test_a_corrupt_frozen_form_is_ignored_and_rewritten(tmp_path, mini_pool, preprocessor):
    embedder = HashingEmbedder(64)
    SuggesterFit(mini_pool, embedder, preprocessor, tmp_path).load()
    (frozen,) = tmp_path.glob("suggester-*.frozen.pickle")
    frozen.write_bytes(b"truncated")
    assert isinstance(
        SuggesterFit(mini_pool, embedder, preprocessor, tmp_path).load(), TopicSuggester
    )
    assert isinstance(
        SuggesterFit(mini_pool, embedder, preprocessor, tmp_path).load(), FrozenSuggester
    )


def test_frozen_strengths_and_probabilities_match_the_suggester(fitted):
    """The peer profiles read ``strengths``, the cards ``probability`` (issue #17)."""
    from assistant.scores import ScoreRows

    frozen = FrozenSuggester.of(fitted)
    rng = np.random.default_rng(7)
    rows = rng.dirichlet(np.ones(len(fitted.topic_ids_) + 1), size=6)
    scores = ScoreRows(rows)
    np.testing.assert_array_equal(frozen.strengths(scores), fitted.strengths(scores))
    for score in (0.0, 0.1, 0.3, 0.6, 0.95):
        assert frozen.probability(score) == fitted.probability(score)
