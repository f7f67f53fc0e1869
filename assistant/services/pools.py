"""Pools: which topic pool, and which fitted analyzer, a programme uses.

Every programme starts on the installation's pool (``Settings.pool_file``); the first edit by its
coordinator gives it its own file in the data folder (``Settings.programme_pool_path``), so one
coordinator's topics never change another programme's suggestions. Files are checked on each
call (one ``stat``): a pool saved or cleaned by another process (an erasure on the command line,
a second app) is refitted at the next request, never served stale.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.config import Settings, default_pool_path
from assistant.domain import TopicPool
from assistant.errors import TopicPoolError
from assistant.topics import load_topic_pool
from assistant.topics.analyser import TopicAnalyzer
from assistant.topics.fitting import SUGGESTER_CACHE_GLOB
from assistant.topics.learning import LearnedExample, learned_digest, with_learned
from assistant.topics.pool_edit import save_pool
from assistant.topics.pool_scrub import scrub_pool

__all__ = ["Learned", "PoolAnalyzers", "Refit"]

log = logging.getLogger(__name__)

Refit = Callable[[TopicPool, TopicAnalyzer], TopicAnalyzer]
"""Fit an analyzer for a pool, sharing the embedder and preprocessor of the given one."""

Learned = Callable[[int], Sequence[LearnedExample]]
"""The examples a programme's suggester learned from use (``assistant.services.learning``)."""

_Stamp = tuple[int, int]


def _stamp(path: Path) -> _Stamp | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_size)


