"""Theming: theme clusters of a programme, stored and reused, named stably; over time.

Every view (coordinator page, report, moderator's forum, CLI) goes through ``visible_themes``:
a cluster of fewer than k distinct people folds into "Sonstiges", which shows no keywords and
no sentences, so nothing about a small cluster (label, keywords, size, sentences, months) is
shown; ``policy.may_show_sentences`` is the k rule. Emerging themes need k people.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Set
from dataclasses import dataclass, replace

from assistant import texts
from assistant.domain import Programme
from assistant.nlp.pii import PiiMasker
from assistant.policy import may_show_sentences
from assistant.services.analyses import Analyses
from assistant.services.lookups import Lookups
from assistant.storage import Stores
from assistant.storage.records import StoredCluster, StoredThemeRun
from assistant.themes import (
    PreviousTheme,
    ThemeCluster,
    ThemeClusterer,
    ThemeClusters,
    ThemeInput,
    carry_over_labels,
    themes_over_time,
)
from assistant.themes.model import OTHER_ID

__all__ = ["ThemeRun", "Theming", "visible_themes"]


@dataclass(frozen=True)
class ThemeRun:
    """Theme clusters of a programme and whether this call computed them (or reused them)."""

    programme: Programme
    themes: ThemeClusters
    computed: bool


def visible_themes(
    result: ThemeClusters,
    k: int,
    owners: Mapping[str, str],
    *,
    genuine: Set[str] | None = None,
    entry_ids: bool = False,
) -> ThemeClusters:
    """Return what may be shown of theme clusters under the k rule.

    Parameters
    ----------
    result : ThemeClusters
        The clusters as computed (and stored).
    k : int
        Clusters of fewer distinct people fold into "Sonstiges".
    owners : mapping of str to str
        Entry id to participant id, to count the distinct people of a cluster.
    genuine : set of str, optional
        The people who count toward k (signed in, or confirmed by an admin); None: everyone.
        Made-up participants created by an import never open a small cluster.
    entry_ids : bool, default=False
        Keep entry ids and the assignment (the operator's view); a coordinator sees
        aggregates, never which entry is where.

    Returns
    -------
    ThemeClusters
        Clusters of at least ``k`` people as they were; one "Sonstiges" with the rest, without
        keywords or sentences (a mix of unrelated texts says most about its smallest part).
    """

    def people(cluster: ThemeCluster) -> int:
        found = {owners.get(e, e) for e in cluster.entry_ids}
        return len(found if genuine is None else found & genuine)

    kept = [c for c in result.clusters if c.id != OTHER_ID and may_show_sentences(people(c), k)]
    kept_ids = {c.id for c in kept}
    assignments = {
        e: (c if c in kept_ids else OTHER_ID) for e, c in sorted(result.assignments.items())
    }
    rest = sorted(e for e, c in assignments.items() if c == OTHER_ID)
    clusters = [replace(c, entry_ids=c.entry_ids if entry_ids else ()) for c in kept]
    if rest:
        clusters.append(
            ThemeCluster(
                id=OTHER_ID,
                label=texts.theme_other(len(rest)),
                keywords=(),
                size=len({owners.get(e, e) for e in rest}),
                n_entries=len(rest),
                topic=None,
                emerging=False,
                entry_ids=tuple(rest) if entry_ids else (),
                sentences=(),
            )
        )
    return replace(result, clusters=tuple(clusters), assignments=assignments if entry_ids else {})


class Theming:
    """Cluster a programme's consenting entries; reuse the stored run while nothing changed."""

    def __init__(self, stores: Stores, analyses: Analyses, lookups: Lookups, k: int) -> None:
        self.stores = stores
        self.analyses = analyses
        self.lookups = lookups
        self.k = k

    def visible(self, programme: str, *, entry_ids: bool = False) -> ThemeRun:
        """Return the clusters of a programme as they may be shown (``visible_themes``)."""
        run = self.run(programme)
        entries = self.stores.entries.of_programme(run.programme.id, consent_analysis=True)
        owners = {e.id: e.participant_id for e in entries}
        people = self.stores.programmes.participants_of(run.programme.id)
        genuine = {p.id for p in people if p.confirmed}
        themes = visible_themes(run.themes, self.k, owners, genuine=genuine, entry_ids=entry_ids)
        return ThemeRun(run.programme, themes, run.computed)

    def run(self, programme: str) -> ThemeRun:
        """Return the theme clusters of a programme, computing them when its entries changed.

        These are all clusters, small ones included: callers show them through ``visible``.
        """
        prog = self.lookups.programme(programme)
        analyzer = self.analyses.analyzer_for(prog.id)
        entries = self.stores.entries.of_programme(prog.id, consent_analysis=True)
        stored = self.analyses.stored([e.id for e in entries], prog.id)
        # Emerging themes need k people: a smaller one would only be folded away when shown.
        clusterer = ThemeClusterer(anchor_threshold=analyzer.threshold, min_cluster_size=self.k)
        fingerprint = hashlib.sha256(
            json.dumps(
                [
                    analyzer.model_id,
                    analyzer.pool_key,  # the programme's pool, examples included
                    repr(clusterer.__dict__),
                    sorted((e.id, e.text, e.created_at.isoformat()) for e in entries),
                ],
                ensure_ascii=False,
            ).encode()
        ).hexdigest()
        previous = self.stores.theme_runs.latest(prog.id)
        if previous is not None and previous.fingerprint == fingerprint:
            return ThemeRun(prog, _from_stored(previous), computed=False)
        masker = PiiMasker(self.stores.programmes.known_names(prog.id))
        by_id = {e.id: e for e in entries}
        inputs = []
        for i, entry_id in enumerate(stored.entry_ids):
            entry = by_id[entry_id]
            masked = masker.mask(entry.text)
            inputs.append(
                ThemeInput(
                    entry_id=entry_id,
                    participant_id=entry.participant_id,
                    text=masked,
                    lemmas=stored.lemmas[i],
                    sentences=analyzer.sentences(masked),
                    vector=stored.vectors[i],
                    topic_scores=stored.topic_scores[i],
                    created_at=entry.created_at,
                )
            )
        result = clusterer.fit(inputs, analyzer.pool.ids, analyzer.labels()).result_
        if previous is not None:
            # A theme that survives a re-import keeps its name (and so its colour).
            said = {i.entry_id: i.text for i in inputs}
            result = carry_over_labels(result, _previous_themes(previous), texts=said)
        self.stores.theme_runs.save(prog.id, _to_stored(fingerprint, result))
        return ThemeRun(prog, result, computed=True)

    def over_time(self, programme: str, period: str = "month") -> list[tuple[str, str, int]]:
        """Return (period, cluster id, entries) from the stored assignment, sorted."""
        run = self.visible(programme, entry_ids=True)
        entries = self.stores.entries.of_programme(run.programme.id, consent_analysis=True)
        return themes_over_time(
            run.themes.assignments, {e.id: e.created_at for e in entries}, period
        )

    def labels(self, programme: Programme) -> dict[str, str]:
        """Labels of pool topics and of the programme's emerging themes of k people or more."""
        labels = self.analyses.analyzer_for(programme.id).labels()
        shown = self.visible(programme.name).themes
        labels.update({c.id: c.label for c in shown.clusters if c.emerging})
        return labels


def _previous_themes(run: StoredThemeRun) -> list[PreviousTheme]:
    members: dict[str, set[str]] = {}
    for entry_id, cluster_id in run.assignments.items():
        members.setdefault(cluster_id, set()).add(entry_id)
    return [
        PreviousTheme(c.cluster_id, c.label, frozenset(members.get(c.cluster_id, ())))
        for c in run.clusters
        if c.emerging
    ]


def _to_stored(fingerprint: str, result: ThemeClusters) -> StoredThemeRun:
    return StoredThemeRun(
        fingerprint=fingerprint,
        n_entries=result.n_entries,
        n_boilerplate=result.n_boilerplate,
        n_duplicates=result.n_duplicates,
        too_few=result.too_few,
        clusters=tuple(
            StoredCluster(
                cluster_id=c.id,
                label=c.label,
                keywords=c.keywords,
                size=c.size,
                n_entries=c.n_entries,
                topic=c.topic,
                emerging=c.emerging,
                sentences=c.sentences,
            )
            for c in result.clusters
        ),
        assignments=dict(result.assignments),
    )


def _from_stored(run: StoredThemeRun) -> ThemeClusters:
    by_cluster: dict[str, list[str]] = {}
    for entry_id, cluster_id in run.assignments.items():
        by_cluster.setdefault(cluster_id, []).append(entry_id)
    return ThemeClusters(
        clusters=tuple(
            ThemeCluster(
                id=c.cluster_id,
                label=c.label,
                keywords=c.keywords,
                size=c.size,
                n_entries=c.n_entries,
                topic=c.topic,
                emerging=c.emerging,
                entry_ids=tuple(sorted(by_cluster.get(c.cluster_id, []))),
                sentences=c.sentences,
            )
            for c in run.clusters
        ),
        n_entries=run.n_entries,
        n_boilerplate=run.n_boilerplate,
        n_duplicates=run.n_duplicates,
        too_few=run.too_few,
        assignments=dict(run.assignments),
    )
