"""Assistant: the one orchestrator; it wires stages to storage and holds no NLP of its own.

Text work goes to ``TopicAnalyzer``, file parsing to ``importer``, people to ``PeerIndex``,
themes to ``ThemeClusterer``, forum ranking to ``forum``; SQL stays in ``Repository``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np

from assistant.accounts import AccountService, session_expired
from assistant.analysis import Analysis, ItemResult, TopicAnalyzer
from assistant.config import Settings
from assistant.domain import (
    ENTRY_KINDS,
    STAGES,
    Entry,
    Participant,
    Programme,
    SuggestionResult,
    TopicSuggestion,
)
from assistant.errors import AccessDenied, ImportRejectedError, InvalidEntryError
from assistant.forum import ForumTopic, rank_forum_topics
from assistant.importer import ImportRow, parse_file, write_rejects
from assistant.nlp.pii import PiiMasker
from assistant.nlp.text import validate_text
from assistant.peers import PeerIndex, PeerMatch, PeerProfile
from assistant.policy import Action, Principal, authorize
from assistant.projection import project_2d
from assistant.storage.repository import Repository, StoredSuggestion, StoredVectors
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


SUGGESTION_STATUSES = ("suggested", "accepted", "dismissed")


@dataclass(frozen=True)
class EntrySuggestions:
    """One's own entry with its stored suggestions (fresh evidence) and their statuses."""

    entry: Entry
    result: SuggestionResult
    status: dict[str, str]  # topic id -> suggested | accepted | dismissed


@dataclass(frozen=True)
class PeerView:
    """A suggested peer as a participant may see them: pseudonym and organisation only."""

    participant_id: str
    organisation: str
    score: float
    shared_topics: tuple[str, ...]  # German labels
    reason: str


