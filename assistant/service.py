"""Assistant: the one orchestrator; it wires stages to storage and holds no NLP of its own.

Text work goes to ``TopicAnalyzer``, file parsing to ``importer``, people to ``PeerIndex``,
themes to ``ThemeClusterer``, forum ranking to ``forum``; SQL stays in ``Repository``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np

from assistant.analysis import Analysis, ItemResult, TopicAnalyzer
from assistant.domain import Entry, Participant, Programme, SuggestionResult
from assistant.errors import ImportRejectedError, InvalidEntryError
from assistant.forum import ForumTopic, rank_forum_topics
from assistant.importer import ImportRow, parse_file, write_rejects
from assistant.nlp.pii import PiiMasker
from assistant.peers import PeerIndex, PeerMatch, PeerProfile
from assistant.storage.repository import Repository, StoredVectors
from assistant.themes import ThemeClusterer, ThemeClusters, ThemeInput

log = logging.getLogger(__name__)

Progress = Callable[[int], None] | None
PeerMode = Literal["similar", "need-offer"]
DEMO_DIR = Path(__file__).parent / "demo"


@dataclass
class ImportReport:
    """What an import did."""

    rows: int = 0
    imported: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    participants: int = 0


@dataclass(frozen=True)
class PeerResult:
    """Peers of one participant."""

    participant: str
    programme: str
    peers: list[PeerMatch]


class Assistant:
    """The engine behind the CLI and the app.

    Parameters
    ----------
    analyzer : TopicAnalyzer
        Text stages (validate, preprocess, embed, score, rank).
    repository : Repository, optional
        Storage; commands that need programme data raise without it.
    min_cluster_participants : int, default=5
        Representative sentences are shown only for clusters with at least this many people.
    """

    def __init__(
        self,
        analyzer: TopicAnalyzer,
        repository: Repository | None = None,
        *,
        describe: dict[str, Any] | None = None,
        min_cluster_participants: int = 5,
    ) -> None:
        self.analyzer = analyzer
        self.pool = analyzer.pool
        self.repository = repository
        self.min_cluster_participants = min_cluster_participants
        self._describe = describe or {}
        self._peer_indexes: dict[tuple[int, str], PeerIndex] = {}
        self._lock = threading.Lock()

    # -- text level -------------------------------------------------------------------------

    def suggest(self, text: str, k: int = 3) -> SuggestionResult:
        """Suggest up to ``k`` pool topics for one text (raises ``InvalidEntryError``)."""
        return self.analyzer.suggest(text, k=k)

    def suggest_many(
        self, texts: Sequence[str], k: int = 3, progress: Progress = None
    ) -> list[ItemResult]:
        """Suggest topics for many texts; bad texts yield their error."""
        return self.analyzer.suggest_many(texts, k=k, progress=progress)

    @property
    def repo(self) -> Repository:
        """The repository, or a clear error when none is configured."""
        if self.repository is None:
            raise InvalidEntryError("No database is configured for this command.", "no_database")
        return self.repository

    # -- import -----------------------------------------------------------------------------

    def import_file(
        self,
        path: str | Path,
        *,
        programme: str | None = None,
        kind: str = "tandem",
        skip_invalid: bool = False,
        rejects_path: str | Path | None = None,
        progress: Progress = None,
        programme_info: dict[str, dict[str, Any]] | None = None,
        given_names: dict[str, str] | None = None,
    ) -> ImportReport:
        """Validate a file, embed its new entries and store everything in one transaction.

        Raises
        ------
        ImportRejectedError
            Some rows are invalid and ``skip_invalid`` is off: nothing was imported.
        """
        parsed = parse_file(path, programme=programme)
        existing = self.repo.entry_hashes(r.entry_id for r in parsed.rows)
        rejects = [(line, why) for line, _, why in parsed.rejects]
        new_rows: list[ImportRow] = []
        unchanged = 0
        for row in parsed.rows:
            known = existing.get(row.entry_id)
            if known is None:
                new_rows.append(row)
            elif known[0] == row.content_hash:
                unchanged += 1
            else:
                rejects.append((row.line, f"entry_id {row.entry_id} exists with other content"))
                parsed.rejects.append((row.line, {"entry_id": row.entry_id}, rejects[-1][1]))
        rejected_lines = {line for line, _ in rejects}
        new_rows = [r for r in new_rows if r.line not in rejected_lines]
        rejects.sort()
        if rejects and rejects_path:
            write_rejects(rejects_path, sorted(parsed.rejects, key=lambda r: r[0]))
        if rejects and not skip_invalid:
            raise ImportRejectedError(
                f"{Path(path).name}: {len(rejects)} invalid row(s); nothing was imported.", rejects
            )
        analyses = self.analyzer.analyse([r.text for r in new_rows], progress=progress)
        kinds = {name: info.get("kind", kind) for name, info in (programme_info or {}).items()}
        programme_ids: dict[str, int] = {}
        with self.repo.transaction() as tx:
            for row in parsed.rows:
                if row.programme not in programme_ids:
                    extra = dict((programme_info or {}).get(row.programme, {}))
                    extra.pop("kind", None)
                    programme_ids[row.programme] = self.repo.upsert_programme(
                        tx, row.programme, kinds.get(row.programme, kind), **extra
                    )
            seen: set[tuple[int, str]] = set()
            for row in parsed.rows:
                if row.line in rejected_lines:
                    continue
                pid = programme_ids[row.programme]
                if (pid, row.participant_id) not in seen:
                    seen.add((pid, row.participant_id))
                    self.repo.upsert_participant(tx, pid, _participant(row, given_names))
                if row.group:
                    self.repo.ensure_group_member(tx, pid, row.group, row.participant_id)
            for row, analysis in zip(new_rows, analyses, strict=True):
                entry = Entry(
                    id=row.entry_id,
                    programme_id=programme_ids[row.programme],
                    participant_id=row.participant_id,
                    kind=row.kind,
                    text=row.text,
                    created_at=row.created_at,
                    stage=row.stage,
                )
                self.repo.add_entry(tx, entry, row.content_hash)
                self._store_analysis(tx, row.entry_id, analysis)
        self._refresh_peer_indexes(
            {
                programme_ids[r.programme]: {
                    x.participant_id for x in parsed.rows if x.programme == r.programme
                }
                for r in parsed.rows
            }
        )
        return ImportReport(
            rows=len(parsed.rows) + len(parsed.rejects),
            imported=len(new_rows),
            unchanged=unchanged,
            rejected=rejects,
            programmes=sorted(programme_ids),
            participants=len({r.participant_id for r in parsed.rows}),
        )

    def _store_analysis(self, tx: Any, entry_id: str, analysis: Analysis) -> None:
        self.repo.put_derived(
            tx,
            entry_id,
            self.analyzer.embedder.model_id,
            self.analyzer.pool_key,
            analysis.vector,
            analysis.scores,
            analysis.processed.lemmas,
            analysis.processed.language,
            [(s.topic_id, s.score) for s in analysis.result.topics],
        )

    def _derived(self, entry_ids: Sequence[str]) -> StoredVectors:
        """Return stored analyses of entries, recomputing those of another model or pool."""
        model_id, pool_key = self.analyzer.embedder.model_id, self.analyzer.pool_key
        derived = self.repo.derived(entry_ids, model_id, pool_key)
        stale = [i for i in entry_ids if i not in set(derived.entry_ids)]
        if not stale:
            return derived
        entries = {e.id: e for e in self.repo.entries_by_id(stale)}
        todo = [entries[i] for i in stale if i in entries]
        log.info("recomputing %d stored analyses for model %s", len(todo), model_id)
        analyses = self.analyzer.analyse([e.text for e in todo])
        with self.repo.transaction() as tx:
            for entry, analysis in zip(todo, analyses, strict=True):
                self._store_analysis(tx, entry.id, analysis)
        return self.repo.derived(entry_ids, model_id, pool_key)

    def load_demo(self, progress: Progress = None) -> ImportReport:
        """Import the fictional demo programmes shipped in ``assistant/demo``."""
        info = json.loads((DEMO_DIR / "programmes.json").read_text(encoding="utf-8"))
        programme_info = {
            p["name"]: {
                "kind": p["kind"],
                "description": p.get("description", ""),
                "starts_on": date.fromisoformat(p["starts_on"]) if p.get("starts_on") else None,
                "ends_on": date.fromisoformat(p["ends_on"]) if p.get("ends_on") else None,
            }
            for p in info
        }
        names = json.loads((DEMO_DIR / "names.json").read_text(encoding="utf-8"))
        return self.import_file(
            DEMO_DIR / "entries.csv",
            programme_info=programme_info,
            given_names=names,
            progress=progress,
        )

    # -- lookups ----------------------------------------------------------------------------

    def programme(self, name: str) -> Programme:
        """Return the programme called ``name``; the error lists the known ones."""
        found = self.repo.get_programme(name)
        if found is None:
            known = ", ".join(p.name for p in self.repo.list_programmes()) or "none yet"
            raise InvalidEntryError(
                f"Unknown programme '{name}'. Known programmes: {known}.", "unknown_programme"
            )
        return found

    def participant_programme(self, participant_id: str, programme: str | None) -> Programme:
        """Return the programme of a participant; ``programme`` picks one of several."""
        programmes = self.repo.programmes_of(participant_id)
        if not programmes:
            raise InvalidEntryError(
                f"Unknown participant '{participant_id}'.", "unknown_participant"
            )
        if programme is not None:
            for p in programmes:
                if p.name == programme:
                    return p
            raise InvalidEntryError(
                f"Participant '{participant_id}' does not take part in '{programme}'.",
                "unknown_participant",
            )
        if len(programmes) > 1:
            raise InvalidEntryError(
                f"Participant '{participant_id}' takes part in several programmes; name one with "
                f"--programme: {', '.join(p.name for p in programmes)}.",
                "ambiguous_programme",
            )
        return programmes[0]

    # -- peers ------------------------------------------------------------------------------

    def find_peers(
        self,
        participant_id: str,
        *,
        programme: str | None = None,
        k: int = 5,
        mode: PeerMode = "similar",
    ) -> PeerResult:
        """Top-k consenting peers of a consenting participant."""
        prog = self.participant_programme(participant_id, programme)
        person = self.repo.get_participant(participant_id, prog.id)
        assert person is not None
        if not person.consent_matching:
            raise InvalidEntryError(
                f"Participant '{participant_id}' has not consented to matching.", "no_consent"
            )
        index = self._peer_index(prog)
        matches = index.find_peers(
            participant_id, k=k, mode=mode, prefer_other_organisation=prog.kind == "cross"
        )
        return PeerResult(participant_id, prog.name, matches)

    def _peer_index(self, prog: Programme) -> PeerIndex:
        key = (prog.id, self.analyzer.embedder.model_id)
        with self._lock:
            if key not in self._peer_indexes:
                index = PeerIndex()
                index.fit(self._profiles(prog.id, None), self.pool.ids, self._labels())
                self._peer_indexes[key] = index
            return self._peer_indexes[key]

    def _refresh_peer_indexes(self, affected: dict[int, set[str]]) -> None:
        """Update cached indexes in place after an import: upsert or drop affected people."""
        for (pid, _), index in list(self._peer_indexes.items()):
            if pid not in affected:
                continue
            profiles = self._profiles(pid, affected[pid])
            consenting = {p.participant_id for p in profiles}
            index.remove(affected[pid] - consenting)
            index.add(profiles)

    def _profiles(self, programme_id: int, only: set[str] | None) -> list[PeerProfile]:
        people = [
            p
            for p in self.repo.participants_of(programme_id)
            if p.consent_matching and (only is None or p.id in only)
        ]
        entries = self.repo.entries_of(programme_id)
        derived = self._derived([e.id for e in entries])
        position = {eid: i for i, eid in enumerate(derived.entry_ids)}
        by_person: dict[str, dict[str, list[int]]] = {}
        for entry in entries:
            if entry.id in position:
                side = "offer" if entry.kind == "offer" else entry.kind
                by_person.setdefault(entry.participant_id, {}).setdefault(side, []).append(
                    position[entry.id]
                )
        profiles = []
        n_topics = len(self.pool.ids)
        for person in people:
            rows = by_person.get(person.id, {})
            need = rows.get("goal") or rows.get("reflection") or []
            offer = rows.get("offer") or []

            def mean_vector(idx: list[int]) -> np.ndarray | None:
                if not idx:
                    return None
                v = derived.vectors[idx].mean(axis=0)
                norm = float(np.linalg.norm(v))
                return (v / norm).astype(np.float32) if norm else None

            def mean_topics(idx: list[int]) -> np.ndarray | None:
                return derived.topic_scores[idx, :n_topics].mean(axis=0) if idx else None

            profiles.append(
                PeerProfile(
                    participant_id=person.id,
                    organisation=person.organisation,
                    role=person.role,
                    need_vector=mean_vector(need),
                    need_topics=mean_topics(need),
                    offer_vector=mean_vector(offer),
                    offer_topics=mean_topics(offer),
                )
            )
        return profiles

    def _labels(self) -> dict[str, str]:
        return {t.id: t.label["de"] for t in self.pool.topics}

    # -- themes -----------------------------------------------------------------------------

    def theme_clusters(self, programme: str) -> tuple[Programme, ThemeClusters, dict[str, Any]]:
        """Theme clusters of a programme's consenting entries, stored and reused.

        Returns the programme, the clusters, and run facts (``computed``: whether this call
        clustered or reused the stored assignment).
        """
        prog = self.programme(programme)
        entries = self.repo.entries_of(prog.id, consent_analysis=True)
        derived = self._derived([e.id for e in entries])
        clusterer = ThemeClusterer(anchor_threshold=self.analyzer.suggester.threshold_)
        fingerprint = hashlib.sha256(
            json.dumps(
                [
                    self.analyzer.embedder.model_id,
                    list(self.pool.ids),
                    repr(clusterer.__dict__),
                    sorted((e.id, e.text, e.created_at.isoformat()) for e in entries),
                ],
                ensure_ascii=False,
            ).encode()
        ).hexdigest()
        stored = self.repo.latest_theme_run(prog.id)
        if stored is not None and stored[0]["fingerprint"] == fingerprint:
            return prog, _clusters_from_rows(stored), {"computed": False}
        masker = PiiMasker(self.repo.known_names(prog.id))
        by_id = {e.id: e for e in entries}
        inputs = []
        for i, entry_id in enumerate(derived.entry_ids):
            entry = by_id[entry_id]
            masked = masker.mask(entry.text)
            inputs.append(
                ThemeInput(
                    entry_id=entry_id,
                    participant_id=entry.participant_id,
                    text=masked,
                    lemmas=derived.lemmas[i],
                    sentences=tuple(self.analyzer.preprocessor(masked).sentences)
                    if masked.strip()
                    else (masked,),
                    vector=derived.vectors[i],
                    topic_scores=derived.topic_scores[i],
                    created_at=entry.created_at,
                )
            )
        result = clusterer.fit(inputs, self.pool.ids, self._labels()).result_
        self.repo.save_theme_run(
            prog.id,
            fingerprint,
            {
                "n_entries": result.n_entries,
                "n_boilerplate": result.n_boilerplate,
                "n_duplicates": result.n_duplicates,
                "too_few": result.too_few,
            },
            [
                {
                    "cluster_id": c.id,
                    "label": c.label,
                    "keywords": json.dumps(list(c.keywords), ensure_ascii=False),
                    "size": c.size,
                    "n_entries": c.n_entries,
                    "topic": c.topic,
                    "emerging": c.emerging,
                    "sentences": json.dumps(list(c.sentences), ensure_ascii=False),
                }
                for c in result.clusters
            ],
            result.assignments,
        )
        return prog, result, {"computed": True}

    def themes_over_time(self, programme: str, period: str = "month") -> list[tuple[str, str, int]]:
        """Return (period, cluster id, entries) from the stored assignment, sorted."""
        prog, result, _ = self.theme_clusters(programme)
        dates = {e.id: e.created_at for e in self.repo.entries_of(prog.id, consent_analysis=True)}
        counts: dict[tuple[str, str], int] = {}
        for entry_id, cluster_id in result.assignments.items():
            when = dates.get(entry_id)
            if when is None:
                continue
            key = (
                f"{when.year}-{when.month:02d}"
                if period == "month"
                else (f"{when.year}-Q{(when.month - 1) // 3 + 1}")
            )
            counts[(key, cluster_id)] = counts.get((key, cluster_id), 0) + 1
        return sorted((p, c, n) for (p, c), n in counts.items())

    # -- forum ------------------------------------------------------------------------------

    def _group(self, group: str, programme: str | None) -> tuple[int, Programme]:
        found = self.repo.find_groups(group)
        programmes = {p.id: p for p in self.repo.list_programmes()}
        if programme is not None:
            found = [g for g in found if programmes[g[1]].name == programme]
        if not found:
            known = sorted(
                {name for p in programmes.values() for name in self.repo.groups_of(p.id)}
            )
            raise InvalidEntryError(
                f"Unknown peer group '{group}'. Known groups: {', '.join(known) or 'none yet'}.",
                "unknown_group",
            )
        if len(found) > 1:
            raise InvalidEntryError(
                f"Several programmes have a group '{group}'; name one with --programme.",
                "ambiguous_group",
            )
        return found[0][0], programmes[found[0][1]]

    def forum_topics(
        self, group: str, *, programme: str | None = None, recent_days: int = 120
    ) -> tuple[Programme, list[ForumTopic]]:
        """Pool topics and emerging themes ranked by how many members raised them recently."""
        group_id, prog = self._group(group, programme)
        members = set(self.repo.group_members(group_id))
        entries = [
            e
            for e in self.repo.entries_of(prog.id, consent_analysis=True)
            if e.participant_id in members
        ]
        if entries:
            newest = max(e.created_at for e in entries)
            entries = [e for e in entries if e.created_at >= newest - timedelta(days=recent_days)]
        derived = self._derived([e.id for e in entries])
        owner = {e.id: e.participant_id for e in entries}
        threshold = self.analyzer.suggester.threshold_
        touched: list[tuple[str, str]] = []
        n = len(self.pool.ids)
        for i, entry_id in enumerate(derived.entry_ids):
            scores = derived.topic_scores[i]
            best = float(scores[:n].max())
            for j in np.flatnonzero(scores[:n] >= max(threshold, 0.4 * best)):
                if best >= threshold and scores[n] <= best:
                    touched.append((owner[entry_id], self.pool.ids[j]))
        _, themes, _ = self.theme_clusters(prog.name)
        emerging = {c.id: c for c in themes.clusters if c.emerging}
        for entry_id, cluster_id in themes.assignments.items():
            if cluster_id in emerging and entry_id in owner:
                touched.append((owner[entry_id], cluster_id))
        labels = {**self._labels(), **{c.id: c.label for c in emerging.values()}}
        prompts = {t.id: t.forum_prompts["de"] for t in self.pool.topics}
        return prog, rank_forum_topics(
            touched, labels, prompts, set(emerging), self.repo.forum_choices(group_id)
        )

    def choose_forum_topic(
        self, group: str, topic: str, session_date: date, *, programme: str | None = None
    ) -> bool:
        """Mark ``topic`` as chosen for the forum on ``session_date``."""
        group_id, prog = self._group(group, programme)
        if topic not in self.pool.ids:
            _, themes, _ = self.theme_clusters(prog.name)
            if topic not in {c.id for c in themes.clusters if c.emerging}:
                raise InvalidEntryError(
                    f"Unknown topic '{topic}'. Use a pool id ({', '.join(self.pool.ids)}) or an "
                    "emerging theme id from 'assistant forum'.",
                    "unknown_topic",
                )
        return self.repo.choose_forum_topic(group_id, topic, session_date)

    # -- erasure ----------------------------------------------------------------------------

    def erase_participant(self, participant_id: str) -> dict[str, int]:
        """Remove a person's entries, derived data, cache and index entries everywhere."""
        programmes = self.repo.programmes_of(participant_id)
        if not programmes:
            raise InvalidEntryError(
                f"Unknown participant '{participant_id}'.", "unknown_participant"
            )
        texts = [
            e.text
            for p in programmes
            for e in self.repo.entries_of(p.id, participant_id=participant_id)
        ]
        counts = self.repo.erase_participant(participant_id)
        forget = getattr(self.analyzer.embedder, "forget", None)
        if forget:
            # Sentences of multi-sentence texts were embedded (and cached) on their own too.
            sentences = [
                s for p in self.analyzer.preprocessor.process_many(texts) for s in p.sentences
            ]
            counts["cache"] = int(forget(list(dict.fromkeys(texts + sentences))))
        else:
            counts["cache"] = 0
        removed = 0
        for (pid, _), index in self._peer_indexes.items():
            if pid in {p.id for p in programmes}:
                removed += index.remove([participant_id])
        counts["index"] = removed
        return counts

    def info(self) -> dict[str, Any]:
        """Describe the configuration in use (no secrets)."""
        embedder = self.analyzer.embedder
        return {
            **self._describe,
            "embedder": {
                "kind": embedder.kind,
                "model_id": embedder.model_id,
                "dimension": embedder.dimension,
            },
            "pool": {
                "name": self.pool.name,
                "source": self.pool.source,
                "topics": len(self.pool.topics),
                "ids": list(self.pool.ids),
            },
            "suggester": {
                "threshold": self.analyzer.suggester.threshold_,
                **self.analyzer.suggester.calibration_,
            },
        }


