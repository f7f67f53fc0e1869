"""Mentoring assistant: German-first topic suggestions, peers and themes for mentoring programmes.

Public API: ``build_assistant(load_settings())`` returns an ``Assistant``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from assistant.config import Settings, load_settings
from assistant.domain import ProcessedText, SuggestionResult, Topic, TopicPool, TopicSuggestion
from assistant.errors import (
    AssistantError,
    ConfigError,
    InvalidEntryError,
    ModelNotFoundError,
    NotFittedError,
    StorageError,
    TopicPoolError,
)
from assistant.topics import load_topic_pool

if TYPE_CHECKING:
    from assistant.factory import build_assistant
    from assistant.service import Assistant

# spaCy, scikit-learn and the embedders take seconds to import: load them on first use, so
# light commands (``assistant pool validate``) stay fast.
_LAZY = {"build_assistant": "assistant.factory", "Assistant": "assistant.service"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")


__all__ = [
    "Assistant",
    "AssistantError",
    "ConfigError",
    "InvalidEntryError",
    "ModelNotFoundError",
    "NotFittedError",
    "ProcessedText",
    "Settings",
    "StorageError",
    "SuggestionResult",
    "Topic",
    "TopicPool",
    "TopicPoolError",
    "TopicSuggestion",
    "__version__",
    "build_assistant",
    "load_settings",
    "load_topic_pool",
]
