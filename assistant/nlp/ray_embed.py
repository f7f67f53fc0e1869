"""RayEmbedder: the texts of a large import embedded as a Ray Data job, one model per worker.

``prepare(texts)`` runs ``map_batches`` over the texts with ``EmbedBatch``, a callable class
that builds the project's own embedder and preprocessor once per Ray actor (``ray_workers``
actors, one CPU each); each actor splits its texts into sentences as the analyser does and
returns ``encode_in_context`` rows. The analysis (``Analyses.complete``) runs meanwhile and
asks ``encode_in_context`` as in a single process; it gets these rows as they arrive, so the
stores, topic scores, peer index, audit and consent rules are the single-process import's own.
A text the job did not cover (or whose sentences came out otherwise) is embedded here by the
wrapped embedder.

Ray is imported inside the functions: commands that do not embed never load it
(``tests/unit/test_lazy_imports.py``).
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from assistant import texts
from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.nlp.embed import Embedder, Progress

__all__ = ["EmbedBatch", "RayEmbedder", "check_address", "connect"]

log = logging.getLogger(__name__)

# local: a Ray instance of this process; auto: the cluster `ray start` runs on this machine;
# ray://host:port: a remote cluster through Ray Client; host:port: a head node's GCS.
_ADDRESS = re.compile(
    r"^(local|auto|ray://[A-Za-z0-9.\-\[\]:]+:[0-9]{1,5}|[A-Za-z0-9.\-]+:[0-9]{1,5})$"
)
CONNECT_TIMEOUT_S = 5.0
MIN_TEXTS = 100
"""Fewer texts are embedded here: the actors' start and model loads cost 15-30 s on two cores
(``bench/speed.py --ray``), in which this process embeds some 300-600 texts itself; a text saved
in the app never waits for them."""
TEXTS_PER_BATCH = 16
"""Texts per ``map_batches`` call: small enough that the two actors share a 100-text file."""


def check_address(address: str) -> str:
    """Return ``address`` if Ray understands it, else raise ``ConfigError`` (German).

    Raises
    ------
    ConfigError
        Not ``local``, ``auto``, ``ray://host:port`` or ``host:port``.
    """
    if not _ADDRESS.match(address):
        raise ConfigError(texts.RAY_BAD_ADDRESS.format(address=address[:100]))
    return address


def connect(address: str, workers: int) -> None:
    """Connect this process to the Ray cluster at ``address`` (once; later calls do nothing).

    ``local`` starts Ray here with ``workers`` CPUs, no dashboard and no usage report, so
    nothing tries the network.

    Raises
    ------
    ConfigError
        The address is malformed or no cluster answers there; the message is German.
    """
    check_address(address)
    if address not in {"local", "auto"}:
        # Ray retries an address where nothing listens for minutes: ask the port first.
        host, _, port = address.removeprefix("ray://").rpartition(":")
        try:
            socket.create_connection(
                (host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_S
            ).close()
        except OSError as err:
            reason = err.strerror or type(err).__name__
            raise ConfigError(texts.RAY_UNREACHABLE.format(address=address, reason=reason)) from err
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    if ray.is_initialized():
        return
    options: dict[str, Any] = {
        "logging_level": logging.ERROR,  # its notices would cut through the progress bar
        "log_to_driver": False,  # a worker's own lines would cut through the progress bar
    }
    if address == "local":  # a running cluster refuses settings of its own resources
        options.update(num_cpus=workers, include_dashboard=False)
    try:
        ray.init(address=address, **options)
    except Exception as err:  # Ray raises ConnectionError, RuntimeError, ValueError, ...
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0][:200]
        raise ConfigError(texts.RAY_UNREACHABLE.format(address=address, reason=reason)) from err


class EmbedBatch:
    """One Ray actor's work: the configured embedder and preprocessor, built once.

    Parameters
    ----------
    settings : Settings
        The driver's settings; the embedder is built from them without the on-disk vector
        cache (the driver keeps that one) and without Ray.
    """

    def __init__(self, settings: Settings) -> None:
        from assistant.nlp.preprocess import Preprocessor
        from assistant.nlp.registry import embedder_maker

        self.embedder = embedder_maker(settings.embedder)(replace(settings, ray_address=""))
        self.embedder.load()
        cache_dir = settings.cache_path.parent if settings.cache else None
        self.preprocessor = Preprocessor(cache_dir=cache_dir)

    def __call__(self, batch: dict[str, NDArray[Any]]) -> dict[str, NDArray[Any]]:
        """Return per text its sentences (JSON) and its rows (float32 bytes, 1 + sentences)."""
        processed = self.preprocessor.process_many([str(t) for t in batch["text"]])
        sentence_lists = [tuple(p.sentences) for p in processed]
        rows = self.embedder.encode_in_context(sentence_lists)
        return {
            "sentences": np.array(
                [json.dumps(s, ensure_ascii=False) for s in sentence_lists], dtype=object
            ),
            "rows": np.array([np.asarray(r, np.float32).tobytes() for r in rows], dtype=object),
        }


class RayEmbedder(Embedder):
    """Wrap an embedder: ``prepare`` embeds texts on a Ray cluster, the rest stays local.

    Parameters
    ----------
    inner : Embedder
        The configured embedder of this process: its ``model_id`` keys the stored vectors (the
        workers build the same model), and it embeds what the Ray job did not cover.
    settings : Settings
        Sent to the workers, which build their embedder from it (``EmbedBatch``).
    address : str
        ``local``, ``auto``, ``ray://host:port`` or ``host:port`` (``connect``).
    workers : int, default=2
        Ray actors, one model and one CPU each.
    progress : callable, optional
        Called with the number of texts each finished batch of the job embedded.
    min_texts : int, default=MIN_TEXTS
        ``prepare`` of fewer distinct texts starts no job: they are embedded here.
    """

    def __init__(
        self,
        inner: Embedder,
        settings: Settings,
        address: str,
        workers: int = 2,
        progress: Progress | None = None,
        min_texts: int = MIN_TEXTS,
    ) -> None:
        self.inner = inner
        self.min_texts = min_texts
        self.settings = settings
        self.address = check_address(address)
        self.workers = workers
        self.progress = progress
        self.kind = inner.kind
        self.model_id = inner.model_id
        self.dimension = inner.dimension
        self._rows: dict[tuple[str, ...], NDArray[np.float32]] = {}
        self._served: set[tuple[str, ...]] = set()  # handed out once: not waited for again
        self._running = False  # a job's batches are still coming
        self._arrived = threading.Condition()
        # Seconds the analysis waited for the job: near 0, this process is the bottleneck
        # and more workers would not help (``bench/speed.py --ray``).
        self.waited_s = 0.0

    def prepare(self, texts: Sequence[str]) -> None:
        """Start one Ray Data job over ``texts``; its rows arrive while the analysis runs.

        The job's batches come back in the order of ``texts`` and are collected by a thread,
        so this process analyses (spaCy, scores, the database) the first texts while the
        workers embed the next ones. Fewer than ``min_texts`` distinct texts start no job
        (they are embedded here).

        Raises
        ------
        ConfigError
            No Ray cluster answers at the address.
        """
        distinct = list(dict.fromkeys(texts))
        if len(distinct) < self.min_texts:
            return
        connect(self.address, self.workers)
        if self.progress and len(texts) > len(distinct):
            self.progress(len(texts) - len(distinct))  # repeated texts: embedded once
        import ray
        import ray.data

        logging.getLogger("ray.data").setLevel(logging.ERROR)  # as above: no INFO lines
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # the command line has its own bar
        context.execution_options.preserve_order = True  # the analysis asks in this order
        # Enough blocks that every actor gets some, few enough that each is many batches.
        batches = -(-len(distinct) // TEXTS_PER_BATCH)
        blocks = min(len(distinct), max(self.workers, min(batches, 4 * self.workers)))
        dataset = ray.data.from_items(
            [{"text": t} for t in distinct], override_num_blocks=blocks
        ).map_batches(
            EmbedBatch,
            fn_constructor_kwargs={"settings": self.settings},
            batch_size=TEXTS_PER_BATCH,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=self.workers),
            num_cpus=1,
        )
        self.collect(dataset.iter_batches(batch_size=None, batch_format="numpy"))

    def collect(self, batches: Iterable[dict[str, NDArray[Any]]]) -> threading.Thread:
        """Keep a job's batches as they finish, in a thread; ``encode_in_context`` waits on it.

        A failing job is logged, and what it did not give is embedded here.

        Returns
        -------
        threading.Thread
            The collecting thread (started).
        """
        with self._arrived:
            self._running = True
        thread = threading.Thread(target=self._collect, args=(batches,), daemon=True)
        thread.start()
        return thread

    def _collect(self, batches: Iterable[dict[str, NDArray[Any]]]) -> None:
        try:
            n_texts = 0
            for batch in batches:
                n_texts += self.add_batch(batch)
            log.info("ray job embedded %d texts on %s", n_texts, self.address)
        except Exception:  # the recording boundary: what the job did not give is embedded here
            log.warning("the Ray job failed; the remaining texts are embedded here", exc_info=True)
        finally:
            with self._arrived:
                self._running = False
                self._arrived.notify_all()

    def add_batch(self, batch: dict[str, NDArray[Any]]) -> int:
        """Keep the rows of one finished batch of the job (``EmbedBatch``'s output).

        Returns
        -------
        int
            How many texts the batch held.
        """
        with self._arrived:
            for sentences, blob in zip(batch["sentences"], batch["rows"], strict=True):
                key = tuple(json.loads(str(sentences)))
                rows = np.frombuffer(blob, dtype=np.float32).reshape(-1, self.dimension)
                self._rows[key] = rows
            if self.progress:  # before the analysis may go on: its end closes the bar
                self.progress(len(batch["rows"]))
            self._arrived.notify_all()
        return len(batch["rows"])

    def encode_in_context(
        self, sentence_lists: Sequence[Sequence[str]], *, progress: Progress | None = None
    ) -> list[NDArray[np.float32]]:
        """Rows of texts the job embedded (each handed out once); the others embedded here.

        While the job runs, this waits for the rows of the texts asked; a text the job does
        not give (asked twice, or split otherwise there) is embedded here once it has ended.
        """
        keys = [tuple(s) for s in sentence_lists]
        with self._arrived:
            started = time.perf_counter()
            self._arrived.wait_for(
                lambda: not self._running or all(k in self._rows or k in self._served for k in keys)
            )
            self.waited_s += time.perf_counter() - started
            found = [self._rows.pop(k, None) for k in keys]
            self._served.update(keys)
        out: list[NDArray[np.float32] | None] = []
        for rows, key in zip(found, keys, strict=True):
            fits = rows is not None and rows.shape[0] == 1 + len(key)
            out.append(rows if fits else None)
            if fits and progress:
                progress(1)
        missing = [i for i, rows in enumerate(out) if rows is None]
        if missing:
            fresh = self.inner.encode_in_context(
                [sentence_lists[i] for i in missing], progress=progress
            )
            for i, rows in zip(missing, fresh, strict=True):
                out[i] = rows
        return [r for r in out if r is not None]

    def encode(
        self, texts: Sequence[str], *, progress: Progress | None = None
    ) -> NDArray[np.float32]:
        """Embed ``texts`` here (the suggester's pool examples, a single text)."""
        return self.inner.encode(texts, progress=progress)

    def uncached(self) -> Embedder:
        """Texts only looked at are embedded here, by the wrapped embedder."""
        return self.inner.uncached()

    def load(self) -> None:
        """Load the local model (for texts the job does not cover)."""
        self.inner.load()

    def forget(self, texts: Iterable[str]) -> int:
        """Drop stored vectors of ``texts`` in the wrapped embedder."""
        return self.inner.forget(texts)
