"""build_assistant(settings): the only place that picks implementations.

The fitted TopicSuggester is kept on disk (``topics.fitting``), keyed by the pool's content,
the embedder's model id and the package version, so a CLI call does not refit it; a fit made
at install (``Settings.seed_path``) spares a fresh data folder the first fit.
``lazy=True`` (the command line) loads the model, spaCy and the suggester when a text is first
analysed, so commands that read stored data start in well under a second.
"""

from __future__ import annotations

import logging

from assistant import __version__
from assistant.config import Settings
from assistant.domain import TopicPool
from assistant.nlp.cache import CachedEmbedder
from assistant.nlp.embed import Embedder, Progress
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
from assistant.topics.fitting import SuggesterFit, fit_analyzer

log = logging.getLogger(__name__)


def build_embedder(settings: Settings, *, progress: Progress | None = None) -> Embedder:
    """Return the configured embedder, wrapped in the on-disk cache when enabled.

    With ``settings.ray_address`` the texts of an import are embedded as a Ray job
    (``RayEmbedder``; ``progress`` counts its texts), inside the cache: the cache is looked up
    first, and what the job embeds is cached here as in a single process.

    Raises
    ------
    ConfigError
        ``settings.embedder`` is not in the registry (``assistant.nlp.registry``), or the Ray
        address is malformed.
    """
    embedder = embedder_maker(settings.embedder)(settings)
    if settings.ray_address:
        from assistant.nlp.ray_embed import RayEmbedder  # imports no Ray until a job runs

        embedder = RayEmbedder(
            embedder, settings, settings.ray_address, settings.ray_workers, progress=progress
        )
    if settings.cache:
        return CachedEmbedder(embedder, EmbeddingCache(settings.cache_path))
    return embedder


def build_assistant(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    preprocessor: Preprocessor | None = None,
    pool: TopicPool | None = None,
    storage: bool = True,
    lazy: bool = False,
) -> Assistant:
    """Wire an ``Assistant`` from settings; stage objects passed in replace the configured ones.

    ``storage=False`` skips opening (and migrating) the database, for text-only commands.
    ``lazy=True`` defers the model, the language detector and the suggester's fit (or its
    load from the cache) to the first text analysed; the default loads them now, as the app
    and ``assistant prepare`` want before they serve.
    """
    pool = pool or load_topic_pool(settings.pool_file)
    embedder = embedder or build_embedder(settings)
    cache_dir = settings.cache_path.parent if settings.cache else None
    preprocessor = preprocessor or Preprocessor(cache_dir=cache_dir)
    analyzer = TopicAnalyzer(
        pool,
        embedder,
        preprocessor,
        SuggesterFit(pool, embedder, preprocessor, cache_dir, __version__, settings.seed_path),
    )
    if not lazy:
        analyzer.load()
    protect(settings.data_path)  # owner-only: the folder holds people's words
    stores = None
    if storage:
        engine = make_engine(settings.database_url)
        migrate(engine)
        stores = Stores.open(engine, audit_key=lambda: load_or_create_key(settings.audit_key_path))
    return Assistant(
        analyzer,
        stores,
        settings=settings,
        # A programme's own pool (or a pool file another process saved) gets its own fit.
        refit=lambda new_pool, like: fit_analyzer(
            new_pool, like, cache_dir, __version__, lazy=lazy, seed_dir=settings.seed_path
        ),
        describe={"version": __version__, "database_url": safe_db_url(settings.database_url)},
    )
