"""Who may see and do what: the one place the app and the CLI ask before they show anything.

Pure logic over a ``Principal`` (the signed-in person) and an ``Action``; it knows no Streamlit,
no SQL. Least visibility is the rule: roles see aggregates of their own programmes or groups, and
individual words only of themselves. Every denial raises ``AccessDenied``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from assistant.errors import AccessDenied

__all__ = [
    "ROLES",
    "AccessDenied",
    "Action",
    "Principal",
    "Role",
    "allowed",
    "authorize",
    "may_show_sentences",
    "operator",
]

Role = Literal["participant", "moderator", "coordinator", "admin", "operator"]
ROLES: tuple[Role, ...] = ("participant", "moderator", "coordinator", "admin")
"""Roles an account can have. ``operator`` is no account: it is whoever runs the command line
(or the app's own start-up) on the machine that holds the database, named ``cli:<OS user>``."""


class Action(StrEnum):
    """Views and changes that need permission."""

    SUGGEST = "suggest"  # analyse a text typed now; nothing stored
    READ_OWN_ENTRIES = "entries.read"
    WRITE_OWN_ENTRIES = "entries.write"
    VIEW_PEERS = "peers.view"
    EXPORT_SELF = "self.export"
    ERASE_SELF = "self.erase"
    CHANGE_CONSENT = "consent.change"
    VIEW_THEMES = "themes.view"
    EXPORT_REPORT = "report.export"
    IMPORT = "programme.import"
    END_PROGRAMME = "programme.end"  # the end date retention counts from
    MATCH = "programme.match"  # tandems and peer groups: draft, lock, exclude, publish
    VIEW_MY_MATCH = "match.view"  # one's own published partner or group
    # A published tandem's guide and agreement: its two partners only (``tandem`` scope).
    VIEW_TANDEM = "tandem.view"
    EDIT_AGREEMENT = "agreement.edit"  # change or confirm the tandem's goal agreement
    LOG_MEETING = "meeting.log"  # log a meeting of one's tandem (progress, private note)
    PRINT_TANDEM = "tandem.print"  # the operator prints a tandem's documents on its request
    VIEW_FORUM = "forum.view"
    CHOOSE_FORUM = "forum.choose"
    VIEW_POOL = "pool.view"
    EDIT_POOL = "pool.edit"
    VIEW_AUDIT = "audit.view"
    MANAGE_USERS = "users.manage"
    RUN_RETENTION = "retention.run"
    VIEW_CONFIG = "config.view"
    CONFIRM_ROSTER = "roster.confirm"  # people count toward k; never the coordinator's to say
    REPROCESS = "entries.reprocess"
    # The operator's read commands, kept for scripts and evaluations (README, CLI contract):
    # entry ids of theme clusters, anyone's peers, accepted suggestions for pool review.
    VIEW_THEME_ENTRIES = "themes.entries"
    VIEW_ANY_PEERS = "peers.any"
    VIEW_FEEDBACK = "feedback.view"
    # A browser session that survives a reload (signed cookie): an account's own, never the
    # operator's (who has no browser session).
    SESSION_START = "session.start"
    SESSION_END = "session.end"
    # A peer group's sessions through the four stages (``members`` scope for its members):
    # its moderator plans them; members check in after one; both see them (counts, no texts).
    PLAN_GROUP_SESSION = "group.plan"
    CHECK_IN = "group.checkin"
    VIEW_GROUP_SESSIONS = "group.sessions"
    # Programme evaluation (issue #13): aggregates under the k rule, for its coordinators.
    EVALUATE = "evaluation.view"
    # Per-tandem meeting counts (no texts): the operator's, like ``assistant match``'s pairs.
    LIST_MEETINGS = "meetings.list"
    ANSWER_QUESTIONNAIRE = "questionnaire.answer"  # one's own end-of-programme answer


@dataclass(frozen=True)
class Principal:
    """A signed-in person and the scope of their role.

    Attributes
    ----------
    username : str
        Account name (local account or OIDC subject/e-mail).
    role : {"participant", "moderator", "coordinator", "admin"}
    participant_id : str or None
        The pseudonymous participant a ``participant`` account speaks for.
    programmes : frozenset of str
        Programme names in scope: a coordinator's programmes, a participant's own programmes.
    groups : frozenset of (str, str)
        ``(programme, group)`` pairs a moderator moderates.
    """

    username: str
    role: Role
    participant_id: str | None = None
    programmes: frozenset[str] = field(default_factory=frozenset)
    groups: frozenset[tuple[str, str]] = field(default_factory=frozenset)


_SELF_ACTIONS = {
    Action.READ_OWN_ENTRIES,
    Action.WRITE_OWN_ENTRIES,
    Action.VIEW_PEERS,
    Action.VIEW_MY_MATCH,
    Action.EXPORT_SELF,
    Action.ERASE_SELF,
    Action.CHANGE_CONSENT,
    Action.ANSWER_QUESTIONNAIRE,
}
# Rights of the data subject an operator carries out on the person's request (CLI, audited):
# never reading entries or peers, only export, erasure and consent changes.
_ON_REQUEST_ACTIONS = {Action.EXPORT_SELF, Action.ERASE_SELF, Action.CHANGE_CONSENT}
_PROGRAMME_ACTIONS = {
    Action.VIEW_THEMES,
    Action.EXPORT_REPORT,
    Action.IMPORT,
    Action.END_PROGRAMME,
    Action.MATCH,
    Action.EVALUATE,
}
_GROUP_ACTIONS = {Action.VIEW_FORUM, Action.CHOOSE_FORUM}
_TANDEM_ACTIONS = {Action.VIEW_TANDEM, Action.EDIT_AGREEMENT, Action.LOG_MEETING}
_ADMIN_ACTIONS = {
    Action.VIEW_AUDIT,
    Action.MANAGE_USERS,
    Action.RUN_RETENTION,
    Action.CONFIRM_ROSTER,
}
_OPERATOR_ACTIONS = {
    *_ADMIN_ACTIONS,
    *_ON_REQUEST_ACTIONS,
    *_PROGRAMME_ACTIONS,
    *_GROUP_ACTIONS,
    Action.EDIT_POOL,
    Action.VIEW_CONFIG,
    Action.REPROCESS,
    Action.VIEW_THEME_ENTRIES,
    Action.VIEW_ANY_PEERS,
    Action.VIEW_FEEDBACK,
    Action.PRINT_TANDEM,
    Action.VIEW_GROUP_SESSIONS,  # ``assistant group sessions``: stages and counts, no notes
    Action.LIST_MEETINGS,
}


def allowed(
    who: Principal | None,
    action: Action,
    *,
    programme: str | None = None,
    group: str | None = None,
    participant_id: str | None = None,
    tandem: frozenset[str] | None = None,
    members: frozenset[str] | None = None,
) -> bool:
    """Return whether ``who`` may do ``action`` on the named programme, group or participant.

    ``tandem`` names the two partners of a published tandem: its guide and agreement are
    theirs alone (no coordinator, no moderator, no admin reads them); the operator prints
    them on the tandem's request (``PRINT_TANDEM``). ``members`` names the members of
    ``group``: they check in after its sessions and see them, as does its moderator.
    """
    if action is Action.SUGGEST:
        return True  # a text typed now, nothing stored: open to visitors before sign-in
    if who is None:
        return False
    if action in (Action.SESSION_START, Action.SESSION_END):
        return who.role in ROLES
    if action is Action.VIEW_POOL:
        # The installation's pool is public; a programme's own pool is for its people.
        return (
            programme is None
            or who.role in ("admin", "operator")
            or programme in who.programmes
            or any(p == programme for p, _ in who.groups)
        )
    if who.role == "operator":
        # The operator holds the database file anyway; what they may not do is read or write
        # a participant's own words through the participant's actions.
        return (
            action in _OPERATOR_ACTIONS
            and (action not in _ON_REQUEST_ACTIONS or participant_id is not None)
            and (action is not Action.PRINT_TANDEM or tandem is not None)
        )
    if action in (Action.PLAN_GROUP_SESSION, Action.VIEW_GROUP_SESSIONS, Action.CHECK_IN):
        moderates = (
            who.role == "moderator"
            and programme is not None
            and group is not None
            and (programme, group) in who.groups
        )
        member = (
            who.role == "participant"
            and who.participant_id is not None
            and programme is not None
            and programme in who.programmes
            and members is not None
            and who.participant_id in members
        )
        if action is Action.PLAN_GROUP_SESSION:
            return moderates
        if action is Action.CHECK_IN:
            return member
        return moderates or member
    if action in _TANDEM_ACTIONS:
        return (
            who.role == "participant"
            and who.participant_id is not None
            and programme is not None
            and programme in who.programmes
            and tandem is not None
            and who.participant_id in tandem
        )
    if action in _SELF_ACTIONS:
        if who.role == "admin" and action in _ON_REQUEST_ACTIONS:
            return participant_id is not None
        # Only the person themselves: no role reads or changes another person's words.
        return (
            who.role == "participant"
            and who.participant_id is not None
            and participant_id == who.participant_id
            and (programme is None or programme in who.programmes)
        )
    if action in _PROGRAMME_ACTIONS:
        return who.role == "coordinator" and programme is not None and programme in who.programmes
    if action in _GROUP_ACTIONS:
        return (
            who.role == "moderator"
            and programme is not None
            and group is not None
            and (programme, group) in who.groups
        )
    if action is Action.EDIT_POOL:
        # A coordinator changes their programmes' pools only; the installation's pool (that
        # every programme without its own uses) is the admin's.
        if who.role == "admin":
            return True
        return who.role == "coordinator" and programme is not None and programme in who.programmes
    if action in _ADMIN_ACTIONS:
        return who.role == "admin"
    return False


def authorize(
    who: Principal | None,
    action: Action,
    *,
    programme: str | None = None,
    group: str | None = None,
    participant_id: str | None = None,
    tandem: frozenset[str] | None = None,
    members: frozenset[str] | None = None,
) -> None:
    """Raise ``AccessDenied`` unless ``allowed``."""
    if not allowed(
        who,
        action,
        programme=programme,
        group=group,
        participant_id=participant_id,
        tandem=tandem,
        members=members,
    ):
        name = who.username if who else "anonymous"
        raise AccessDenied(f"'{name}' may not {action.value}.", action.value)


def may_show_sentences(distinct_participants: int, k: int) -> bool:
    """Return whether a cluster of this many distinct people may show representative text."""
    return distinct_participants >= k


def operator(name: str) -> Principal:
    """Return the principal of the local operator ``name`` (``cli:<OS user>``, ``app:start``)."""
    return Principal(username=name, role="operator")
