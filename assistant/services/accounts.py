"""Local accounts (argon2id hashes), role grants, sign-in with rate limiting, OIDC mapping.

Everything here turns a user name into a ``Principal`` whose scope comes from the database:
a participant's programmes from their memberships, a moderator's groups and a coordinator's
programmes from role grants. Every sign-in, success or failure, and every role change is
written to the audit log. No Streamlit, no SQL: storage goes through the stores.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from assistant.errors import AccessDenied, InvalidEntryError
from assistant.policy import ROLES, Principal, Role
from assistant.storage import Stores

__all__ = [
    "AccountService",
    "generate_password",
    "session_expired",
]

_USERNAME_CHARS = set(string.ascii_letters + string.digits + "._@+-")
_PASSWORD_ALPHABET = string.ascii_letters + string.digits + "-_.!?"
MIN_PASSWORD_LENGTH = 12
DEMO_USERS: dict[Role, str] = {
    "participant": "demo-teilnehmende",
    "moderator": "demo-moderation",
    "coordinator": "demo-koordination",
    "admin": "demo-admin",
}


def generate_password(length: int = 20) -> str:
    """Return a random password from a URL- and shell-safe alphabet (about 6 bits a char)."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def session_expired(signed_in_at: datetime, now: datetime, ttl: timedelta) -> bool:
    """Return whether a session that began at ``signed_in_at`` has run out at ``now``."""
    return now - signed_in_at >= ttl


