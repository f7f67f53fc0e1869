"""ScoreRows: the "no topic" column and the fit rule, in one type; scores in words."""

import numpy as np
import pytest

from assistant import texts
from assistant.scores import (
    BELOW_FLOOR,
    FIT_BANDS,
    GOOD_STRENGTH,
    PARTIAL_STRENGTH,
    SECOND_RATIO,
    ScoreRows,
    fit_band,
    null_quantile,
    null_quantiles,
)

# Three texts over two topics plus "no topic" (last column).
ROWS = np.array([[0.6, 0.1, 0.3], [0.2, 0.1, 0.1], [0.3, 0.2, 0.5]])


def test_score_rows_split_topics_from_the_no_topic_column():
    rows = ScoreRows(ROWS)
    assert len(rows) == 3 and rows.n_topics == 2
    np.testing.assert_array_equal(rows.topics, ROWS[:, :2])
    np.testing.assert_array_equal(rows.no_topic, [0.3, 0.1, 0.5])
    np.testing.assert_array_equal(rows.best, [0.6, 0.2, 0.3])
    np.testing.assert_array_equal(rows.best_per_topic, [0.6, 0.2])


def test_score_rows_read_a_single_row_as_one_text():
    rows = ScoreRows([0.6, 0.1, 0.3])
    assert len(rows) == 1 and rows.values.shape == (1, 3) and rows.values.dtype == np.float64


@pytest.mark.parametrize(
    "values",
    [np.zeros((2, 1)), np.zeros(1), np.zeros((2, 3, 4)), np.zeros((0,))],
    ids=["no-topic-column-only", "one-number", "three-dimensions", "empty"],
)
def test_score_rows_reject_bad_shapes(values):
    with pytest.raises(ValueError, match="shape"):
        ScoreRows(values)


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (0.25, [False, True, True]),  # row 2 misses the threshold, row 3 loses to "no topic"
        (0.1, [False, False, True]),
        (0.7, [True, True, True]),
    ],
)
def test_score_rows_no_fit_by_threshold_and_none_column(threshold, expected):
    assert ScoreRows(ROWS).no_fit(threshold).tolist() == expected


def test_score_rows_no_fit_keeps_a_tie_with_no_topic_as_fit():
    assert ScoreRows([[0.4, 0.2, 0.4]]).no_fit(0.3).tolist() == [False]


def test_score_rows_fitting_topics_need_threshold_and_share_of_the_best():
    rows = ScoreRows([[0.8, 0.35, 0.3, 0.0], [0.5, 0.45, 0.1, 0.0], [0.2, 0.1, 0.1, 0.5]])
    fitting = rows.fitting_topics(0.3)
    assert [f.tolist() for f in fitting] == [[0, 1], [0, 1], []]
    # 0.35 is 44% of 0.8: a higher share drops it, a lower threshold never adds the 0.1.
    assert rows.fitting_topics(0.3, second_ratio=0.5)[0].tolist() == [0]
    assert rows.fitting_topics(0.05)[1].tolist() == [0, 1]
    assert SECOND_RATIO == 0.4


def test_score_rows_mean_leaves_no_topic_out():
    np.testing.assert_allclose(ScoreRows(ROWS).mean([0, 2]), [0.45, 0.15])


def test_score_rows_ranked_best_first_ties_in_pool_order():
    rows = ScoreRows([[0.1, 0.5, 0.5, 0.9], [0.3, 0.2, 0.1, 0.0]])
    assert rows.ranked().tolist() == [[1, 2, 0], [0, 1, 2]]


