"""Forum: what a peer group's members raised recently, the topics chosen and when."""

from __future__ import annotations

from datetime import date, timedelta

from assistant.domain import Programme
from assistant.errors import InvalidEntryError
from assistant.forum import ForumTopic, rank_forum_topics
from assistant.services.analyses import Analyses
from assistant.services.lookups import Lookups
from assistant.services.theming import Theming
from assistant.storage import Stores

__all__ = ["Forum"]


class Forum:
    """Rank forum topics of a group by its members' recent entries; record choices."""

    def __init__(
        self, stores: Stores, analyses: Analyses, lookups: Lookups, theming: Theming
    ) -> None:
        self.stores = stores
        self.analyses = analyses
        self.lookups = lookups
        self.theming = theming

    def topics(
        self, group: str, *, programme: str | None = None, recent_days: int = 120
    ) -> tuple[Programme, list[ForumTopic]]:
        """Pool topics and emerging themes ranked by how many members raised them recently."""
        ref, prog = self.lookups.group(group, programme)
        members = set(self.stores.programmes.group_members(ref.id))
        entries = [
            e
            for e in self.stores.entries.of_programme(prog.id, consent_analysis=True)
            if e.participant_id in members
        ]
        if entries:
            newest = max(e.created_at for e in entries)
            entries = [e for e in entries if e.created_at >= newest - timedelta(days=recent_days)]
        stored = self.analyses.stored([e.id for e in entries], prog.id)
        owner = {e.id: e.participant_id for e in entries}
        analyzer = self.analyses.analyzer_for(prog.id)
        pool_ids = analyzer.pool.ids
        touched: list[tuple[str, str]] = []
        if stored.scores is not None:
            for entry_id, topics in zip(
                stored.entry_ids, stored.scores.fitting_topics(analyzer.threshold), strict=True
            ):
                touched.extend((owner[entry_id], pool_ids[j]) for j in topics)
        themes = self.theming.visible(prog.name, entry_ids=True).themes
        emerging = {c.id: c for c in themes.clusters if c.emerging}
        for entry_id, cluster_id in themes.assignments.items():
            if cluster_id in emerging and entry_id in owner:
                touched.append((owner[entry_id], cluster_id))
        labels = {**analyzer.labels(), **{c.id: c.label for c in emerging.values()}}
        prompts = {t.id: t.forum_prompts["de"] for t in analyzer.pool.topics}
        choices = [
            (c.topic_id, c.session_date) for c in self.stores.theme_runs.forum_choices(ref.id)
        ]
        return prog, rank_forum_topics(touched, labels, prompts, set(emerging), choices)

    def choose(
        self, group: str, topic: str, session_date: date, *, programme: str | None = None
    ) -> bool:
        """Mark ``topic`` as chosen for the forum on ``session_date``."""
        ref, prog = self.lookups.group(group, programme)
        pool_ids = self.analyses.analyzer_for(prog.id).pool.ids
        if topic not in pool_ids:
            themes = self.theming.visible(prog.name, entry_ids=True).themes
            if topic not in {c.id for c in themes.clusters if c.emerging}:
                raise InvalidEntryError(
                    f"Unknown topic '{topic}'. Use a pool id ({', '.join(pool_ids)}) or an "
                    "emerging theme id from 'assistant forum'.",
                    "unknown_topic",
                )
        return self.stores.theme_runs.choose_forum_topic(ref.id, topic, session_date)

    def history(self, group: str, *, programme: str | None = None) -> list[tuple[str, date]]:
        """(topic label, forum date) of topics chosen for a group, oldest first."""
        ref, prog = self.lookups.group(group, programme)
        labels = self.theming.labels(prog)
        return [
            (labels.get(c.topic_id, c.topic_id), c.session_date)
            for c in self.stores.theme_runs.forum_choices(ref.id)
        ]
