"""Compatibility import; the code lives in assistant.topics.suggester."""

from assistant.topics.suggester import NONE, TextFeatures, TopicSuggester, pool_training_texts

__all__ = ["NONE", "TextFeatures", "TopicSuggester", "pool_training_texts"]
