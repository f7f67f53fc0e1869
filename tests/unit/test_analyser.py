"""TopicAnalyzer: what callers ask of it instead of reaching into its stages."""

import pytest

from assistant.nlp.cache import CachedEmbedder, EmbeddingCache
from assistant.nlp.embed import HashingEmbedder
from assistant.policy import operator
from assistant.topics.analyser import TopicAnalyzer

TWO_SENTENCES = "Unser Team streitet oft. Ich möchte Konflikte lösen."


@pytest.fixture
def analyser(hashing_assistant):
    return hashing_assistant._analyzer


@pytest.fixture
def cached_analyser(hashing_assistant, tmp_path):
    """The same stages, with the embedder behind an on-disk cache."""
    base = hashing_assistant._analyzer
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    embedder = CachedEmbedder(HashingEmbedder(512), cache)
    return TopicAnalyzer(base.pool, embedder, base.preprocessor, base.suggester), cache


def test_analyser_model_id_is_the_embedders(analyser):
    assert analyser.model_id == "hashing-char-3-5-512" == analyser.embedder.model_id


def test_analyser_threshold_is_the_calibrated_one(analyser):
    assert isinstance(analyser.threshold, float)
    assert analyser.threshold == analyser.suggester.threshold_
    assert 0.0 <= analyser.threshold < 1.0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", {"social_media": "Social Media", "conflict": "Konflikte"}),
        ("en", {"social_media": "Social media", "conflict": "Conflict"}),
        ("fr", {"social_media": "Social Media", "conflict": "Konflikte"}),  # German fallback
    ],
)
def test_analyser_labels_by_topic_id_in_pool_order(analyser, language, expected):
    labels = analyser.labels(language)
    assert list(labels) == list(analyser.pool.ids)
    assert {k: labels[k] for k in expected} == expected


def test_analyser_labels_default_to_german(analyser):
    assert analyser.labels() == analyser.labels("de")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TWO_SENTENCES, ("Unser Team streitet oft.", "Ich möchte Konflikte lösen.")),
        ("Mehr Follower auf Instagram", ("Mehr Follower auf Instagram",)),
        ("   ", ("   ",)),
        ("", ("",)),
    ],
)
def test_analyser_sentences_split_a_text_and_keep_a_blank_one(analyser, text, expected):
    assert analyser.sentences(text) == expected


def test_analyser_forget_drops_every_key_a_text_was_cached_under(cached_analyser):
    analyser, cache = cached_analyser
    sentences = analyser.sentences(TWO_SENTENCES)
    analyser.analyse([TWO_SENTENCES])  # the text read in context, under its joined sentences
    analyser.embedder.encode([TWO_SENTENCES, *sentences, "Mehr Follower auf Instagram"])
    assert len(cache) == 5
    assert analyser.forget([TWO_SENTENCES]) == 4
    assert len(cache) == 1  # the other text stays
    assert analyser.forget([TWO_SENTENCES]) == 0


def test_analyser_forget_without_a_cache_or_texts_is_zero(analyser, cached_analyser):
    assert analyser.forget([TWO_SENTENCES]) == 0
    assert cached_analyser[0].forget([]) == 0


def test_analyser_describe_names_embedder_and_calibration(analyser):
    described = analyser.describe()
    assert described["embedder"] == {
        "kind": "hashing",
        "model_id": "hashing-char-3-5-512",
        "dimension": 512,
    }
    assert described["suggester"] == {
        "threshold": analyser.suggester.threshold_,
        **analyser.suggester.calibration_,
    }
    assert set(described["suggester"]) == {"threshold", "off_pool_recall", "false_no_fit"}


def test_analyser_describe_matches_the_assistants_info(hashing_assistant):
    info = hashing_assistant.info(operator("cli:test"))
    described = hashing_assistant._analyzer.describe()
    assert described == {key: info[key] for key in ("embedder", "suggester")}
