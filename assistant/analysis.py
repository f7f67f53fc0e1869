"""Compatibility import; the code lives in assistant.topics.analyser."""

from assistant.topics.analyser import (
    MAX_SENTENCES_SCORED,
    VECTOR_METHOD,
    Analysis,
    ItemResult,
    TopicAnalyzer,
)

__all__ = ["MAX_SENTENCES_SCORED", "VECTOR_METHOD", "Analysis", "ItemResult", "TopicAnalyzer"]
