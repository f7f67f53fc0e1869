"""AppTest of scores in words (issue #14, item 6): bands shown, topics below the floor not."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from assistant import texts
from assistant.domain import SuggestionResult, TopicSuggestion
from assistant.topics.pool import load_topic_pool
from tests.ui.conftest import MINI_POOL


def _cards(result, pool_path):  # type: ignore[no-untyped-def]  # runs as its own script
    from assistant.topics.pool import load_topic_pool
    from assistant.ui import widgets

    widgets.suggestion_cards(result, load_topic_pool(pool_path))


def _suggestion(topic_id: str, label: str, score: float, strength: float) -> TopicSuggestion:
    return TopicSuggestion(topic_id, label, score, ("Ein Satz.",), (), strength)


def _render(*topics: TopicSuggestion) -> AppTest:
    result = SuggestionResult("de", topics, no_fit=not topics)
    at = AppTest.from_function(_cards, args=(result, str(MINI_POOL)), default_timeout=30).run()
    assert not at.exception
    return at


def test_a_topic_below_the_floor_is_not_listed_and_the_others_say_how_well_they_fit():
    pool = load_topic_pool(MINI_POOL)
    good, partial, weak = pool.topics[:3]
    at = _render(
        _suggestion(good.id, good.label_in("de"), 0.28, 0.99),
        _suggestion(partial.id, partial.label_in("de"), 0.15, 0.97),
        _suggestion(weak.id, weak.label_in("de"), 0.11, 0.90),
    )
    shown = [s.value for s in at.subheader]
    assert shown == [texts.plain(good.label_in("de")), texts.plain(partial.label_in("de"))]
    markdown = [m.value for m in at.markdown]
    assert "**passt gut**" in markdown and "**passt teilweise**" in markdown
    assert not any("passt kaum" in m for m in markdown)
    # The number is secondary: a caption, not the headline.
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Wert 28 %") for c in captions)
    assert not any("11 %" in c for c in captions)


def test_only_topics_below_the_floor_read_as_no_fit():
    pool = load_topic_pool(MINI_POOL)
    topic = pool.topics[0]
    at = _render(_suggestion(topic.id, topic.label_in("de"), 0.09, 0.5))
    assert [i.value for i in at.info] == [texts.NO_FIT]
    assert not at.subheader


def test_a_topic_with_a_calibrated_probability_says_how_often_such_suggestions_were_right():
    pool = load_topic_pool(MINI_POOL)
    first, second = pool.topics[:2]
    at = _render(
        TopicSuggestion(first.id, first.label_in("de"), 0.28, ("Ein Satz.",), (), 0.99, 0.83),
        _suggestion(second.id, second.label_in("de"), 0.15, 0.97),  # no probability known
    )
    captions = [c.value for c in at.caption]
    assert texts.probability_caption(0.83) in captions
    assert sum("von 10 Fällen" in c for c in captions) == 1