class AccountService:
    """Accounts on top of the stores.

    Parameters
    ----------
    stores : Stores
    hasher : argon2.PasswordHasher, optional
        argon2id with the library's defaults (RFC 9106 low-memory profile); tests pass a
        cheaper one.
    max_failures : int, default=5
        Failed sign-ins of one user name before it is locked.
    lock_minutes : int, default=15
    clock : callable, optional
        Returns the current UTC time; tests pass a fake.
    name_key : callable, optional
        Returns the key for hashing names typed at failed sign-ins (the data folder's secret).
    """

    def __init__(
        self,
        stores: Stores,
        *,
        hasher: PasswordHasher | None = None,
        max_failures: int = 5,
        lock_minutes: int = 15,
        clock: Callable[[], datetime] | None = None,
        name_key: Callable[[], bytes] | None = None,
    ) -> None:
        self.stores = stores
        self.hasher = hasher or PasswordHasher()
        self.max_failures = max_failures
        self.lock_for = timedelta(minutes=lock_minutes)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.name_key = name_key
        # Verified against for unknown names, so their answer takes as long as a wrong password.
        # Made at the first sign-in, not here: argon2 takes a third of a second, which every
        # command paid at its start (only sign-ins need it).
        self._dummy: str | None = None
        self._dummy_lock = threading.Lock()

    def _dummy_hash(self) -> str:
        """Return the hash verified for unknown names (made once, at the first sign-in)."""
        with self._dummy_lock:
            if self._dummy is None:
                self._dummy = self.hasher.hash(secrets.token_urlsafe(16))
            return self._dummy

    # -- sign-in ----------------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> Principal:
        """Return the principal of a correct user name and password.

        Raises
        ------
        AccessDenied
            Wrong name or password (one message for both), or the name is locked after too
            many failures. Every attempt is audited.
        """
        now = self.clock()
        dummy = self._dummy_hash()  # before any lookup: the first sign-in is slower for any name
        typed = self._typed(username)
        locked = self.stores.accounts.login_lock(typed)
        if locked is not None and locked > now:
            self._audit(typed, "signin", "denied", detail={"reason": "locked"})
            raise AccessDenied(
                "Too many failed sign-ins; this account is locked for a while.", "locked"
            )
        user = self.stores.accounts.get(username)
        stored = user.password_hash if user else None
        if not self._verify(stored or dummy, password) or user is None or not stored:
            until = self.stores.accounts.record_login_failure(
                typed, self.max_failures, self.lock_for, now
            )
            self._audit(
                typed,
                "signin",
                "failed",
                detail={"reason": "bad_credentials", "locked": until is not None},
            )
            raise AccessDenied("Wrong user name or password.", "signin")
        if user.disabled:  # the right password: saying so leaks nothing the person lacks
            self._audit(username, "signin", "denied", detail={"reason": "disabled"})
            raise AccessDenied("This account is disabled.", "disabled")
        self._signed_in(user.username, user.participant_id, typed)
        self._audit(username, "signin", "ok", detail={"method": "password"})
        return self.principal(username)

    def _typed(self, name: str) -> str:
        """Return what is kept of a typed name until it proved to be an account's: a keyed hash.

        People sometimes type their password into the name field; neither the audit log nor
        the failure counter keeps what was typed (the lock still counts per name).
        """
        if self.name_key is None:
            return name
        digest = hmac.new(self.name_key(), name.encode(), hashlib.sha256).hexdigest()
        return "typed:" + digest[:24]

    def _signed_in(self, username: str, participant_id: str | None, typed: str) -> None:
        self.stores.accounts.touch_sign_in(username, failures_of=typed)
        if participant_id is not None:
            # A person who signs in is real: from now on they count toward k.
            self.stores.programmes.confirm([participant_id])

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return bool(self.hasher.verify(stored, password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def principal_for_oidc(self, email_or_sub: str) -> Principal:
        """Map a user signed in through OIDC (``st.user``) to the account registered for them.

        The account is found by its ``oidc_subject`` only (never by a local user name that
        happens to equal the provider's e-mail); an unknown or disabled identity is refused: the
        provider proves who someone is, the accounts say what they see.
        """
        user = self.stores.accounts.by_oidc(email_or_sub)
        if user is None or user.disabled:
            self._audit(self._typed(email_or_sub), "signin", "denied", detail={"method": "oidc"})
            raise AccessDenied("No account is registered for this sign-in.", "signin")
        self._signed_in(user.username, user.participant_id, self._typed(user.username))
        self._audit(user.username, "signin", "ok", detail={"method": "oidc"})
        return self.principal(user.username)

    def principal(self, username: str) -> Principal:
        """Build the principal of an account with its scope from the database."""
        user = self.stores.accounts.get(username)
        if user is None or user.disabled:
            raise AccessDenied(f"Unknown or disabled account '{username}'.", "signin")
        role = cast(Role, user.role)
        grants = user.grants
        participant_id = user.participant_id
        if role == "participant":
            programmes = (
                frozenset(p.name for p in self.stores.programmes.of_participant(participant_id))
                if participant_id
                else frozenset()
            )
            groups: frozenset[tuple[str, str]] = frozenset()
        elif role == "moderator":
            groups = frozenset((p, g) for p, g in grants if g)
            programmes = frozenset(p for p, _ in groups)
        elif role == "coordinator":
            programmes, groups = frozenset(p for p, _ in grants), frozenset()
        else:
            programmes, groups = frozenset(), frozenset()
        return Principal(
            username=username,
            role=role,
            participant_id=participant_id if role == "participant" else None,
            programmes=programmes,
            groups=groups,
        )

    # -- managing accounts -----------------------------------------------------------------

    def add_user(
        self,
        username: str,
        role: str,
        password: str | None = None,
        participant_id: str | None = None,
        programmes: Iterable[str] = (),
        groups: Iterable[tuple[str, str]] = (),
        *,
        oidc_subject: str | None = None,
        actor: str = "system",
    ) -> str:
        """Create an account and return its password (generated when none is given).

        Raises
        ------
        InvalidEntryError
            Bad name, unknown role, a role without its scope (a participant needs a
            participant id, a moderator groups, a coordinator programmes), an unknown
            participant, a short password, or an existing name.
        """
        grants = self._check_scope(role, participant_id, programmes, groups)
        _check_username(username)
        if password is None:
            password = generate_password()
        elif len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidEntryError(
                f"A password needs at least {MIN_PASSWORD_LENGTH} characters.", "weak_password"
            )
        if self.stores.accounts.get(username) is not None:
            raise InvalidEntryError(f"The account '{username}' exists already.", "user_exists")
        if participant_id is not None and not self.stores.programmes.of_participant(participant_id):
            raise InvalidEntryError(
                f"Unknown participant '{participant_id}'.", "unknown_participant"
            )
        self.stores.accounts.add(
            username,
            role,
            self.hasher.hash(password),
            participant_id=participant_id,
            oidc_subject=oidc_subject,
            grants=grants,
        )
        self._audit(
            actor,
            "user.add",
            "ok",
            subject=username,
            detail={"role": role, "grants": [list(g) for g in grants]},
        )
        return password

    def set_role(
        self,
        username: str,
        role: str,
        *,
        programmes: Iterable[str] = (),
        groups: Iterable[tuple[str, str]] = (),
        actor: str = "system",
    ) -> None:
        """Change an account's role and scope (audited); participants keep their binding."""
        user = self.stores.accounts.get(username)
        if user is None:
            raise InvalidEntryError(f"Unknown account '{username}'.", "unknown_user")
        grants = self._check_scope(role, user.participant_id, programmes, groups)
        self.stores.accounts.set_role(username, role, grants)
        self._audit(
            actor,
            "user.role",
            "ok",
            subject=username,
            detail={"from": user.role, "to": role, "grants": [list(g) for g in grants]},
        )

    def set_disabled(self, username: str, disabled: bool, *, actor: str) -> None:
        """Disable (or enable again) an account; its open sessions end at their next page."""
        if not self.stores.accounts.set_disabled(username, disabled):
            raise InvalidEntryError(f"Unknown account '{username}'.", "unknown_user")
        if disabled:  # a session cookie must not outlive the account's right to sign in
            self.stores.sessions.delete_of(username)
        self._audit(actor, "user.disable" if disabled else "user.enable", "ok", subject=username)

    def delete_user(self, username: str, *, actor: str) -> None:
        """Delete an account and its grants; the participant's data stays (that is erasure)."""
        if not self.stores.accounts.delete(username):
            raise InvalidEntryError(f"Unknown account '{username}'.", "unknown_user")
        self._audit(actor, "user.delete", "ok", subject=username)

    def list_users(self) -> list[dict[str, Any]]:
        """Accounts without password hashes, as JSON-ready dicts."""
        users = self.stores.accounts.all()
        return [
            {
                "username": u.username,
                "role": u.role,
                "participant": u.participant_id,
                "oidc_subject": u.oidc_subject,
                "programmes": sorted({p for p, g in u.grants if not g}),
                "groups": [f"{p}:{g}" for p, g in u.grants if g],
                "created_at": _iso(u.created_at),
                "last_sign_in_at": _iso(u.last_sign_in_at),
                "disabled": u.disabled,
            }
            for u in users
        ]

    def ensure_demo_accounts(self, demo_programmes: Iterable[str]) -> dict[str, str] | None:
        """Create one account per role for the demo data; return their passwords once.

        The participant account speaks for the first demo participant (by id) who consented to
        analysis and matching; the moderator moderates the first demo peer group; the
        coordinator coordinates all demo programmes. Returns None when they exist already.
        """
        if self.stores.accounts.get(DEMO_USERS["admin"]) is not None:
            return None
        names = sorted(demo_programmes)
        programmes = [p for p in (self.stores.programmes.get(n) for n in names) if p is not None]
        if not programmes:
            raise InvalidEntryError("Load the demo programmes first.", "no_demo")
        person = next(
            (
                p.id
                for prog in programmes
                for p in self.stores.programmes.participants_of(prog.id)
                if p.consent_analysis and p.consent_matching
            ),
            None,
        )
        group = next(
            (
                (prog.name, g)
                for prog in programmes
                for g in self.stores.programmes.groups_of(prog.id)
            ),
            None,
        )
        passwords: dict[str, str] = {}
        if person is not None:
            passwords[DEMO_USERS["participant"]] = self.add_user(
                DEMO_USERS["participant"], "participant", participant_id=person, actor="demo"
            )
        if group is not None:
            passwords[DEMO_USERS["moderator"]] = self.add_user(
                DEMO_USERS["moderator"], "moderator", groups=[group], actor="demo"
            )
        passwords[DEMO_USERS["coordinator"]] = self.add_user(
            DEMO_USERS["coordinator"],
            "coordinator",
            programmes=[p.name for p in programmes],
            actor="demo",
        )
        # The admin last: its existence marks the demo accounts as created.
        passwords[DEMO_USERS["admin"]] = self.add_user(DEMO_USERS["admin"], "admin", actor="demo")
        return passwords

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _check_scope(
        role: str,
        participant_id: str | None,
        programmes: Iterable[str],
        groups: Iterable[tuple[str, str]],
    ) -> list[tuple[str, str]]:
        if role not in ROLES:
            raise InvalidEntryError(
                f"Unknown role '{role}'. Roles: {', '.join(ROLES)}.", "unknown_role"
            )
        programmes, groups = list(programmes), list(groups)
        needs = {
            "participant": participant_id is not None and not programmes and not groups,
            "moderator": bool(groups) and not programmes and participant_id is None,
            "coordinator": bool(programmes) and not groups and participant_id is None,
            "admin": not programmes and not groups and participant_id is None,
        }
        if not needs[role]:
            what = {
                "participant": "exactly a participant id (--participant)",
                "moderator": "one or more groups (--group PROGRAMME:GROUP) and nothing else",
                "coordinator": "one or more programmes (--programme) and nothing else",
                "admin": "no participant, programme or group",
            }[role]
            raise InvalidEntryError(f"The role '{role}' needs {what}.", "bad_scope")
        return [(p, "") for p in programmes] + [(p, g) for p, g in groups]

    def _audit(
        self,
        actor: str,
        action: str,
        outcome: str,
        *,
        subject: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self.stores.audit.append(actor, action, outcome, subject=subject, detail=detail)


def _check_username(username: str) -> None:
    if not 1 <= len(username) <= 200 or not set(username) <= _USERNAME_CHARS:
        raise InvalidEntryError(
            "A user name has 1 to 200 letters, digits or . _ @ + - characters.", "bad_username"
        )


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
