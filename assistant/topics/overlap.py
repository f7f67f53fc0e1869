"""Overlap: an import's batches through the text stages, the encoder never waiting for the rest.

While the model encodes batch k (``TopicAnalyzer.embed_processed``, the only stage that needs
it), one worker process preprocesses batch k + 1 (language, spaCy) and scores and ranks batch
k - 1 (``TopicAnalyzer.finish``). The stages are Python that holds the GIL: a worker thread
took the GIL from the encoder's own Python between its kernels and made it slower
(``bench/README.md``), so the worker is a process, forked from this one so that it inherits
the loaded stages (pipelines, lemma tables, the fitted suggester) instead of loading them.

The worker computes exactly what the main process would (the same code on a copy of the same
state), and results come back in batch order. When the worker fails on a batch, the main
process does that stage again itself, so an error is raised by the same code, with the same
message, at the same batch as on the sequential path, and the batches before it are stored
and none after it. Where ``fork`` is not available (Windows, macOS), or with one batch, the
batches run one after another in this process.

Off by default (setting ``ingest_overlap``): on the shared 2-core machine the worker took a core
from the encoder's second torch thread and imports were not faster (bench/README.md).
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.pool import AsyncResult, Pool
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from assistant.config import INGEST_OVERLAPS
from assistant.domain import ProcessedText
from assistant.topics.analyser import Analysis, TopicAnalyzer

__all__ = ["OVERLAPS", "WORKER_TIMEOUT_S", "analyse_batches", "can_overlap"]

log = logging.getLogger(__name__)

OVERLAPS = INGEST_OVERLAPS
"""``process``: the text stages beside the encoder in a forked worker; ``off``: in turn."""

WORKER_TIMEOUT_S = 120.0
"""How long the main process waits for one worker step (a batch takes about a second) before
it stops using the worker and does the rest itself: a worker that hangs costs time, not data."""

T = TypeVar("T")
Rows = dict[tuple[str, ...], NDArray[np.float32]]

# A batch whose scoring is queued: index, processed texts, encoder rows, the worker's result.
_Behind = tuple[int, list[ProcessedText], Rows, "AsyncResult[list[Analysis] | None] | None"]

# The analyzer a worker forked by ``analyse_batches`` works with: set while the worker forks,
# inherited by it (nothing is pickled but texts, rows and results).
_FORKED: TopicAnalyzer | None = None
_FORK_LOCK = threading.Lock()


def can_overlap() -> bool:
    """Whether this platform can fork a worker that inherits the loaded stages (Linux)."""
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def analyse_batches(
    analyzer: TopicAnalyzer,
    batches: Sequence[Sequence[str]],
    *,
    overlap: str = "off",
    k: int = 3,
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, list[Analysis]]]:
    """Analyse batches of validated texts; yield ``(index, analyses)`` in batch order.

    Parameters
    ----------
    overlap : {"process", "off"}, default="off"
        Run preprocessing and scoring in a worker process beside the encoder, or in turn.
    progress : callable, optional
        Called with 1 per text, in this process, as each batch is done.

    Yields
    ------
    tuple of int and list of Analysis
        A batch's index and its analyses, one per text, as ``TopicAnalyzer.analyse`` makes
        them. The caller stores each before asking for the next.

    Raises
    ------
    Exception
        Whatever ``TopicAnalyzer.analyse`` raises on the first failing batch, after the
        batches before it were yielded.
    """
    if overlap not in OVERLAPS:
        raise ValueError(f"Unknown overlap '{overlap}'. Available: {', '.join(OVERLAPS)}.")
    texts = [list(batch) for batch in batches]
    if overlap == "off" or len(texts) < 2 or not can_overlap():
        for i, batch in enumerate(texts):
            yield i, analyzer.analyse(batch, k, progress)
        return
    yield from _pipelined(analyzer, texts, k, progress)


def _pipelined(
    analyzer: TopicAnalyzer,
    batches: list[list[str]],
    k: int,
    progress: Callable[[int], None] | None,
) -> Iterator[tuple[int, list[Analysis]]]:
    """Run ``analyse_batches`` as a pipeline with a forked worker."""
    analyzer.load_text_stages()  # loaded before the fork, so the worker inherits them
    worker = _Worker(analyzer)
    try:
        ahead = worker.submit(_prepare, batches[1])  # while batch 0 is preprocessed here
        behind: _Behind | None = None
        for i, batch in enumerate(batches):
            try:
                if i == 0:
                    processed = analyzer.preprocessor.process_many(batch)
                else:
                    processed = worker.result(
                        ahead, functools.partial(analyzer.preprocessor.process_many, batch)
                    )
                    if i + 1 < len(batches):
                        ahead = worker.submit(_prepare, batches[i + 1])
                rows = analyzer.embed_processed(processed)
            except BaseException:
                if behind is not None:  # the sequential path stored it before failing here
                    yield _done(worker, analyzer, behind, k, progress)
                raise
            if behind is not None:
                yield _done(worker, analyzer, behind, k, progress)
            behind = (i, processed, rows, worker.submit(_finish, processed, rows, k))
        assert behind is not None
        yield _done(worker, analyzer, behind, k, progress)
    finally:
        worker.close()


def _done(
    worker: _Worker,
    analyzer: TopicAnalyzer,
    behind: _Behind,
    k: int,
    progress: Callable[[int], None] | None,
) -> tuple[int, list[Analysis]]:
    """Return a batch's analyses from the worker (made here if it failed); tell progress."""
    i, processed, rows, pending = behind
    analyses = worker.result(pending, lambda: analyzer.finish(processed, rows, k))
    if progress:
        for _ in analyses:
            progress(1)
    return i, analyses


