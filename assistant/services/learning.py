"""Learning: feedback on suggestions becomes training examples of the programme's pool.

Accepted and dismissed suggestions of people who consent to analysis, and examples a coordinator
confirmed, are stored masked per programme (``LearningStore``). After ``learn_refit_after`` new
events the programme's suggester refits on its pool plus the examples that count
(``assistant.topics.learning.counted_examples``: the k-people guard and the dismissal veto);
until then, and while the refit runs, the previous fit answers. An erasure or a withdrawn
analysis consent takes the person's events out and refits at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from assistant.config import Settings
from assistant.nlp.pii import PiiMasker
from assistant.services.pools import PoolAnalyzers
from assistant.storage import Stores
from assistant.storage.engine import now
from assistant.storage.learning import LearningState, StoredFeedback
from assistant.topics.learning import Feedback, LearnedExample, counted_examples

__all__ = ["Learning"]


class Learning:
    """Record feedback, decide when to refit, and give the pools what was learned."""

    def __init__(self, stores: Stores, pools: PoolAnalyzers, settings: Settings) -> None:
        self.stores = stores
        self.pools = pools
        self.settings = settings
        # Programme id -> (learned at, data version, examples): read again when either moved.
        self._examples: dict[int, tuple[datetime | None, int, list[LearnedExample]]] = {}
        if settings.learn_enabled:  # off: nothing is stored, every pool fits on its own
            pools.learned = self.examples

    # -- what the suggester learns from --------------------------------------------------------

    def examples(self, programme_id: int) -> list[LearnedExample]:
        """Return the examples the programme's last refit learned from (none before one)."""
        state = self.stores.learning.state(programme_id)
        if state.learned_at is None:
            return []
        version = self.stores.programmes.version(programme_id)
        found = self._examples.get(programme_id)
        if found is not None and found[:2] == (state.learned_at, version):
            return found[2]
        events = self.stores.learning.of_programme(programme_id, until=state.learned_at)
        examples = self._counted(programme_id, events)
        self._examples[programme_id] = (state.learned_at, version, examples)
        return examples

    def _counted(self, programme_id: int, events: Sequence[StoredFeedback]) -> list[LearnedExample]:
        return counted_examples(
            (Feedback(e.participant_id, e.topic_id, e.kind, e.text) for e in events),
            self.settings.learn_min_people,
            self.pools.pool_of(programme_id).ids,
        )

    def state(self, programme_id: int) -> LearningState:
        """When the programme's suggester last learned, from how many events; events since."""
        return self.stores.learning.state(programme_id)

    # -- feedback ------------------------------------------------------------------------------

    def record_status(self, participant_id: str, entry_id: str, topic_id: str, status: str) -> bool:
        """Keep a participant's accepted or dismissed suggestion as feedback (masked).

        A suggestion set back to "suggested" takes the earlier feedback out. Nothing is kept
        of a person who does not consent to analysis. Returns whether a refit started.
        """
        found = self.stores.entries.by_id([entry_id])
        person = self.stores.programmes.participant(participant_id)
        if not found or person is None:
            return False
        entry = found[0]
        if not self.settings.learn_enabled:
            return False
        if status not in ("accepted", "dismissed") or not person.consent_analysis:
            self.stores.learning.drop(entry_id, topic_id)
            return False
        pending = self.stores.learning.put(
            StoredFeedback(
                programme_id=entry.programme_id,
                participant_id=participant_id,
                entry_id=entry_id,
                topic_id=topic_id,
                kind=status,
                text=self._mask(entry.programme_id, entry.text),
            )
        )
        return self._maybe_learn(entry.programme_id, pending)

    def confirm(self, programme_id: int, text: str, topic_id: str) -> bool:
        """Keep an example the coordinator confirmed for a topic (masked); True: refit started.

        Raises
        ------
        KeyError
            ``topic_id`` is not in the programme's pool (the message lists the valid ids).
        """
        self.pools.pool_of(programme_id).get(topic_id)
        if not self.settings.learn_enabled:
            return False
        pending = self.stores.learning.put(
            StoredFeedback(
                programme_id=programme_id,
                participant_id=None,
                entry_id=None,
                topic_id=topic_id,
                kind="confirmed",
                text=self._mask(programme_id, text),
            )
        )
        return self._maybe_learn(programme_id, pending)

    def forget_entry(self, entry_id: str) -> int:
        """Drop the feedback on an entry whose text changed (it was about the old text)."""
        return self.stores.learning.drop(entry_id)

    def _mask(self, programme_id: int, text: str) -> str:
        return PiiMasker(self.stores.programmes.known_names(programme_id)).mask(text)

    def _maybe_learn(self, programme_id: int, pending: int) -> bool:
        if pending < self.settings.learn_refit_after:
            return False
        self.learn(programme_id)
        return True

    # -- refits --------------------------------------------------------------------------------

    def learn(self, programme_id: int, *, background: bool | None = None) -> int:
        """Refit the programme's suggester on everything stored now; return the events used."""
        if not self.settings.learn_enabled:
            return 0
        events = self.stores.learning.of_programme(programme_id)
        self.stores.learning.mark_learned(programme_id, len(events), now())
        self._examples.pop(programme_id, None)
        self.pools.relearn(programme_id, background=background)
        return len(events)

    def remove_person(self, participant_id: str, programme_ids: Sequence[int] = ()) -> int:
        """Take a person's feedback out and refit the programmes it reached; return how many.

        ``programme_ids``: programmes whose rows already went with the person (an erasure's
        cascade), found by ``programmes_of`` before it. The learned analyzers of those
        programmes stop answering at once and cached fits on disk are deleted: nothing the
        person taught outlives the call, only the refit may follow later.
        """
        affected = sorted(
            {*programme_ids, *self.stores.learning.drop_of_participant(participant_id)}
        )
        if not affected:
            return 0
        self.pools.forget_learned(affected)
        self.pools.drop_cached_fits()
        for programme_id in affected:
            if self.stores.learning.state(programme_id).learned_at is not None:
                self.learn(programme_id)
        return len(affected)

    def programmes_of(self, participant_id: str) -> list[int]:
        """Programmes where the person's feedback is stored."""
        return self.stores.learning.programmes_of(participant_id)
