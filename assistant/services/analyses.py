"""Analyses: an entry's stored analysis, got or recomputed; pending entries completed.

Save first, process second: entries are written with status ``pending`` before any NLP runs,
and ``complete`` stores their analyses afterwards, batch by batch. Whatever a crash or a failing
stage leaves pending is completed by ``complete_pending`` (at the next start, or by
``assistant reprocess``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from assistant.domain import Entry
from assistant.services.pools import PoolAnalyzers
from assistant.storage import Stores, Tx
from assistant.storage.entries import AnalysisRow
from assistant.storage.records import StoredVectors
from assistant.topics.analyser import Analysis, TopicAnalyzer
from assistant.topics.overlap import analyse_batches

__all__ = ["BATCH", "Analyses", "Progress"]

log = logging.getLogger(__name__)

Progress = Callable[[int], None] | None
BATCH = 256
"""Entries analysed and committed together: a crash loses at most one batch of work."""


class Analyses:
    """Stored analyses (vector, topic scores, lemmas, suggestions) of entries.

    Each entry is analysed with its programme's pool (``PoolAnalyzers``); stored scores are
    keyed by that pool, so a changed pool recomputes them when next read.
    """

    def __init__(self, stores: Stores, pools: PoolAnalyzers, overlap: str = "off") -> None:
        self.stores = stores
        self.pools = pools
        self.overlap = overlap  # "process": the text stages beside the encoder (topics.overlap)
        self.batch = BATCH

    @property
    def analyzer(self) -> TopicAnalyzer:
        """The analyzer of the installation's pool (embedder, model id, cache)."""
        return self.pools.base

    def analyzer_for(self, programme_id: int) -> TopicAnalyzer:
        """Return the analyzer of a programme's pool."""
        return self.pools.analyzer_for(programme_id)

    def store(self, tx: Tx, entry_id: str, analysis: Analysis, analyzer: TopicAnalyzer) -> None:
        """Write one entry's analysis in the caller's transaction; the entry is then processed."""
        self.stores.entries.put_analysis(
            tx,
            entry_id,
            analyzer.model_id,
            analyzer.pool_key,
            analysis.vector,
            analysis.scores,
            analysis.processed.lemmas,
            analysis.processed.language,
            [(s.topic_id, s.score) for s in analysis.result.topics],
        )

    def complete(self, entries: Sequence[Entry], progress: Progress = None) -> int:
        """Analyse saved entries and store their analyses, one transaction per batch.

        With ``overlap="process"`` (setting ``ingest_overlap``) the text stages around the
        encoder run beside it in a worker (``assistant.topics.overlap``); the stored analyses
        are the same.
        """
        by_programme: dict[int, list[Entry]] = {}
        for entry in entries:
            by_programme.setdefault(entry.programme_id, []).append(entry)
        # In bulk where the embedder can (a Ray job: ``RayEmbedder``), for all programmes at
        # once (their analyzers share the embedder), in the order analysed below.
        self.analyzer.embedder.prepare([e.text for todo in by_programme.values() for e in todo])
        for programme_id, todo in by_programme.items():
            analyzer = self.analyzer_for(programme_id)
            batches = [
                todo[start : start + self.batch] for start in range(0, len(todo), self.batch)
            ]
            for i, analyses in analyse_batches(
                analyzer,
                [[e.text for e in batch] for batch in batches],
                overlap=self.overlap,
                progress=progress,
            ):
                with self.stores.db.transaction() as tx:
                    self.stores.entries.put_analyses(
                        tx,
                        analyzer.model_id,
                        analyzer.pool_key,
                        [
                            AnalysisRow(
                                entry.id,
                                analysis.vector,
                                analysis.scores,
                                analysis.processed.lemmas,
                                analysis.processed.language,
                                [(s.topic_id, s.score) for s in analysis.result.topics],
                            )
                            for entry, analysis in zip(batches[i], analyses, strict=True)
                        ],
                    )
                    self.stores.programmes.touch(tx, {programme_id})
        return len(entries)

    def complete_pending(self, progress: Progress = None) -> list[Entry]:
        """Complete every entry left pending; return them (as they were found)."""
        pending = self.stores.entries.pending()
        if pending:
            log.info("completing %d pending entries", len(pending))
            self.complete(pending, progress)
        return pending

    def stored(self, entry_ids: Sequence[str], programme_id: int) -> StoredVectors:
        """Return stored analyses of one programme's entries, recomputing stale ones.

        Stale: computed with another model or another version of the programme's pool.
        """
        analyzer = self.analyzer_for(programme_id)
        model_id, pool_key = analyzer.model_id, analyzer.pool_key
        found = self.stores.entries.analyses(entry_ids, model_id, pool_key)
        have = set(found.entry_ids)
        stale = [i for i in entry_ids if i not in have]
        if not stale:
            return found
        by_id = {e.id: e for e in self.stores.entries.by_id(stale)}
        todo = [by_id[i] for i in stale if i in by_id]
        if not todo:
            return found
        log.info("recomputing %d stored analyses for model %s", len(todo), model_id)
        self.complete(todo)
        return self.stores.entries.analyses(entry_ids, model_id, pool_key)

    def forget(self, texts: Sequence[str]) -> int:
        """Drop texts from the embedding cache under every key they were stored under."""
        return self.analyzer.forget(list(texts)) if texts else 0
