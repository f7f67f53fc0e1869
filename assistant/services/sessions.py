"""Browser sessions that survive a reload: signed cookie, server-side row, one-time hand-over.

A session id is 32 random bytes; the browser gets it signed (``itsdangerous``, keyed by the
data folder's secret, so a forged or edited cookie is refused before any lookup) and the
database keeps only its SHA-256. The expiry rule is ``session_expired`` (``session_minutes``
after sign-in), the same as for a session without cookie. A page cannot set an HttpOnly cookie,
so a sign-in on the page creates a hand-over token (one use, one minute) that the route
``/sitzung/start`` exchanges for the cookie. No Streamlit, no SQL, no audit: the facade
audits.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, TimestampSigner

from assistant.services.accounts import session_expired
from assistant.storage import Stores

__all__ = ["HANDOVER_TTL", "SessionCookie", "SessionService", "hash_id"]

HANDOVER_TTL = timedelta(seconds=60)
"""How long a hand-over token from the sign-in page to ``/sitzung/start`` is valid."""

TOUCH_EVERY = timedelta(seconds=60)
"""``last_seen_at`` is written at most this often: a page run reads the session several times."""

_SESSION = "session"
_HANDOVER = "handover"
_SALT = "assistant.session"


@dataclass(frozen=True)
class SessionCookie:
    """What the route puts into the browser: the signed value and its lifetime in seconds."""

    value: str
    max_age_s: int
    username: str


def hash_id(raw: str) -> str:
    """Return the SHA-256 hex of a session id or token (what the database keeps)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class SessionService:
    """Sessions of signed-in accounts over ``stores.sessions``.

    Parameters
    ----------
    stores : Stores
    ttl : datetime.timedelta
        Session lifetime from sign-in (``Settings.session_ttl``).
    key : callable
        Returns the signing key (the data folder's secret).
    clock : callable, optional
        Returns the current UTC time; tests pass a fake.
    """

    def __init__(
        self,
        stores: Stores,
        *,
        ttl: timedelta,
        key: Callable[[], bytes],
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.stores = stores
        self.ttl = ttl
        self.key = key
        self.clock = clock or (lambda: datetime.now(UTC))

    def hand_over(self, username: str) -> str:
        """Create and return a one-time token that ``redeem`` exchanges for a session."""
        token = secrets.token_urlsafe(32)
        moment = self.clock()
        self.stores.sessions.add(hash_id(token), _HANDOVER, username, moment, moment + HANDOVER_TTL)
        return token

    def redeem(self, token: str) -> SessionCookie | None:
        """Use up a hand-over token; return the new session's cookie, or None (used, expired)."""
        if not token:
            return None
        found = self.stores.sessions.take(hash_id(token), _HANDOVER)
        moment = self.clock()
        if found is None or moment >= found.expires_at:
            return None
        session_id = secrets.token_urlsafe(32)
        self.stores.sessions.purge(moment)  # expired rows of anyone go on each sign-in
        self.stores.sessions.add(
            hash_id(session_id), _SESSION, found.username, moment, moment + self.ttl
        )
        value = self._signer().sign(session_id).decode()
        return SessionCookie(value, int(self.ttl.total_seconds()), found.username)

    def resolve(self, cookie: str | None) -> tuple[str, datetime] | None:
        """Return (user name, signed-in at) of a live session cookie, or None.

        A bad signature, an unknown or ended session and an expired one give None; an expired
        row is deleted on the way.
        """
        session_id = self._unsign(cookie)
        if session_id is None:
            return None
        key = hash_id(session_id)
        found = self.stores.sessions.get(key, _SESSION)
        if found is None:
            return None
        moment = self.clock()
        if session_expired(found.created_at, moment, self.ttl):
            self.stores.sessions.delete(key)
            return None
        if moment - found.last_seen_at >= TOUCH_EVERY:
            self.stores.sessions.touch(key, moment)
        return found.username, found.created_at

    def end(self, cookie: str | None) -> bool:
        """Delete the session of ``cookie``; False when there was none."""
        session_id = self._unsign(cookie)
        return session_id is not None and self.stores.sessions.delete(hash_id(session_id))

    def end_all(self, username: str) -> int:
        """End every session of ``username`` (a disabled account); return how many."""
        return self.stores.sessions.delete_of(username)

    def _signer(self) -> TimestampSigner:
        return TimestampSigner(self.key(), salt=_SALT)

    def _unsign(self, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            raw = self._signer().unsign(cookie, max_age=int(self.ttl.total_seconds()))
        except BadSignature:  # also SignatureExpired, its subclass
            return None
        return raw.decode()
