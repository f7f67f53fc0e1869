import numpy as np
import pytest

from assistant.errors import InvalidEntryError, NotFittedError
from assistant.topics.ranking import combine_scores, matching_keywords
from assistant.topics.suggester import NONE, TextFeatures, TopicSuggester, pool_training_texts


def test_pool_training_texts_labels_off_pool_as_none(mini_pool):
    texts, labels = pool_training_texts(mini_pool)
    assert len(texts) == 3 * 20 + 8
    assert labels.count(NONE) == 8 and labels.count("conflict") == 20


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Ich will mehr Follower auf Instagram für unser Amt.", "social_media"),
        ("Streit mit meinem Kollegen eskaliert ständig.", "conflict"),
        ("Wie vereinbare ich Teilzeit und Kinder?", "work_life_balance"),
        ("I want to write better LinkedIn posts", "social_media"),
        ("Ich moechte Konflickte im Team ansprechen", "conflict"),  # typo and ae/oe
    ],
)
def test_suggest_ranks_obvious_topic_first(hashing_assistant, text, topic):
    result = hashing_assistant.suggest(None, text)
    assert not result.no_fit
    assert result.topics[0].topic_id == topic
    assert all(0.0 <= s.score <= 1.0 for s in result.topics)
    assert [s.score for s in result.topics] == sorted(
        (s.score for s in result.topics), reverse=True
    )


def test_suggest_evidence_comes_from_the_text(hashing_assistant):
    text = "Unser Team streitet oft. Ich möchte den Streit schlichten und Konflikte lösen."
    top = hashing_assistant.suggest(None, text).topics[0]
    assert top.topic_id == "conflict"
    assert top.evidence and all(sentence in text for sentence in top.evidence)
    assert "Streit" in top.keywords


def test_suggest_respects_k(hashing_assistant):
    text = "Streit im Team. Mehr Follower auf Instagram. Teilzeit und Familie vereinbaren."
    assert len(hashing_assistant.suggest(None, text, k=1).topics) <= 1


def test_suggest_rejects_invalid_text_with_typed_error(hashing_assistant):
    with pytest.raises(InvalidEntryError) as info:
        hashing_assistant.suggest(None, "   ")
    assert info.value.code == "empty"


def test_suggest_many_keeps_order_and_reports_bad_items(hashing_assistant):
    outcomes = hashing_assistant.suggest_many(
        None, ["Streit im Team", "", "Instagram Posts planen"]
    )
    assert outcomes[0].result.topics[0].topic_id == "conflict"
    assert outcomes[1].error.code == "empty" and outcomes[1].result is None
    assert outcomes[2].result.topics[0].topic_id == "social_media"


def test_suggester_calibration_is_recorded(hashing_assistant):
    suggester = hashing_assistant._analyzer.suggester
    assert 0.0 <= suggester.threshold_ < 1.0
    assert suggester.calibration_["false_no_fit"] <= suggester.max_false_no_fit


def test_unfitted_suggester_raises():
    features = TextFeatures(["x"], ["x"], np.ones((1, 4), dtype=np.float32) / 2)
    with pytest.raises(NotFittedError, match="call fit"):
        TopicSuggester().predict_scores(features)


def test_combine_scores_lifts_topic_of_a_sentence_but_never_lowers():
    doc = np.array([0.6, 0.2, 0.1, 0.1])
    sentences = np.array([[0.9, 0.0, 0.05, 0.05], [0.1, 0.8, 0.05, 0.05]])
    combined = combine_scores(doc, sentences)
    np.testing.assert_allclose(combined, [0.75, 0.5, 0.1, 0.1])
    np.testing.assert_allclose(combine_scores(doc, sentences[:1]), doc)


def test_matching_keywords_finds_compounds_and_folded_spellings(preprocessor):
    processed = preprocessor("Meine Fuehrungsverantwortung wächst, Konfliktgespräche auch.")
    assert matching_keywords(processed, ("Führung", "Konflikt", "Instagram")) == [
        "Führung",
        "Konflikt",
    ]


def test_suggester_fits_a_pool_with_an_adopted_topic_of_three_examples(mini_pool, preprocessor):
    from assistant.nlp.embed import HashingEmbedder
    from assistant.topics.fitting import fit_suggester
    from assistant.topics.pool_edit import add_topic, adoption_draft

    own = (
        "Die Kantine sollte vegetarisches Essen anbieten.",
        "Mehr vegetarische Gerichte in der Kantine wären gut.",
        "Ich wünsche mir vegetarisches Essen in der Kantine.",
    )
    pool = add_topic(
        mini_pool, adoption_draft(mini_pool, "Vegetarisches Essen", "Essen in der Kantine.", own)
    )
    # Three examples, no English: fewer than the five folds of the calibration (no warning,
    # which the test run turns into an error).
    suggester = fit_suggester(pool, HashingEmbedder(512), preprocessor, None)
    assert suggester.topic_ids_ == pool.ids
    assert 0.0 <= suggester.threshold_ < 0.9


def test_suggester_null_holds_each_topics_scores_on_unrelated_texts(hashing_assistant, mini_pool):
    suggester = hashing_assistant._analyzer.suggester
    _, labels = pool_training_texts(mini_pool)
    assert set(suggester.null_) == set(mini_pool.ids)
    for topic_id, null in suggester.null_.items():
        assert len(null) == sum(label != topic_id for label in labels)
        assert list(null) == sorted(null)
    assert suggester.strength("conflict", 1.0) == 1.0
    assert suggester.strength("conflict", -1.0) == 0.0
    assert suggester.strength("no_such_topic", 0.1) == 1.0  # a topic since removed


def test_suggestions_carry_their_strength_against_the_null(hashing_assistant):
    suggester = hashing_assistant._analyzer.suggester
    result = hashing_assistant.suggest(None, "Unser Team streitet oft über Zuständigkeiten.")
    assert result.topics
    for s in result.topics:
        assert s.strength == pytest.approx(suggester.strength(s.topic_id, s.score))


def test_suggester_probability_is_a_monotone_map_fitted_on_the_pool(hashing_assistant):
    suggester = hashing_assistant._analyzer.suggester
    x, p = suggester.probability_points_
    assert len(x) == len(p) and list(x) == sorted(x) and list(p) == sorted(p)
    grid = [suggester.probability(s) for s in np.linspace(0.0, 1.0, 21)]
    assert grid == sorted(grid) and all(0.0 <= v <= 1.0 for v in grid)


def test_suggestions_carry_their_calibrated_probability(hashing_assistant):
    suggester = hashing_assistant._analyzer.suggester
    result = hashing_assistant.suggest(None, "Unser Team streitet oft über Zuständigkeiten.")
    assert result.topics
    for s in result.topics:
        assert s.probability == pytest.approx(suggester.probability(s.score))


def test_probability_map_learns_how_often_listed_topics_were_right():
    from assistant.topics.suggester import _probability_map

    # Two topics; each text's best topic is listed (every null is all zeros), the second
    # never reaches 0.4 of the best. The best topic was right at 0.8 and 0.9, wrong at 0.4
    # and 0.5: the map is 0 up to 0.5 and 1 from 0.8.
    oof = np.array([[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.1, 0.5, 0.4], [0.05, 0.4, 0.3]])
    y = np.array([0, 0, 0, 0])
    null = {"a": np.zeros(10), "b": np.zeros(10)}
    x, p = _probability_map(oof, y, threshold=0.0, null=null)
    assert np.interp(0.85, x, p) == 1.0 and np.interp(0.45, x, p) == 0.0
