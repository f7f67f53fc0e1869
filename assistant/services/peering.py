"""Peering: one peer index per programme, kept current, and what a participant sees of peers."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal

import numpy as np

from assistant.domain import Programme
from assistant.errors import InvalidEntryError
from assistant.peers import PeerIndex, PeerMatch, PeerProfile, build_peer_profiles
from assistant.scores import ScoreRows
from assistant.services.analyses import Analyses
from assistant.services.lookups import Lookups
from assistant.storage import Stores

__all__ = ["PeerMode", "PeerResult", "PeerView", "Peering"]

PeerMode = Literal["similar", "need-offer"]


@dataclass(frozen=True)
class PeerResult:
    """Peers of one participant."""

    participant: str
    programme: str
    peers: list[PeerMatch]


@dataclass(frozen=True)
class PeerView:
    """A suggested peer as a participant may see them: pseudonym and organisation only."""

    participant_id: str
    organisation: str
    score: float
    shared_topics: tuple[str, ...]  # German labels
    reasons: tuple[str, ...]  # codes; ``texts.peer_reason`` words them
    strength: float = 1.0  # share of random pairs less similar; ``scores.fit_band`` words it


class Peering:
    """Peer indexes per (programme, model), built on first use and kept current.

    Each index remembers the programme's ``data_version`` it reflects. Every query compares it
    with the database (one indexed read), so an import, a consent change or an erasure made by
    another process (the CLI, a second app server) is seen at the next request: the index is
    rebuilt. Changes made here update the index in place instead.
    """

    def __init__(self, stores: Stores, analyses: Analyses, lookups: Lookups) -> None:
        self.stores = stores
        self.analyses = analyses
        self.lookups = lookups
        self._indexes: dict[tuple[int, str, str], tuple[PeerIndex, int]] = {}
        self._lock = threading.Lock()

    def find_peers(
        self,
        participant_id: str,
        *,
        programme: str | None = None,
        k: int = 5,
        mode: PeerMode = "similar",
    ) -> PeerResult:
        """Top-k consenting peers of a consenting participant."""
        prog = self.lookups.participant_programme(participant_id, programme)
        person = self.lookups.member(participant_id, prog)
        if not person.consent_matching:
            raise InvalidEntryError(
                f"Participant '{participant_id}' has not consented to matching.", "no_consent"
            )
        matches = self._index(prog).find_peers(
            participant_id, k=k, mode=mode, prefer_other_organisation=prog.kind == "cross"
        )
        return PeerResult(participant_id, prog.name, matches)

    def peer_views(self, participant_id: str, programme: str, k: int = 5) -> list[PeerView]:
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
        prog = self.lookups.participant_programme(participant_id, programme)
        person = self.lookups.member(participant_id, prog)
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
        organisations = {
            p.id: p.organisation for p in self.stores.programmes.participants_of(prog.id)
        }
        labels = self.analyses.analyzer_for(prog.id).labels()
        return [
            PeerView(
                participant_id=m.participant_id,
                organisation=organisations.get(m.participant_id, ""),
                score=m.score,
                shared_topics=tuple(labels.get(t, t) for t in m.shared_topics),
                reasons=m.reasons,
                strength=m.strength,
            )
            for m in matches
        ]

    # -- keeping the indexes current ---------------------------------------------------------

    def _index(self, prog: Programme) -> PeerIndex:
        analyzer = self.analyses.analyzer_for(prog.id)
        key = (prog.id, analyzer.model_id, analyzer.pool_key)
        with self._lock:
            version = self.stores.programmes.version(prog.id)  # read before the profiles
            cached = self._indexes.get(key)
            if cached is None or cached[1] != version:
                index = PeerIndex()
                index.fit(self._profiles(prog.id, None), analyzer.pool.ids, analyzer.labels())
                self._indexes[key] = (index, version)
            return self._indexes[key][0]

    def refresh(self, affected: dict[int, set[str]]) -> None:
        """Update built indexes in place: upsert or drop the named people per programme id.

        The version is read first: a change by another process after it makes the next query
        rebuild, never leaves the index behind.
        """
        for key, (index, _) in list(self._indexes.items()):
            pid = key[0]
            if pid not in affected:
                continue
            version = self.stores.programmes.version(pid)
            profiles = self._profiles(pid, affected[pid])
            consenting = {p.participant_id for p in profiles}
            index.remove(affected[pid] - consenting)
            index.add(profiles)
            self._indexes[key] = (index, version)

    def remove(self, participant_id: str, programme_ids: set[int]) -> int:
        """Drop a person from the built indexes of the given programmes; return how many."""
        return sum(
            index.remove([participant_id])
            for key, (index, _version) in self._indexes.items()
            if key[0] in programme_ids
        )

    def drop(self, programme_id: int) -> None:
        """Forget the indexes of a programme (rebuilt on next use)."""
        with self._lock:
            for key in [k for k in self._indexes if k[0] == programme_id]:
                del self._indexes[key]

    def _profiles(self, programme_id: int, only: set[str] | None) -> list[PeerProfile]:
        people = [
            p
            for p in self.stores.programmes.participants_of(programme_id)
            if p.consent_matching and (only is None or p.id in only)
        ]
        entries = self.stores.entries.of_programme(programme_id)
        stored = self.analyses.stored([e.id for e in entries], programme_id)
        analyzer = self.analyses.analyzer_for(programme_id)
        n_topics = len(analyzer.pool.ids)
        scores = stored.scores or ScoreRows(np.zeros((0, n_topics + 1)))
        # Profiles keep the topics the app would list for each text (issue #17): the raw
        # leftover probabilities made every pair of real texts look alike.
        strengths = analyzer.suggester.strengths(scores)
        return build_peer_profiles(
            people, entries, stored.entry_ids, stored.vectors, scores, strengths
        )