@dataclass(frozen=True)
class MapPoint:
    """One entry on the coordinator's theme map: where it lies and its cluster, nothing else."""

    x: float
    y: float
    cluster_id: str


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
        settings: Settings | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.pool = analyzer.pool
        self.repository = repository
        self.min_cluster_participants = min_cluster_participants
        self._describe = describe or {}
        self._peer_indexes: dict[tuple[int, str], PeerIndex] = {}
        self._lock = threading.Lock()
        self.settings = settings or Settings()  # limits of accounts, sessions and uploads
        self._accounts: AccountService | None = None

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

    # -- theme map (coordinator page) -------------------------------------------------------

    def theme_map(self, programme: str) -> dict[str, tuple[float, float, str]]:
        """Entry id → (x, y, cluster id): clustered entries projected onto a plane (PCA).

        Entries set aside by the clusterer (boilerplate, duplicates) are not on the map.
        """
        _, themes, _ = self.theme_clusters(programme)
        derived = self._derived(sorted(themes.assignments))
        if not derived.entry_ids:
            return {}
        coords = project_2d(derived.vectors)
        return {
            entry_id: (float(x), float(y), themes.assignments[entry_id])
            for entry_id, (x, y) in zip(derived.entry_ids, coords, strict=True)
        }

    def theme_map_for(self, who: Principal | None, programme: str) -> list[MapPoint]:
        """Return the theme map as a coordinator may see it: positions and clusters, no ids."""
        self._authorize(who, Action.VIEW_THEMES, programme=programme)
        return [MapPoint(x, y, cluster) for x, y, cluster in self.theme_map(programme).values()]

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

    # -- participant workspace --------------------------------------------------------------

    def add_entry(
        self,
        participant_id: str,
        programme: str,
        kind: str,
        text: str,
        stage: str | None = None,
        *,
        created_at: date | None = None,
    ) -> Entry:
        """Store a participant's new goal, offer or reflection with its analysis.

        Entry, embedding, topic scores and suggestions are written in one transaction; the
        person's profile in a cached peer index is updated in place.

        Raises
        ------
        InvalidEntryError
            Invalid text (``empty``, ``too_long``, ...), kind (``bad_kind``) or stage
            (``bad_stage``); ``unknown_participant`` when they are not in ``programme``.
        """
        prog = self.participant_programme(participant_id, programme)
        if kind not in ENTRY_KINDS:
            raise InvalidEntryError(f"kind: must be one of {', '.join(ENTRY_KINDS)}.", "bad_kind")
        if stage is not None and stage not in STAGES:
            raise InvalidEntryError(f"stage: must be one of {', '.join(STAGES)}.", "bad_stage")
        cleaned = validate_text(text)
        analysis = self.analyzer.analyse([cleaned])[0]
        entry = Entry(
            id=f"w-{uuid.uuid4().hex}",  # random, so ids reveal nothing about the text
            programme_id=prog.id,
            participant_id=participant_id,
            kind=kind,
            text=cleaned,
            created_at=created_at or date.today(),
            # Stages exist only in peer-group programmes.
            stage=stage if prog.kind == "peer_group" else None,
            status="processed",
        )
        with self.repo.transaction() as tx:
            self.repo.add_entry(tx, entry, _entry_hash(prog.name, entry))
            self._store_analysis(tx, entry.id, analysis)
        self._refresh_peer_indexes({prog.id: {participant_id}})
        return entry

    def edit_entry(self, participant_id: str, entry_id: str, text: str) -> Entry:
        """Replace the text of one's own entry; re-analyse it and reset its suggestions.

        Raises
        ------
        AccessDenied
            The entry belongs to someone else.
        InvalidEntryError
            Unknown entry (``unknown_entry``) or invalid text.
        """
        entry = self._own_entry(participant_id, entry_id)
        cleaned = validate_text(text)
        if cleaned == entry.text:
            return entry
        analysis = self.analyzer.analyse([cleaned])[0]
        prog = next(
            p for p in self.repo.programmes_of(participant_id) if p.id == entry.programme_id
        )
        edited = Entry(
            id=entry.id,
            programme_id=entry.programme_id,
            participant_id=participant_id,
            kind=entry.kind,
            text=cleaned,
            created_at=entry.created_at,
            stage=entry.stage,
            status="processed",
        )
        with self.repo.transaction() as tx:
            self.repo.update_entry_text(tx, entry_id, cleaned, _entry_hash(prog.name, edited))
            # Feedback on the old text does not hold for the new one.
            self.repo.clear_suggestions(tx, entry_id)
            self._store_analysis(tx, entry_id, analysis)
        self._forget_cached([entry.text])
        self._refresh_peer_indexes({entry.programme_id: {participant_id}})
        return edited

    def entries_of_participant(self, participant_id: str, programme: str) -> list[Entry]:
        """Return a participant's own entries in ``programme``, oldest first."""
        prog = self.participant_programme(participant_id, programme)
        return self.repo.entries_of(prog.id, participant_id=participant_id)

    def suggestions_of(self, entry_ids: Sequence[str]) -> dict[str, list[StoredSuggestion]]:
        """Return stored suggestions per entry id, best first (entries without any are absent)."""
        found: dict[str, list[StoredSuggestion]] = {}
        for suggestion in self.repo.suggestions_of(list(entry_ids)):
            found.setdefault(suggestion.entry_id, []).append(suggestion)
        return found

    def set_suggestion_status(
        self, participant_id: str, entry_id: str, topic_id: str, status: str
    ) -> None:
        """Accept, dismiss or restore a suggestion of one's own entry.

        Raises
        ------
        AccessDenied
            The entry belongs to someone else.
        InvalidEntryError
            ``bad_status``, ``unknown_entry`` or ``unknown_suggestion``.
        """
        if status not in SUGGESTION_STATUSES:
            raise InvalidEntryError(
                f"status: must be one of {', '.join(SUGGESTION_STATUSES)}.", "bad_status"
            )
        self._own_entry(participant_id, entry_id)
        if not self.repo.set_suggestion_status(entry_id, topic_id, status):
            raise InvalidEntryError(
                f"Topic '{topic_id}' was not suggested for entry '{entry_id}'.",
                "unknown_suggestion",
            )

    def entry_suggestions(self, participant_id: str, entry_id: str) -> EntrySuggestions:
        """Return the stored suggestions of one's own entry, with fresh evidence and statuses.

        The stored rows decide which topics and scores are shown; the text is analysed again
        only to point at the sentences and keywords behind each topic.
        """
        entry = self._own_entry(participant_id, entry_id)
        stored = self.suggestions_of([entry_id]).get(entry_id, [])
        fresh = self.analyzer.analyse([entry.text], k=max(3, len(stored)))[0].result
        by_topic = {s.topic_id: s for s in fresh.topics}
        labels = self._labels()
        topics = tuple(
            replace(by_topic[s.topic_id], score=s.score)
            if s.topic_id in by_topic
            else TopicSuggestion(s.topic_id, labels.get(s.topic_id, s.topic_id), s.score, (), ())
            for s in stored
        )
        return EntrySuggestions(
            entry=entry,
            result=SuggestionResult(fresh.language, topics, no_fit=not topics),
            status={s.topic_id: s.status for s in stored},
        )

    def peer_suggestions(self, participant_id: str, programme: str, k: int = 5) -> list[PeerView]:
        """Consenting peers for a consenting participant, as the participant may see them.

        Mentees and mentors of reverse, cross and tandem programmes are matched need against
        offer; everyone else by similar goals. Only the pseudonymous id and the organisation
        of a peer are given, never their words.

        Raises
        ------
        InvalidEntryError
            ``no_consent`` when the participant has not consented to matching; ``no_texts``
            when they have nothing to match yet.
        """
        prog = self.participant_programme(participant_id, programme)
        person = self.repo.get_participant(participant_id, prog.id)
        assert person is not None
        mode: PeerMode = (
            "need-offer"
            if prog.kind in ("reverse", "cross", "tandem") and person.role in ("mentee", "mentor")
            else "similar"
        )
        try:
            matches = self.find_peers(participant_id, programme=prog.name, k=k, mode=mode).peers
        except InvalidEntryError as err:
            if err.code == "unknown_participant":  # consenting, but no entries in the index yet
                raise InvalidEntryError(
                    f"Participant '{participant_id}' has no texts to match yet.", "no_texts"
                ) from err
            raise
        organisations = {p.id: p.organisation for p in self.repo.participants_of(prog.id)}
        labels = self._labels()
        return [
            PeerView(
                participant_id=m.participant_id,
                organisation=organisations.get(m.participant_id, ""),
                score=m.score,
                shared_topics=tuple(labels.get(t, t) for t in m.shared_topics),
                reason=m.reason,
            )
            for m in matches
        ]

    def feedback_examples(self, programme: str | None = None) -> list[tuple[str, str]]:
        """Return accepted (text, topic id) pairs of participants who consented to analysis.

        Meant for reviewing and extending the topic pool (see README, "Feedback"); they are not
        fed back into training automatically.
        """
        programme_id = self.programme(programme).id if programme is not None else None
        return self.repo.accepted_suggestions(programme_id)

    def forum_history(self, group: str, *, programme: str | None = None) -> list[tuple[str, date]]:
        """(topic label, forum date) of topics chosen for a group, oldest first."""
        group_id, prog = self._group(group, programme)
        labels = self._labels()
        stored = self.repo.latest_theme_run(prog.id)
        if stored is not None:
            labels.update({c["cluster_id"]: c["label"] for c in stored[1]})
        return [(labels.get(t, t), when) for t, when in self.repo.forum_choices(group_id)]

    def _own_entry(self, participant_id: str, entry_id: str) -> Entry:
        found = self.repo.entries_by_id([entry_id])
        if not found:
            raise InvalidEntryError(f"Unknown entry '{entry_id}'.", "unknown_entry")
        if found[0].participant_id != participant_id:
            raise AccessDenied(
                f"'{participant_id}' may not change entry '{entry_id}'.", "entries.write"
            )
        return found[0]

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
        counts["cache"] = self._forget_cached(texts)
        removed = 0
        for (pid, _), index in self._peer_indexes.items():
            if pid in {p.id for p in programmes}:
                removed += index.remove([participant_id])
        counts["index"] = removed
        return counts

    # -- accounts & privacy (issue #5) ------------------------------------------------------
    # Every method here takes the signed-in Principal and asks policy.authorize first; a
    # refusal is written to the audit log before it is raised. Pages and the CLI call these.

    @property
    def accounts(self) -> AccountService:
        """Accounts, sign-in and roles on this assistant's database."""
        if self._accounts is None:
            self._accounts = AccountService(
                self.repo,
                max_failures=self.settings.login_max_failures,
                lock_minutes=self.settings.login_lock_minutes,
            )
        return self._accounts

    def authenticate(self, username: str, password: str) -> Principal:
        """Sign in with a local account (rate-limited, audited); raises ``AccessDenied``.

        ``AccessDenied.action`` is ``"locked"`` while the name is locked, else ``"signin"``.
        """
        return self.accounts.authenticate(username, password)

    def principal(self, username: str) -> Principal:
        """Return the principal of an account, its scope read from the database."""
        return self.accounts.principal(username)

    def principal_for_oidc(self, email_or_sub: str) -> Principal:
        """Map an OIDC identity (``st.user`` e-mail or subject) to its account, or refuse."""
        return self.accounts.principal_for_oidc(email_or_sub)

    def session_expired(self, signed_in_at: datetime, now: datetime) -> bool:
        """Return whether a sign-in at ``signed_in_at`` is past ``session_minutes`` at ``now``."""
        return session_expired(signed_in_at, now, self.settings.session_ttl)

    def audit(
        self,
        who: Principal | str,
        action: str,
        outcome: str = "ok",
        *,
        programme: str | None = None,
        group: str | None = None,
        subject: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one row to the audit log (no participant text in ``detail``)."""
        actor = who.username if isinstance(who, Principal) else who
        self.repo.append_audit(
            actor, action, outcome, programme=programme, group=group, subject=subject, detail=detail
        )

    def _authorize(
        self,
        who: Principal | None,
        action: Action,
        *,
        programme: str | None = None,
        group: str | None = None,
        participant_id: str | None = None,
    ) -> Principal:
        try:
            authorize(who, action, programme=programme, group=group, participant_id=participant_id)
        except AccessDenied:
            self.audit(
                who.username if who else "anonymous",
                action.value,
                "denied",
                programme=programme,
                group=group,
                subject=participant_id,
            )
            raise
        assert who is not None
        return who

    def themes_for(
        self, who: Principal | None, programme: str
    ) -> tuple[Programme, ThemeClusters, dict[str, Any]]:
        """Theme clusters of a programme as a coordinator may see them (audited).

        Only entries of people who consented to analysis are clustered, sentences are masked,
        and a cluster of fewer than ``min_cluster_participants`` distinct people shows no
        sentences at all. Entry ids are left out: a coordinator sees aggregates, not entries.
        """
        self._authorize(who, Action.VIEW_THEMES, programme=programme)
        prog, result, run = self.theme_clusters(programme)
        self.audit(who or "anonymous", Action.VIEW_THEMES.value, programme=prog.name)
        return prog, coordinator_view(result, self.min_cluster_participants), run

    def themes_over_time_for(
        self, who: Principal | None, programme: str, period: str = "month"
    ) -> list[tuple[str, str, int]]:
        """(period, cluster id, entries) of a programme, for its coordinators."""
        self._authorize(who, Action.VIEW_THEMES, programme=programme)
        return self.themes_over_time(programme, period)

    def forum_for(
        self, who: Principal | None, group: str, programme: str | None = None
    ) -> tuple[Programme, list[ForumTopic]]:
        """Ranked forum topics of a group its moderator may see: counts, never texts."""
        programme = programme or _programme_of_group(who, group)
        self._authorize(who, Action.VIEW_FORUM, programme=programme, group=group)
        prog, topics = self.forum_topics(group, programme=programme)
        self.audit(who or "anonymous", Action.VIEW_FORUM.value, programme=prog.name, group=group)
        return prog, topics

    def choose_forum_for(
        self,
        who: Principal | None,
        group: str,
        topic: str,
        session_date: date,
        programme: str | None = None,
    ) -> bool:
        """Record a forum topic for a group its moderator moderates."""
        programme = programme or _programme_of_group(who, group)
        self._authorize(who, Action.CHOOSE_FORUM, programme=programme, group=group)
        return self.choose_forum_topic(group, topic, session_date, programme=programme)

    def peers_for(
        self,
        who: Principal | None,
        programme: str | None = None,
        *,
        k: int = 5,
        mode: PeerMode = "similar",
    ) -> PeerResult:
        """Peers of the signed-in participant (both sides consented to matching)."""
        me = who.participant_id if who else None
        self._authorize(who, Action.VIEW_PEERS, programme=programme, participant_id=me)
        assert me is not None
        return self.find_peers(me, programme=programme, k=k, mode=mode)

    def entries_for(
        self,
        who: Principal | None,
        participant_id: str | None = None,
        programme: str | None = None,
    ) -> list[Entry]:
        """Return a participant's own entries; asking for anyone else's is refused and audited."""
        target = participant_id or (who.participant_id if who else None)
        self._authorize(who, Action.READ_OWN_ENTRIES, programme=programme, participant_id=target)
        assert target is not None
        return [
            e
            for p in self.repo.programmes_of(target)
            if programme is None or p.name == programme
            for e in self.repo.entries_of(p.id, participant_id=target)
        ]

    def set_consent(
        self,
        who: Principal | None,
        participant_id: str,
        *,
        analysis: bool | None = None,
        matching: bool | None = None,
    ) -> Participant:
        """Change consents now, with immediate effect (audited, kept in the history).

        Stored theme runs of the person's programmes are dropped, so the next view clusters
        without (or with) them; cached peer indexes drop or add them at once.
        """
        self._authorize(who, Action.CHANGE_CONSENT, participant_id=participant_id)
        assert who is not None
        person = self.repo.get_participant(participant_id)
        if person is None:
            raise InvalidEntryError(
                f"Unknown participant '{participant_id}'.", "unknown_participant"
            )
        new_analysis = person.consent_analysis if analysis is None else analysis
        new_matching = person.consent_matching if matching is None else matching
        self.repo.change_consent(
            participant_id, analysis=new_analysis, matching=new_matching, by=who.username
        )
        programmes = self.repo.programmes_of(participant_id)
        self._refresh_peer_indexes({p.id: {participant_id} for p in programmes})
        self.audit(
            who,
            Action.CHANGE_CONSENT.value,
            subject=participant_id,
            detail={"analysis": new_analysis, "matching": new_matching},
        )
        updated = self.repo.get_participant(participant_id)
        assert updated is not None
        return updated

    def my_consent(self, who: Principal | None) -> Participant:
        """Return the signed-in participant's record with their current consents."""
        me = who.participant_id if who else None
        self._authorize(who, Action.CHANGE_CONSENT, participant_id=me)
        assert me is not None
        person = self.repo.get_participant(me)
        if person is None:
            raise InvalidEntryError(f"Unknown participant '{me}'.", "unknown_participant")
        return person

    def export_self(
        self, who: Principal | None, participant_id: str | None = None
    ) -> dict[str, Any]:
        """All data about a participant as JSON-ready dicts (Art. 15/20 GDPR), audited."""
        target = participant_id or (who.participant_id if who else None)
        self._authorize(who, Action.EXPORT_SELF, participant_id=target)
        assert who is not None and target is not None
        person = self.repo.get_participant(target)
        if person is None:
            raise InvalidEntryError(f"Unknown participant '{target}'.", "unknown_participant")
        programmes = self.repo.programmes_of(target)
        entries = [
            (p, e) for p in programmes for e in self.repo.entries_of(p.id, participant_id=target)
        ]
        usernames = self.repo.users_of_participant(target)
        self.audit(who, Action.EXPORT_SELF.value, subject=target)
        return {
            "format": "mentoring-assistant-export/1",
            "participant": {
                "id": person.id,
                "organisation": person.organisation,
                "age_band": person.age_band,
                "given_name": person.given_name,
                "consent_analysis": person.consent_analysis,
                "consent_matching": person.consent_matching,
                "programmes": [
                    {
                        "name": p.name,
                        "kind": p.kind,
                        "role": (self.repo.get_participant(target, p.id) or person).role,
                    }
                    for p in programmes
                ],
                "groups": [
                    {"programme": p, "group": g} for p, g in self.repo.group_names_of(target)
                ],
            },
            "accounts": [
                {k: v for k, v in u.items() if k in ("username", "role", "created_at")}
                for u in self.accounts.list_users()
                if u["username"] in usernames
            ],
            "entries": [
                {
                    "id": e.id,
                    "programme": p.name,
                    "kind": e.kind,
                    "stage": e.stage,
                    "text": e.text,
                    "created_at": e.created_at.isoformat(),
                }
                for p, e in entries
            ],
            "suggestions": [
                {
                    "entry_id": s.entry_id,
                    "topic_id": s.topic_id,
                    "score": s.score,
                    "rank": s.rank,
                    "status": s.status,
                }
                for s in self.repo.suggestions_of([e.id for _, e in entries])
            ],
            "consent_history": self.repo.consent_history(target),
            "audit": self.repo.audit_rows(about=[target, *usernames]),
        }

    def erase_self(
        self, who: Principal | None, participant_id: str | None = None
    ) -> dict[str, int]:
        """Erase a participant everywhere (their own request, or an admin's on it); audited.

        Their accounts, role grants and consent history go with them (foreign keys cascade).
        The erasure's audit row names them only by ``erasure_digest`` (the log proves the
        erasure to whoever knows the id, without keeping the id) and holds counts, never text.
        """
        target = participant_id or (who.participant_id if who else None)
        self._authorize(who, Action.ERASE_SELF, participant_id=target)
        assert who is not None and target is not None
        accounts = len(self.repo.users_of_participant(target))
        counts = self.erase_participant(target)
        counts["accounts"] = accounts
        self.audit(
            who, Action.ERASE_SELF.value, subject=erasure_digest(target), detail={"removed": counts}
        )
        return counts

    def audit_log(self, who: Principal | None, limit: int | None = None) -> list[dict[str, Any]]:
        """Return the audit log, newest first, for admins."""
        self._authorize(who, Action.VIEW_AUDIT)
        return self.repo.audit_rows(limit=limit)

    def users_for(self, who: Principal | None) -> list[dict[str, Any]]:
        """Accounts (no hashes), for admins."""
        self._authorize(who, Action.MANAGE_USERS)
        return self.accounts.list_users()

    def add_user_for(
        self,
        who: Principal | None,
        username: str,
        role: str,
        *,
        password: str | None = None,
        participant_id: str | None = None,
        programmes: Sequence[str] = (),
        groups: Sequence[tuple[str, str]] = (),
        oidc_subject: str | None = None,
    ) -> str:
        """Create an account (admins); return its password, generated when none is given."""
        me = self._authorize(who, Action.MANAGE_USERS)
        return self.accounts.add_user(
            username,
            role,
            password,
            participant_id,
            programmes,
            groups,
            oidc_subject=oidc_subject,
            actor=me.username,
        )

    def set_role_for(
        self,
        who: Principal | None,
        username: str,
        role: str,
        *,
        programmes: Sequence[str] = (),
        groups: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Change an account's role and scope (admins); audited as a role change."""
        me = self._authorize(who, Action.MANAGE_USERS)
        self.accounts.set_role(
            username, role, programmes=programmes, groups=groups, actor=me.username
        )

    def ensure_demo_accounts(self) -> dict[str, str] | None:
        """One account per role for the demo programmes; their passwords once, else None."""
        names = [p["name"] for p in json.loads((DEMO_DIR / "programmes.json").read_text("utf-8"))]
        return self.accounts.ensure_demo_accounts(names)

    def run_retention(
        self, who: Principal | None, *, today: date | None = None, dry_run: bool = False
    ) -> dict[str, Any]:
        """Delete the entries of programmes past their retention date (admins; audited).

        Entries go with their derived data, suggestions, cache rows and theme runs, through the
        same statements as an erasure; cached peer indexes of those programmes are dropped.
        """
        me = self._authorize(who, Action.RUN_RETENTION)
        today = today or date.today()
        report: list[dict[str, Any]] = []
        for prog, deadline, entry_ids in self.repo.retention_due(today):
            item: dict[str, Any] = {
                "programme": prog.name,
                "ends_on": prog.ends_on.isoformat() if prog.ends_on else None,
                "delete_after": deadline.isoformat(),
                "entries": len(entry_ids),
            }
            if not dry_run and entry_ids:
                texts = [e.text for e in self.repo.entries_by_id(entry_ids)]
                item["removed"] = self.repo.erase_entries(entry_ids)
                item["removed"]["cache"] = self._forget_cached(texts)
                with self._lock:
                    for key in [k for k in self._peer_indexes if k[0] == prog.id]:
                        del self._peer_indexes[key]
            report.append(item)
        result = {"today": today.isoformat(), "dry_run": dry_run, "programmes": report}
        self.audit(me, Action.RUN_RETENTION.value, detail=result)
        return result

    def _forget_cached(self, texts: list[str]) -> int:
        """Drop ``texts`` from the embedding cache: every key they were stored under."""
        forget = getattr(self.analyzer.embedder, "forget", None)
        if not forget or not texts:
            return 0
        # A text was cached whole, as its sentences joined (read in context) and, with an
        # embedder that cannot read in context, sentence by sentence.
        units = list(texts)
        for p in self.analyzer.preprocessor.process_many(texts):
            units += [" ".join(p.sentences), *p.sentences]
        return int(forget(list(dict.fromkeys(units))))

    def check_upload(self, size_bytes: int) -> None:
        """Refuse an upload larger than ``max_upload_mb`` before anything reads it."""
        limit = self.settings.max_upload_mb
        if size_bytes > limit * 2**20:
            raise InvalidEntryError(
                f"The file has {size_bytes / 2**20:.1f} MiB; at most {limit} MiB are accepted.",
                "too_large",
            )

    def import_upload(
        self,
        who: Principal | None,
        filename: str,
        data: bytes,
        *,
        programme: str,
        kind: str = "tandem",
        progress: Progress = None,
    ) -> ImportReport:
        """Import an uploaded file into a programme the coordinator coordinates (audited)."""
        me = self._authorize(who, Action.IMPORT, programme=programme)
        self.check_upload(len(data))
        suffix = Path(filename).suffix.lower()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(data)
            report = self.import_file(path, programme=programme, kind=kind, progress=progress)
        self.audit(
            me,
            Action.IMPORT.value,
            programme=programme,
            detail={"imported": report.imported, "rows": report.rows},
        )
        return report

    # -- configuration ---------------------------------------------------------------------

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


def _entry_hash(programme: str, entry: Entry) -> str:
    """Content hash as the importer computes it, so a later re-import of the row matches."""
    key = "\x00".join(
        [programme, entry.participant_id, entry.kind, entry.text, entry.created_at.isoformat()]
    )
    return hashlib.sha256(key.encode()).hexdigest()


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


def erasure_digest(participant_id: str) -> str:
    """Return the audit subject of an erasure: a digest of the id, not the id itself."""
    return "erased:" + hashlib.sha256(participant_id.encode()).hexdigest()[:16]


def coordinator_view(result: ThemeClusters, k: int) -> ThemeClusters:
    """Return what a coordinator may see: no entry ids, sentences only from ``k`` people.

    A cluster with fewer than ``k`` distinct participants keeps its label, keywords and counts
    but shows no sentence: with so few people a sentence could point to its author.
    """
    return replace(
        result,
        clusters=tuple(
            replace(c, entry_ids=(), sentences=c.sentences if c.size >= k else ())
            for c in result.clusters
        ),
        assignments={},
    )


def _programme_of_group(who: Principal | None, group: str) -> str | None:
    """Return the programme of ``group`` among a moderator's groups when exactly one matches."""
    found = {p for p, g in (who.groups if who else ()) if g == group}
    return found.pop() if len(found) == 1 else None