class _Worker:
    """One forked process running ``_prepare`` and ``_finish``; given up on at its first fault."""

    def __init__(self, analyzer: TopicAnalyzer) -> None:
        global _FORKED
        with _FORK_LOCK:  # the global names the analyzer only while this worker forks
            _FORKED = analyzer
            try:
                self.pool: Pool | None = multiprocessing.get_context("fork").Pool(1, _started)
            finally:
                _FORKED = None

    def submit(self, func: Callable[..., T | None], *args: object) -> AsyncResult[T | None] | None:
        """Queue ``func(*args)`` in the worker (None once the worker was given up)."""
        return None if self.pool is None else self.pool.apply_async(func, args)

    def result(self, pending: AsyncResult[T | None] | None, redo: Callable[[], T]) -> T:
        """Return the worker's result, else ``redo()`` here (raising what the stage raises)."""
        found: T | None = None
        if self.pool is not None and pending is not None:
            try:
                found = pending.get(WORKER_TIMEOUT_S)
            except Exception:  # timed out or lost: the rest runs here, in turn
                log.warning("overlap worker gave no result; the import continues in turn")
                self.close()
        return redo() if found is None else found

    def close(self) -> None:
        """End the worker process."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


def _started() -> None:
    """Worker start: keep the inherited analyzer (the parent clears its global after the fork).

    A worker that the pool forks again later (after one died) finds none, and each of its
    steps returns None: the main process does them.
    """
    global _WORKER
    _WORKER = _FORKED
    if _WORKER is not None:
        _WORKER.after_fork()


_WORKER: TopicAnalyzer | None = None


def _prepare(texts: list[str]) -> list[ProcessedText] | None:
    """Worker step: preprocess a batch; None on failure (the main process redoes it)."""
    try:
        assert _WORKER is not None
        return _WORKER.preprocessor.process_many(texts)
    except Exception:
        return None


def _finish(processed: list[ProcessedText], rows: Rows, k: int) -> list[Analysis] | None:
    """Worker step: score and rank a batch; None on failure (the main process redoes it)."""
    try:
        assert _WORKER is not None
        return _WORKER.finish(processed, rows, k)
    except Exception:
        return None
