"""Compatibility import; the code lives in assistant.topics.ranking."""

from assistant.topics.ranking import (
    MAX_EVIDENCE_CHARS,
    MAX_EVIDENCE_SENTENCES,
    combine_scores,
    matching_keywords,
    rank_topics,
)

__all__ = [
    "MAX_EVIDENCE_CHARS",
    "MAX_EVIDENCE_SENTENCES",
    "combine_scores",
    "matching_keywords",
    "rank_topics",
]
