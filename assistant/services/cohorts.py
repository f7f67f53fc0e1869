"""The cohort a matching works on: a programme's consenting members with their analyses.

Shared by the pairs (``Matching``) and the peer groups (``Grouping``): which mode a programme's
kind asks for, who did not consent, the members' organisations, and the ``Cohort`` the solvers
take (``matching.build_cohort``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from assistant.domain import Participant, Programme
from assistant.errors import MatchingError
from assistant.matching import Cohort, build_cohort
from assistant.matching.rules import authority_of
from assistant.scores import ScoreRows
from assistant.services.analyses import Analyses
from assistant.services.lookups import Lookups
from assistant.storage import Stores

__all__ = ["GROUP_KINDS", "PAIR_KINDS", "CohortSource", "mode_of"]

PAIR_KINDS = ("cross", "reverse", "tandem")
GROUP_KINDS = ("peer_group",)


def mode_of(kind: str) -> str:
    """``pairs`` for mentor-mentee programmes, ``groups`` for peer-group programmes."""
    return "groups" if kind in GROUP_KINDS else "pairs"


class CohortSource:
    """A programme's members as a cohort, for one mode of matching."""

    def __init__(self, stores: Stores, analyses: Analyses, lookups: Lookups) -> None:
        self.stores = stores
        self.analyses = analyses
        self.lookups = lookups

    def _programme(self, programme: str, mode: str) -> Programme:
        prog = self.lookups.programme(programme)
        if mode_of(prog.kind) != mode:
            command = "groups" if mode == "pairs" else "match"
            raise MatchingError(
                f"Programme '{prog.name}' is a {prog.kind} programme: use 'assistant {command}'.",
                "bad_kind",
            )
        return prog

    def _no_consent(self, prog: Programme) -> tuple[str, ...]:
        return tuple(
            p.id for p in self.stores.programmes.participants_of(prog.id) if not p.consent_matching
        )

    def _organisations(self, prog: Programme) -> dict[str, str]:
        return {p.id: p.organisation for p in self.stores.programmes.participants_of(prog.id)}

    def _cohort(
        self, prog: Programme, sides: tuple[str, ...], only: list[Participant] | None = None
    ) -> tuple[Cohort, list[Participant]]:
        """Return the consenting members on ``sides`` (or of ``only``) with their analyses."""
        members = self.stores.programmes.participants_of(prog.id) if only is None else only
        people = [
            replace(p, organisation=authority_of(p.organisation))  # "Stadt A – Bauamt": Stadt A
            for p in members
            if p.consent_matching and p.role in sides
        ]
        ids = {p.id for p in people}
        entries = [e for e in self.stores.entries.of_programme(prog.id) if e.participant_id in ids]
        analyzer = self.analyses.analyzer_for(prog.id)
        stored = self.analyses.stored([e.id for e in entries], prog.id)
        n_topics = len(analyzer.pool.ids)
        scores = stored.scores or ScoreRows(np.zeros((0, n_topics + 1)))
        vectors = stored.vectors if len(stored.entry_ids) else np.zeros((0, 1), np.float32)
        cohort = build_cohort(
            people,
            entries,
            stored.entry_ids,
            vectors,
            scores,
            analyzer.pool.ids,
            levels={p.id: p.level for p in people},
            capacities={p.id: p.capacity for p in people},
        )
        return cohort, people