def _same_file(a: str | Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == b.resolve()
    except OSError:
        return False


class PoolAnalyzers:
    """The analyzer of each programme's pool; the base one for programmes without their own.

    A programme whose suggester learned from use (``learned``, wired by the learning service)
    gets an analyzer fitted on its pool plus the learned examples. ``relearn`` refits it in a
    thread (``Settings.learn_background``): the previous analyzer serves until the new one is
    fitted and swapped in under the lock.
    """

    def __init__(self, base: TopicAnalyzer, settings: Settings, refit: Refit) -> None:
        self.base = base
        self.settings = settings
        self.refit = refit
        self.learned: Learned | None = None
        self._lock = threading.Lock()
        self._fitted: dict[str, tuple[_Stamp, TopicAnalyzer]] = {}
        self._learned: dict[int, tuple[str, TopicAnalyzer]] = {}
        self._refitting: set[int] = set()
        # A pool handed in by code (tests, benches) is fixed; one read from the installation's
        # file follows that setting (an edited pool saved later replaces the shipped one).
        built_from = settings.pool_file
        stamp = _stamp(built_from) if _same_file(base.pool.source, built_from) else None
        self._base = (str(built_from), stamp) if stamp is not None else None

    def file_of(self, programme_id: int | None) -> Path | None:
        """Return the pool file a programme uses now; ``None``: the pool built in code."""
        if programme_id is not None:
            own = self.settings.programme_pool_path(programme_id)
            if own.exists():
                return own
        return self.settings.pool_file if self._base is not None else None

    def has_own(self, programme_id: int) -> bool:
        """Whether the programme has its own pool (edited by its coordinator)."""
        return self.settings.programme_pool_path(programme_id).exists()

    def pool_of(self, programme_id: int | None) -> TopicPool:
        """Return the pool a programme uses now, as its file has it (no learned examples)."""
        return self._plain(programme_id).pool

    def analyzer_for(self, programme_id: int | None) -> TopicAnalyzer:
        """Return the analyzer of a programme's pool and what it learned from use.

        Fitted once per version of the pool file and per set of learned examples; while a
        refit runs in the background the previous analyzer answers.

        Raises
        ------
        TopicPoolError
            The programme's pool file no longer reads as a valid pool.
        """
        plain = self._plain(programme_id)
        if programme_id is None or self.learned is None:
            return plain
        examples = self.learned(programme_id)
        if not examples:
            return plain
        key = plain.pool_key + learned_digest(examples)
        with self._lock:
            found = self._learned.get(programme_id)
            if found is not None and (found[0] == key or programme_id in self._refitting):
                return found[1]
            if programme_id in self._refitting:
                return plain
            analyzer = self.refit(with_learned(plain.pool, examples), plain)
            self._learned[programme_id] = (key, analyzer)
            return analyzer

    def relearn(self, programme_id: int, *, background: bool | None = None) -> bool:
        """Refit a programme's analyzer on its pool and learned examples; swap it in when done.

        ``background`` defaults to ``Settings.learn_background``. Returns False when a refit
        of the programme is already running (its result is checked at the next request).
        """
        with self._lock:
            if programme_id in self._refitting:
                return False
            self._refitting.add(programme_id)
        run_in_thread = self.settings.learn_background if background is None else background
        if run_in_thread:
            threading.Thread(
                target=self._relearn, args=(programme_id,), daemon=True, name="relearn"
            ).start()
        else:
            self._relearn(programme_id)
        return True

    def forget_learned(self, programme_ids: Sequence[int]) -> None:
        """Drop the learned analyzers of programmes now (an erasure): none answers any more."""
        with self._lock:
            for programme_id in programme_ids:
                self._learned.pop(programme_id, None)

    def _relearn(self, programme_id: int) -> None:
        try:
            plain = self._plain(programme_id)
            examples = self.learned(programme_id) if self.learned is not None else ()
            if not examples:
                with self._lock:
                    self._learned.pop(programme_id, None)
                return
            analyzer = self.refit(with_learned(plain.pool, examples), plain)
            _ = analyzer.suggester  # the fit itself, before the swap: requests never wait on it
            with self._lock:
                self._learned[programme_id] = (plain.pool_key + learned_digest(examples), analyzer)
        except Exception:  # a failed refit keeps the previous analyzer; the next one retries
            log.exception("refit of programme %s failed", programme_id)
        finally:
            with self._lock:
                self._refitting.discard(programme_id)

    def _plain(self, programme_id: int | None) -> TopicAnalyzer:
        """Return the analyzer of the programme's pool file, without learned examples."""
        path = self.file_of(programme_id)
        stamp = _stamp(path) if path is not None else None
        if path is None or stamp is None:
            return self.base
        if (str(path), stamp) == self._base:
            return self.base
        key = str(path)
        with self._lock:
            found = self._fitted.get(key)
            if found is None or found[0] != stamp:
                found = (stamp, self.refit(load_topic_pool(path), self.base))
                self._fitted[key] = found
            return found[1]

    # -- erasure -------------------------------------------------------------------------------

    def edited_files(self) -> list[Path]:
        """Pool files the app wrote into the data folder (the installation's and programmes')."""
        found = [self.settings.edited_pool_path] if self.settings.edited_pool_path.exists() else []
        return found + sorted(self.settings.pools_path.glob("programme-*.yaml"))

    def scrub(self, texts: Sequence[str]) -> tuple[int, list[str]]:
        """Take examples learned from ``texts`` out of every edited pool file.

        Returns the number of pool files changed and the examples taken out (the caller drops
        them from the embedding cache). Cached suggester fits hold the pools' words too: they
        are deleted when a file changed and refitted when next needed.
        """
        if not texts:
            return 0, []
        # Pools from outside the data folder (shipped, configured, handed in by code) were
        # never fed with anyone's words: their examples stay.
        edited = self.edited_files()
        reference = [load_topic_pool(default_pool_path())]
        configured = self.settings.pool
        if configured and not any(_same_file(configured, f) for f in edited):
            reference.append(load_topic_pool(configured))
        if not any(_same_file(self.base.pool.source, f) for f in edited):
            reference.append(self.base.pool)
        changed, removed = 0, list[str]()
        for path in edited:
            try:
                result = scrub_pool(load_topic_pool(path), texts, reference)
                if result.changed:
                    save_pool(result.pool, path, keep_ids=result.pool.ids)
            except TopicPoolError:
                # A file that no longer reads (or would not after the scrub) cannot be checked
                # word by word: it goes, and the programme falls back to the installation's pool.
                path.unlink(missing_ok=True)
                changed += 1
                continue
            if result.changed:
                changed += 1
                removed.extend(result.examples)
        if changed:
            self.drop_cached_fits()
        return changed, removed

    def drop_cached_fits(self) -> None:
        """Delete the suggester fits cached on disk (they hold pool and learned words)."""
        if self.settings.cache:
            for fit in self.settings.cache_path.parent.glob(SUGGESTER_CACHE_GLOB):
                fit.unlink(missing_ok=True)
