"""Compatibility import; the code lives in assistant.topics.pool_edit."""

from assistant.topics.pool_edit import (
    RESERVED_IDS,
    PoolProblem,
    TopicDraft,
    add_examples,
    add_topic,
    draft_from_cluster,
    draft_raw,
    pool_to_raw,
    problems_of,
    save_pool,
    suggest_topic_id,
    to_yaml,
)

__all__ = [
    "RESERVED_IDS",
    "PoolProblem",
    "TopicDraft",
    "add_examples",
    "add_topic",
    "draft_from_cluster",
    "draft_raw",
    "pool_to_raw",
    "problems_of",
    "save_pool",
    "suggest_topic_id",
    "to_yaml",
]
