"""SurfaceBase: what every part of the ``Assistant`` facade shares: checks, audit, wiring."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from argon2 import PasswordHasher

from assistant.config import Settings
from assistant.domain import Entry, TopicPool
from assistant.errors import AccessDenied, InvalidEntryError
from assistant.policy import Action, Principal, allowed, authorize
from assistant.services.accounts import AccountService
from assistant.services.analyses import Analyses
from assistant.services.evaluation import Evaluations
from assistant.services.forum import Forum
from assistant.services.group_sessions import GroupSessions
from assistant.services.grouping import Grouping
from assistant.services.imports import Imports
from assistant.services.journey import Journey
from assistant.services.learning import Learning
from assistant.services.lookups import Lookups
from assistant.services.mail import SmtpMailer
from assistant.services.matching import Matching
from assistant.services.meetings import Meetings
from assistant.services.peering import Peering
from assistant.services.pools import PoolAnalyzers, Refit
from assistant.services.privacy import Privacy
from assistant.services.sessions import SessionService
from assistant.services.theming import Theming
from assistant.services.workspace import Workspace
from assistant.storage import Stores
from assistant.storage.mappings import MappingFiles
from assistant.storage.secrets import load_or_create_key
from assistant.topics.analyser import TopicAnalyzer
from assistant.topics.fitting import fit_analyzer

__all__ = ["SurfaceBase"]


class SurfaceBase:
    """Wiring of the services, the policy check and the audit row every public method uses.

    Parameters
    ----------
    analyzer : TopicAnalyzer
        Text stages (validate, preprocess, embed, score, rank).
    stores : Stores, optional
        Storage; methods that need programme data raise ``InvalidEntryError`` without it.
    settings : Settings, optional
        Limits of accounts, sessions, uploads and the k of k-anonymity.
    describe : dict, optional
        What ``info`` reports besides the stages (version, database URL without password).
    password_hasher : argon2.PasswordHasher, optional
        argon2id with the library's defaults; tests pass a cheaper one.
    refit : callable, optional
        Fits an analyzer for another pool (a programme's own, or the installation's pool file
        changed by another process); the default fits without an on-disk cache.
    """

    def __init__(
        self,
        analyzer: TopicAnalyzer,
        stores: Stores | None = None,
        *,
        settings: Settings | None = None,
        describe: dict[str, Any] | None = None,
        password_hasher: PasswordHasher | None = None,
        refit: Refit | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self._k = self.settings.k_min_cluster
        self._pools = PoolAnalyzers(
            analyzer, self.settings, refit or (lambda pool, like: fit_analyzer(pool, like, None))
        )
        self._describe = describe or {}
        self._svc = (
            _Services(stores, self._pools, self.settings, password_hasher)
            if stores is not None
            else None
        )

    @property
    def pool(self) -> TopicPool:
        """The installation's topic pool (public: every role may read it); see ``pool_of``."""
        return self._pools.pool_of(None)

    @property
    def _analyzer(self) -> TopicAnalyzer:
        """The analyzer of the installation's pool (suggestions for visitors, ``info``)."""
        return self._pools.analyzer_for(None)

    @property
    def k(self) -> int:
        """The k of k-anonymity: clusters of fewer distinct people show nothing of their own."""
        return self._k

    @k.setter
    def k(self, value: int) -> None:
        self._k = value
        if self._svc is not None:
            self._svc.theming.k = value
            self._svc.evaluations.k = value

    # -- checks -----------------------------------------------------------------------------

    def _allow(
        self,
        who: Principal | None,
        action: Action,
        *,
        programme: str | None = None,
        group: str | None = None,
        participant_id: str | None = None,
        tandem: frozenset[str] | None = None,
        members: frozenset[str] | None = None,
    ) -> Principal:
        """Return ``who`` if ``action`` is allowed; else audit the refusal and raise it."""
        try:
            authorize(
                who,
                action,
                programme=programme,
                group=group,
                participant_id=participant_id,
                tandem=tandem,
                members=members,
            )
        except AccessDenied:
            self._audit(
                who.username if who else "anonymous",
                action,
                "denied",
                programme=programme,
                group=group,
                subject=participant_id,
            )
            raise
        assert who is not None
        return who

    def _audit(
        self,
        who: Principal | str,
        action: Action | str,
        outcome: str = "ok",
        *,
        programme: str | None = None,
        group: str | None = None,
        subject: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one row to the audit log (no participant text in ``detail``)."""
        if self._svc is None:
            return  # nothing stored, nothing to audit (a text-only assistant)
        actor = who.username if isinstance(who, Principal) else who
        self._svc.stores.audit.append(
            actor,
            str(action),
            outcome,
            programme=programme,
            group=group,
            subject=subject,
            detail=detail,
        )

    def authorize(
        self,
        who: Principal | None,
        action: Action,
        *,
        programme: str | None = None,
        group: str | None = None,
        participant_id: str | None = None,
    ) -> Principal:
        """Check an action before a page shows anything; a refusal is audited and raised.

        Pages ask this for what they are about to show (a link to another programme's page, a
        group that is not one's own), so refused links are in the audit log like refused calls.
        """
        return self._allow(
            who, action, programme=programme, group=group, participant_id=participant_id
        )

    def record_download(self, who: Principal | None, programme: str, kind: str) -> None:
        """Audit that ``who`` downloaded a report of ``programme`` (``kind``: csv or html)."""
        me = self._allow(who, Action.EXPORT_REPORT, programme=programme)
        self._audit(me, Action.EXPORT_REPORT, programme=programme, detail={"format": kind})

    def _allow_visitor(self, who: Principal | None, action: Action) -> None:
        """Check an action that may be open to visitors who have not signed in."""
        if who is not None or not allowed(None, action):
            self._allow(who, action)

    def _own(self, who: Principal | None, action: Action, programme: str | None) -> Principal:
        """Allow a participant's action on their own data (never on anyone else's)."""
        me = who.participant_id if who else None
        return self._allow(who, action, programme=programme, participant_id=me)

    # -- wiring -----------------------------------------------------------------------------

    def _services(self) -> _Services:
        if self._svc is None:
            raise InvalidEntryError("No database is configured for this command.", "no_database")
        return self._svc


class _Services:
    """The services over one set of stores, wired once (the composition of the facade)."""

    def __init__(
        self,
        stores: Stores,
        pools: PoolAnalyzers,
        settings: Settings,
        hasher: PasswordHasher | None,
    ) -> None:
        self.stores = stores
        self.analyses = Analyses(stores, pools, settings.ingest_overlap)
        self.lookups = Lookups(stores)
        self.imports = Imports(
            stores, self.analyses, settings.max_upload_mb, MappingFiles(settings.data_path)
        )
        self.workspace = Workspace(stores, self.analyses)
        self.peering = Peering(stores, self.analyses, self.lookups)
        self.theming = Theming(stores, self.analyses, self.lookups, settings.k_min_cluster)
        self.forum = Forum(stores, self.analyses, self.lookups, self.theming)
        self.group_sessions = GroupSessions(stores, self.analyses, self.lookups, self.theming)
        self.matching = Matching(stores, self.analyses, self.lookups)
        self.grouping = Grouping(stores, self.analyses, self.lookups)
        self.journey = Journey(stores, self.analyses, self.lookups, self.matching)
        mailer = (
            SmtpMailer(
                settings.smtp_host, settings.smtp_port, settings.smtp_from, settings.smtp_starttls
            )
            if settings.smtp_host
            else None
        )
        self.meetings = Meetings(stores, self.journey, mailer=mailer)
        self.evaluations = Evaluations(
            stores, self.analyses, self.lookups, self.journey, settings.k_min_cluster
        )
        self.learning = Learning(stores, pools, settings)
        self.privacy = Privacy(
            stores,
            self.analyses,
            self.lookups,
            self.peering,
            key=lambda: load_or_create_key(settings.secret_key_path),
            data_path=settings.data_path,
            learning=self.learning,
        )
        self.accounts = AccountService(
            stores,
            hasher=hasher,
            name_key=lambda: load_or_create_key(settings.secret_key_path),
            max_failures=settings.login_max_failures,
            lock_minutes=settings.login_lock_minutes,
        )
        self.sessions = SessionService(
            stores,
            ttl=settings.session_ttl,
            key=lambda: load_or_create_key(settings.secret_key_path),
        )


def _pid(who: Principal) -> str:
    """Return the participant a checked principal speaks for (policy guaranteed there is one)."""
    assert who.participant_id is not None
    return who.participant_id


def _people_of(entries: Sequence[Entry]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for entry in entries:
        found.setdefault(entry.programme_id, set()).add(entry.participant_id)
    return found


def _programme_of_group(who: Principal | None, group: str) -> str | None:
    """Return the programme of ``group`` among a moderator's groups when exactly one matches."""
    found = {p for p, g in (who.groups if who else ()) if g == group}
    return found.pop() if len(found) == 1 else None
