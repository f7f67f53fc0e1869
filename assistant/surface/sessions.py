"""The session part of the ``Assistant``: browser sessions that survive a reload (issue #14).

The page asks ``start_session`` after a sign-in (checked, audited ``session.start``) and sends
the browser with the returned one-time token to ``/sitzung/start``, whose route calls
``redeem_session`` for the HttpOnly cookie. Each page run turns the cookie back into a
principal with ``session_principal``; ``end_session`` (checked, audited ``session.end``) ends it.
The two cookie methods run before there is a principal, like ``authenticate``.
"""

from __future__ import annotations

from datetime import datetime

from assistant.errors import AccessDenied
from assistant.policy import Action, Principal
from assistant.services.sessions import SessionCookie
from assistant.surface.base import SurfaceBase

__all__ = ["SessionSurface"]


class SessionSurface(SurfaceBase):
    """Checked methods that start and end a signed-in browser session."""

    def start_session(self, who: Principal | None) -> str:
        """Return a one-time hand-over token (one minute) for ``who``'s new browser session."""
        me = self._allow(who, Action.SESSION_START)
        token = self._services().sessions.hand_over(me.username)
        self._audit(me, Action.SESSION_START, subject=me.username)
        return token

    def redeem_session(self, token: str) -> SessionCookie | None:
        """Exchange a hand-over token for the session cookie; None when used up or expired."""
        return self._services().sessions.redeem(token)

    def session_principal(self, cookie: str | None) -> tuple[Principal, datetime] | None:
        """Return the principal of a live session cookie and when they signed in, or None.

        The account is read now: a disabled or deleted account ends its sessions here.
        """
        services = self._services()
        found = services.sessions.resolve(cookie)
        if found is None:
            return None
        username, signed_in_at = found
        try:
            return services.accounts.principal(username), signed_in_at
        except AccessDenied:
            services.sessions.end_all(username)
            return None

    def end_session(self, who: Principal | None, cookie: str | None) -> bool:
        """End ``who``'s browser session of ``cookie`` (sign-out); False when it was gone."""
        me = self._allow(who, Action.SESSION_END)
        found = self._services().sessions.resolve(cookie)
        if found is not None and found[0] != me.username:
            self._audit(me, Action.SESSION_END, "denied", subject=found[0])
            raise AccessDenied(f"'{me.username}' may not end another account's session.", "session")
        ended = self._services().sessions.end(cookie)
        self._audit(me, Action.SESSION_END, subject=me.username, detail={"ended": ended})
        return ended
