"""Fit a TopicAnalyzer for a pool: the suggester from the pool's examples, cached on disk.

The fit is keyed by the pool's training texts, the embedder's model id and the package version,
so a CLI call (or a programme whose pool did not change) loads it instead of refitting.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import joblib

from assistant.domain import TopicPool
from assistant.nlp.embed import Embedder
from assistant.nlp.preprocess import Preprocessor
from assistant.topics.analyser import TopicAnalyzer
from assistant.topics.suggester import TextFeatures, TopicSuggester, pool_training_texts

__all__ = ["SUGGESTER_CACHE_GLOB", "fit_analyzer", "fit_suggester"]

log = logging.getLogger(__name__)

# Bumped when a fitted suggester gains learned state (2: ``null_``), so older fits refit.
FIT_FORMAT = "2"

SUGGESTER_CACHE_GLOB = "suggester-*.joblib"
"""Names of cached fits in the cache folder (erasure removes them: they hold pool words)."""


def fit_suggester(
    pool: TopicPool,
    embedder: Embedder,
    preprocessor: Preprocessor,
    cache_dir: Path | None,
    version: str = "",
) -> TopicSuggester:
    """Fit (or load the cached fit of) the suggester for ``pool`` and ``embedder``."""
    texts, labels = pool_training_texts(pool)
    digest = hashlib.sha256(
        "\x00".join([FIT_FORMAT, version, embedder.model_id, *texts, *labels]).encode()
    ).hexdigest()[:16]
    path = cache_dir / f"suggester-{digest}.joblib" if cache_dir else None
    if path is not None and path.exists():
        try:
            cached = joblib.load(path)
            if isinstance(cached, TopicSuggester):
                return cached
        except Exception:  # a stale or truncated cache file is refitted, not fatal
            log.warning("ignoring unreadable suggester cache %s", path.name)
    processed = preprocessor.process_many(texts)
    features = TextFeatures(
        [p.text for p in processed],
        [" ".join(p.lemmas) for p in processed],
        embedder.encode(texts),
    )
    suggester = TopicSuggester().fit(pool, features, labels)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        joblib.dump(suggester, tmp)
        tmp.replace(path)
    return suggester


def fit_analyzer(
    pool: TopicPool, like: TopicAnalyzer, cache_dir: Path | None, version: str = ""
) -> TopicAnalyzer:
    """Return an analyzer for ``pool`` with the embedder and preprocessor of ``like``."""
    suggester = fit_suggester(pool, like.embedder, like.preprocessor, cache_dir, version)
    return TopicAnalyzer(pool, like.embedder, like.preprocessor, suggester)