def test_score_rows_with_topics_replaces_topics_keeps_no_topic_and_copies():
    rows = ScoreRows(ROWS.copy())
    lifted = rows.with_topics([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
    np.testing.assert_array_equal(lifted.values[:, :2], [[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
    np.testing.assert_array_equal(lifted.no_topic, rows.no_topic)
    np.testing.assert_array_equal(rows.values, ROWS)  # the original is unchanged
    np.testing.assert_array_equal(rows.with_topics([0.0, 0.0]).topics, np.zeros((3, 2)))
    with pytest.raises(ValueError):
        rows.with_topics(np.zeros((3, 3)))


# -- scores in words (issue #14, item 6) -------------------------------------------------------


@pytest.mark.parametrize(
    ("strength", "band"),
    [
        (1.0, "good"),
        (GOOD_STRENGTH, "good"),
        (np.nextafter(GOOD_STRENGTH, 0), "partial"),
        (PARTIAL_STRENGTH, "partial"),
        (np.nextafter(PARTIAL_STRENGTH, 0), BELOW_FLOOR),
        (0.0, BELOW_FLOOR),
    ],
)
def test_fit_band_boundaries(strength, band):
    assert fit_band(float(strength)) == band


def test_null_quantile_is_the_share_of_the_null_below_with_ties_counted_half():
    null = np.arange(100) / 100  # 0.00 .. 0.99
    assert null_quantile(null, 0.955) == 0.96
    assert null_quantile(null, 0.5) == pytest.approx(0.505)  # 50 below, one tie
    assert null_quantile(null, -1.0) == 0.0 and null_quantile(null, 2.0) == 1.0
    assert null_quantile(np.array([0.3, 0.1, 0.2]), 0.25) == pytest.approx(2 / 3)  # any order
    assert null_quantile([], 0.1) == 1.0


def test_a_low_probability_can_fit_well_and_a_high_cosine_badly():
    """The issue: a right topic at 28 % beside peers at 90 %. Each is read against its null."""
    topic_null = np.linspace(0.0, 0.2, 200)  # a topic scores up to 0.2 on unrelated texts
    peer_null = np.linspace(0.6, 0.98, 200)  # random pairs of one programme are alike anyway
    assert fit_band(null_quantile(topic_null, 0.28)) == "good"
    assert fit_band(null_quantile(peer_null, 0.90)) == BELOW_FLOOR


def test_a_shared_topic_lifts_a_peer_to_partial_but_never_to_good():
    from assistant.scores import peer_band

    weak = float(np.nextafter(PARTIAL_STRENGTH, 0))
    assert peer_band(weak, 0) == BELOW_FLOOR
    assert peer_band(weak, 1) == "partial"
    assert peer_band(PARTIAL_STRENGTH, 2) == "partial"  # a topic does not make it "gut"
    assert peer_band(GOOD_STRENGTH, 0) == "good"


def test_topic_caption_never_says_higher_than_100_percent():
    assert texts.topic_score_caption(0.47, 0.999) == (
        "Wert 47 % – höher als bei allen Texten zu anderen Themen"
    )
    assert "höher als bei 96 % der Texte" in texts.topic_score_caption(0.2, 0.96)


def test_every_band_has_german_words_shared_by_topics_and_peers():
    words = [texts.fit_word(band) for band in FIT_BANDS]
    assert words == ["passt gut", "passt teilweise", "passt kaum"]
    assert len(set(words)) == len(words)


def test_null_quantiles_reads_many_values_as_null_quantile_does_one():
    null = [0.1, 0.2, 0.2, 0.4]
    values = np.array([0.0, 0.2, 0.3, 0.5])
    # 0.2 ties two of four (half each) and beats one: (1 + 1) / 4 = 0.5.
    np.testing.assert_allclose(null_quantiles(null, values), [0.0, 0.5, 0.75, 1.0])
    assert [null_quantile(null, v) for v in values] == null_quantiles(null, values).tolist()
    np.testing.assert_allclose(null_quantiles([], values), 1.0)


@pytest.mark.parametrize(("probability", "n"), [(0.84, 8), (0.05, 0), (1.2, 10), (0.25, 2)])
def test_probability_caption_says_how_many_of_ten_were_right(probability, n):
    line = texts.probability_caption(probability)
    assert f"in etwa {n} von 10 Fällen" in line and "Themenpool" in line
