"""build_assistant(settings): the only place that picks implementations.

The fitted TopicSuggester is kept on disk, keyed by the pool's content, the embedder's model
id and the package version, so a CLI call does not refit it.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import joblib

from assistant import __version__
from assistant.config import Settings
from assistant.domain import TopicPool
from assistant.nlp.cache import CachedEmbedder
from assistant.nlp.embed import Embedder
from assistant.nlp.preprocess import Preprocessor
from assistant.nlp.registry import embedder_maker
from assistant.service import Assistant
from assistant.storage import Stores, make_engine, migrate
from assistant.storage.engine import safe_db_url
from assistant.storage.files import protect
from assistant.storage.secrets import load_or_create_key
from assistant.storage.vector_cache import EmbeddingCache
from assistant.topics import load_topic_pool
from assistant.topics.analyser import TopicAnalyzer
from assistant.topics.suggester import TextFeatures, TopicSuggester, pool_training_texts

log = logging.getLogger(__name__)


def build_embedder(settings: Settings) -> Embedder:
    """Return the configured embedder, wrapped in the on-disk cache when enabled.

    Raises
    ------
    ConfigError
        ``settings.embedder`` is not in the registry (``assistant.nlp.registry``).
    """
    embedder = embedder_maker(settings.embedder)(settings)
    if settings.cache:
        return CachedEmbedder(embedder, EmbeddingCache(settings.cache_path))
    return embedder


def fit_suggester(
    pool: TopicPool, embedder: Embedder, preprocessor: Preprocessor, cache_dir: Path | None
) -> TopicSuggester:
    """Fit (or load the cached fit of) the suggester for ``pool`` and ``embedder``."""
    texts, labels = pool_training_texts(pool)
    digest = hashlib.sha256(
        "\x00".join([__version__, embedder.model_id, *texts, *labels]).encode()
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


def build_assistant(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    preprocessor: Preprocessor | None = None,
    pool: TopicPool | None = None,
    storage: bool = True,
) -> Assistant:
    """Wire an ``Assistant`` from settings; stage objects passed in replace the configured ones.

    ``storage=False`` skips opening (and migrating) the database, for text-only commands.
    """
    pool = pool or load_topic_pool(settings.pool_file)
    embedder = embedder or build_embedder(settings)
    preprocessor = preprocessor or Preprocessor()
    cache_dir = settings.cache_path.parent if settings.cache else None
    suggester = fit_suggester(pool, embedder, preprocessor, cache_dir)
    protect(settings.data_path)  # owner-only: the folder holds people's words
    stores = None
    if storage:
        engine = make_engine(settings.database_url)
        migrate(engine)
        stores = Stores.open(engine, audit_key=lambda: load_or_create_key(settings.audit_key_path))
    return Assistant(
        TopicAnalyzer(pool, embedder, preprocessor, suggester),
        stores,
        settings=settings,
        describe={"version": __version__, "database_url": safe_db_url(settings.database_url)},
    )