def _participant(row: ImportRow, given_names: dict[str, str] | None) -> Participant:
    return Participant(
        id=row.participant_id,
        organisation=row.organisation,
        role=row.role,
        age_band=row.age_band,
        consent_analysis=row.consent_analysis,
        consent_matching=row.consent_matching,
        given_name=row.given_name or (given_names or {}).get(row.participant_id),
    )


def _clusters_from_rows(
    stored: tuple[dict[str, Any], list[dict[str, Any]], dict[str, str]],
) -> ThemeClusters:
    from assistant.themes import ThemeCluster

    summary, rows, assignments = stored
    by_cluster: dict[str, list[str]] = {}
    for entry_id, cluster_id in assignments.items():
        by_cluster.setdefault(cluster_id, []).append(entry_id)
    return ThemeClusters(
        clusters=tuple(
            ThemeCluster(
                id=r["cluster_id"],
                label=r["label"],
                keywords=tuple(json.loads(r["keywords"])),
                size=int(r["size"]),
                n_entries=int(r["n_entries"]),
                topic=r["topic"],
                emerging=bool(r["emerging"]),
                entry_ids=tuple(sorted(by_cluster.get(r["cluster_id"], []))),
                sentences=tuple(json.loads(r["sentences"])),
            )
            for r in rows
        ),
        n_entries=int(summary["n_entries"]),
        n_boilerplate=int(summary["n_boilerplate"]),
        n_duplicates=int(summary["n_duplicates"]),
        too_few=bool(summary["too_few"]),
        assignments=assignments,
    )
