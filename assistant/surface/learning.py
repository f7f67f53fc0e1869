"""The learning part of the ``Assistant``: when a suggester last learned, confirmed examples.

A coordinator may also ask for a refit now instead of waiting for ``learn_refit_after`` events.
"""

from __future__ import annotations

from assistant.errors import InvalidEntryError
from assistant.nlp.text import validate_text
from assistant.policy import Action, Principal
from assistant.storage.learning import LearningState
from assistant.surface.base import SurfaceBase

__all__ = ["LearningSurface"]


class LearningSurface(SurfaceBase):
    """Checked methods on learning from use (coordinators of the programme, admins)."""

    def learning_status(self, who: Principal | None, programme: str) -> LearningState:
        """When the programme's suggester last learned, from how many events; events since."""
        me = self._allow(who, Action.VIEW_POOL, programme=programme)
        prog = self._services().lookups.programme(programme)
        found = self._services().learning.state(prog.id)
        self._audit(me, Action.VIEW_POOL, programme=programme, detail={"learning": True})
        return found

    def confirm_example(
        self, who: Principal | None, programme: str, text: str, topic_id: str
    ) -> bool:
        """Keep ``text`` (masked) as a confirmed example of ``topic_id`` in the programme.

        It counts at the next refit without the k-people guard: the coordinator vouches for
        it. Returns whether this event started a refit.

        Raises
        ------
        InvalidEntryError
            Invalid text, or ``unknown_topic``.
        """
        me = self._allow(who, Action.EDIT_POOL, programme=programme)
        cleaned = validate_text(text)
        prog = self._services().lookups.programme(programme)
        try:
            started = self._services().learning.confirm(prog.id, cleaned, topic_id)
        except KeyError as err:
            raise InvalidEntryError(str(err.args[0]), "unknown_topic") from None
        self._audit(
            me,
            Action.EDIT_POOL,
            programme=programme,
            detail={"confirmed_example": topic_id, "refit": started},
        )
        return started

    def relearn(self, who: Principal | None, programme: str) -> int:
        """Refit the programme's suggester on its feedback now; return the events used."""
        me = self._allow(who, Action.EDIT_POOL, programme=programme)
        prog = self._services().lookups.programme(programme)
        used = self._services().learning.learn(prog.id)
        self._audit(me, Action.EDIT_POOL, programme=programme, detail={"relearn": used})
        return used
