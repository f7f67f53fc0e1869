"""Assistant: the one public surface; each method takes a Principal, asks policy, audits, delegates.

Pages and the CLI call nothing else. Each checked method names the ``Action`` it needs and its
scope; a refusal is written to the audit log before it is raised, a success after the work is
done. The methods are grouped by area in ``assistant/surface/`` (participants, programmes,
privacy, matching, journey, groups); the work itself lives in ``assistant/services/``, which knows
nothing of who asks.
Sign-in (``authenticate``, ``principal``, ``principal_for_oidc``) comes before there is a
principal and is audited by the account service; so do a session cookie's ``redeem_session``
and ``session_principal`` (the sign-in they continue was audited as ``session.start``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from assistant.domain import SuggestionResult
from assistant.journey.groups import CheckinInput, SessionInput
from assistant.journey.meetings import MeetingInput
from assistant.policy import Action, Principal
from assistant.services.accounts import session_expired
from assistant.services.analyses import Progress
from assistant.services.evaluation import ProgrammeEvaluation, QuestionnaireInput
from assistant.services.group_sessions import GroupSessionsView
from assistant.services.imports import ImportReport
from assistant.services.journey import AgreementView
from assistant.services.matching import GroupsView, PairsView
from assistant.services.meetings import Invitation, MeetingsView
from assistant.services.peering import PeerResult, PeerView
from assistant.services.theming import ThemeRun
from assistant.storage.files import rejects_path as default_rejects_path
from assistant.storage.learning import LearningState
from assistant.surface.evaluation import EvaluationSurface, QuestionnaireSaved
from assistant.surface.groups import CheckinLogged, GroupSurface
from assistant.surface.journey import JourneySurface, MeetingLogged
from assistant.surface.learning import LearningSurface
from assistant.surface.matching import MatchingSurface
from assistant.surface.participants import ParticipantSurface
from assistant.surface.privacy import PrivacySurface
from assistant.surface.programmes import ProgrammeSurface
from assistant.surface.sessions import SessionSurface
from assistant.topics.analyser import ItemResult

__all__ = [
    "UNCHECKED",
    "AgreementView",
    "Assistant",
    "CheckinInput",
    "CheckinLogged",
    "GroupSessionsView",
    "GroupsView",
    "ImportReport",
    "Invitation",
    "LearningState",
    "MeetingInput",
    "MeetingLogged",
    "MeetingsView",
    "PairsView",
    "PeerResult",
    "PeerView",
    "ProgrammeEvaluation",
    "QuestionnaireInput",
    "QuestionnaireSaved",
    "SessionInput",
    "ThemeRun",
    "default_rejects_path",
]

UNCHECKED = frozenset(
    {
        "authenticate",
        "principal",
        "principal_for_oidc",
        "session_expired",
        "redeem_session",
        "session_principal",
    }
)
"""Public methods that run before there is a principal (sign-in); every other one is checked."""


class Assistant(
    ParticipantSurface,
    ProgrammeSurface,
    PrivacySurface,
    MatchingSurface,
    SessionSurface,
    JourneySurface,
    GroupSurface,
    EvaluationSurface,
    LearningSurface,
):
    """The engine behind the CLI and the app (see the module docstring)."""

    # -- sign-in (before there is a principal; audited by the account service) --------------

    def authenticate(self, username: str, password: str) -> Principal:
        """Sign in with a local account (rate-limited, audited); raises ``AccessDenied``."""
        return self._services().accounts.authenticate(username, password)

    def principal(self, username: str) -> Principal:
        """Return the principal of an account, its scope read from the database now."""
        return self._services().accounts.principal(username)

    def principal_for_oidc(self, email_or_sub: str) -> Principal:
        """Map an OIDC identity (``st.user`` e-mail or subject) to its account, or refuse."""
        return self._services().accounts.principal_for_oidc(email_or_sub)

    def session_expired(self, signed_in_at: datetime, now: datetime) -> bool:
        """Return whether a sign-in at ``signed_in_at`` is past ``session_minutes`` at ``now``."""
        return session_expired(signed_in_at, now, self.settings.session_ttl)

    # -- text level -------------------------------------------------------------------------

    def suggest(self, who: Principal | None, text: str, k: int = 3) -> SuggestionResult:
        """Suggest up to ``k`` pool topics for one text; nothing is stored."""
        self._allow_visitor(who, Action.SUGGEST)
        result = self._analyzer.suggest(text, k=k)
        self._audit(who or "anonymous", Action.SUGGEST, detail={"texts": 1})
        return result

    def suggest_many(
        self, who: Principal | None, texts: Sequence[str], k: int = 3, progress: Progress = None
    ) -> list[ItemResult]:
        """Suggest topics for many texts; bad texts yield their error; nothing is stored."""
        self._allow_visitor(who, Action.SUGGEST)
        results = self._analyzer.suggest_many(texts, k=k, progress=progress)
        self._audit(who or "anonymous", Action.SUGGEST, detail={"texts": len(texts)})
        return results

    def info(self, who: Principal | None) -> dict[str, Any]:
        """Describe the configuration in use (no secrets)."""
        me = self._allow(who, Action.VIEW_CONFIG)
        pool = self.pool
        described = self._analyzer.describe()
        self._audit(me, Action.VIEW_CONFIG)
        return {
            **self._describe,
            "embedder": described["embedder"],
            "pool": {
                "name": pool.name,
                "source": pool.source,
                "topics": len(pool.topics),
                "ids": list(pool.ids),
            },
            "suggester": described["suggester"],
        }
