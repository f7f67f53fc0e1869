"""The one place pages learn who is signed in.

Pages call ``current()`` or ``require(action, ...)``; nothing else reads identity. Local sign-in
puts a ``Principal`` into the session and sends the browser once through ``/sitzung/start``
(``web.py``), which sets a signed, HttpOnly session cookie: each page run turns that cookie back
into the principal (checked server-side), so a reload, a bookmark or a typed URL keeps one
signed in. With OIDC (``st.login``, configured in
``.streamlit/secrets.toml``) the provider's user is mapped to an existing account. AppTest cannot
simulate ``st.login``, so tests sign in by setting
``at.session_state[identity.SESSION_KEY] = Principal(...)`` before the first run.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NoReturn
from urllib.parse import urlencode

import streamlit as st

from assistant import texts
from assistant.errors import AccessDenied
from assistant.policy import Action, Principal
from assistant.ui import site, state, web

SESSION_KEY = "principal"
_SIGNED_IN_AT = "_signed_in_at"
_EXPIRED = "_session_expired"
_VIA_COOKIE = "_session_via_cookie"
_GO_TO = "_session_go_to"
COOKIE = site.COOKIE
START_PATH = site.START_PATH
END_PATH = site.END_PATH


def oidc_configured() -> bool:
    """Return whether an identity provider is configured for ``st.login``."""
    return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)


def current() -> Principal | None:
    """Return the signed-in principal of this browser session, or None once the session expired."""
    restored = _from_cookie()
    if restored is not None:
        return restored
    who = st.session_state.get(SESSION_KEY)
    if isinstance(who, Principal):
        started = st.session_state.setdefault(_SIGNED_IN_AT, datetime.now(UTC))
        if state.assistant().session_expired(started, datetime.now(UTC)):
            sign_out()
            st.session_state[_EXPIRED] = True
            return None
        # Re-read on every page run: a role change, a disabled or deleted account (by an admin,
        # in any process) takes effect at the next click, not at the next sign-in.
        try:
            fresh = state.assistant().principal(who.username)
        except AccessDenied:
            sign_out()
            return None
        if fresh != who:
            st.session_state[SESSION_KEY] = fresh
        return fresh
    if oidc_configured() and st.user.is_logged_in:
        claims = st.user.to_dict()
        started = oidc_signed_in_at(claims)
        # The provider's cookie outlives our session: its sign-in time, not this page's, counts.
        if started is None or state.assistant().session_expired(started, datetime.now(UTC)):
            sign_out()
            st.session_state[_EXPIRED] = True
            return None
        for subject in oidc_subjects(claims):
            try:
                who = state.assistant().principal_for_oidc(subject)
            except AccessDenied:
                continue
            # The provider's own cookie keeps this sign-in across reloads, and its sign-in
            # time counts: no session cookie of ours, which would count from now.
            sign_in(who, remember=False)
            st.session_state[_SIGNED_IN_AT] = started
            return who
        return None  # a provider account without an account here sees the sign-in page
    return None


def _session_cookie() -> str | None:
    """Return the session cookie the browser sent (HttpOnly: the page cannot set it)."""
    value = st.context.cookies.get(COOKIE)
    return str(value) if value else None


def _from_cookie() -> Principal | None:
    """Restore the principal of a live session cookie; sign out when this tab's session ended."""
    cookie = _session_cookie()
    if cookie is None:
        return None
    found = state.assistant().session_principal(cookie)
    if found is None:
        if st.session_state.get(_VIA_COOKIE):  # ended elsewhere, disabled, or expired
            started = st.session_state.get(_SIGNED_IN_AT)
            expired = isinstance(started, datetime) and state.assistant().session_expired(
                started, datetime.now(UTC)
            )
            sign_out()
            if expired:
                st.session_state[_EXPIRED] = True
        return None
    who, started = found
    st.session_state[SESSION_KEY] = who
    st.session_state[_SIGNED_IN_AT] = started
    st.session_state[_VIA_COOKIE] = True
    return who


def oidc_subjects(claims: Mapping[str, Any]) -> list[str]:
    """Return the identities a provider vouches for: its subject; the e-mail only if verified.

    An unverified ``email`` claim is whatever someone typed at the provider: trusting it would
    let them sign in as the account registered for that address.
    """
    found = [str(claims["sub"])] if claims.get("sub") else []
    if claims.get("email") and claims.get("email_verified") is True:
        found.append(str(claims["email"]))
    return found


def oidc_signed_in_at(claims: Mapping[str, Any]) -> datetime | None:
    """When the person signed in at the provider (``auth_time``, else ``iat``), or None."""
    moment = claims.get("auth_time")
    if moment is None:
        moment = claims.get("iat")
    try:
        return datetime.fromtimestamp(float(moment), UTC) if moment is not None else None
    except (TypeError, ValueError, OverflowError):
        return None


def expired_notice() -> bool:
    """Return (once) whether the last session ended by expiry, so the sign-in page can say so."""
    return bool(st.session_state.pop(_EXPIRED, False))


def sign_in(who: Principal, next_path: str = "", *, remember: bool = True) -> None:
    """Remember ``who`` for this browser session and (``remember``) for this browser.

    The next page run sends the browser through ``/sitzung/start`` with a one-time token,
    which sets the session cookie and goes on to ``/next_path``.
    """
    st.session_state[SESSION_KEY] = who
    st.session_state[_SIGNED_IN_AT] = datetime.now(UTC)
    if not remember or not web.served():
        return
    token = state.assistant().start_session(who)
    query = {"t": token, **({"weiter": next_path} if next_path else {})}
    st.session_state[_GO_TO] = f"{START_PATH}?{urlencode(query)}"


def sign_out(*, leave: bool = False) -> None:
    """Forget the principal and everything the session kept about them; end the session.

    ``leave`` (the sign-out button) then sends the browser through ``/sitzung/ende``, which
    deletes the cookie too; the session itself ends here already.
    """
    who = st.session_state.get(SESSION_KEY)
    cookie = _session_cookie()
    if isinstance(who, Principal) and cookie is not None:
        # A cookie of another account is not ours to end (refused and audited by the facade).
        with contextlib.suppress(AccessDenied):
            state.assistant().end_session(who, cookie)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if leave and cookie is not None and web.served():
        st.session_state[_GO_TO] = END_PATH
    if oidc_configured() and st.user.is_logged_in:
        st.logout()


def follow_hand_over() -> None:
    """Send the browser where ``sign_in``/``sign_out`` asked (once), with a link as fallback.

    Stops the page run there: a page switch in the same run would replace the script.
    """
    target = st.session_state.pop(_GO_TO, None)
    if not target:
        return
    st.info(texts.SESSION_HANDOVER)
    st.link_button(texts.SESSION_CONTINUE, target)
    # The only script of the app: a page cannot set an HttpOnly cookie, the route can.
    st.html(
        f"<script>window.location.replace({json.dumps(target)});</script>",
        unsafe_allow_javascript=True,
    )
    st.stop()


def _refuse(message: str) -> NoReturn:
    st.error(message)
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover - st.stop raises


def require(
    action: Action,
    *,
    programme: str | None = None,
    group: str | None = None,
    participant_id: str | None = None,
) -> Principal:
    """Return the principal if the policy allows ``action``; otherwise say so and stop the page."""
    who = current()
    if who is None:
        _refuse(texts.SIGN_IN_FIRST)
    try:  # the facade writes the refusal to the audit log (a page link to another programme)
        state.assistant().authorize(
            who, action, programme=programme, group=group, participant_id=participant_id
        )
    except AccessDenied:
        _refuse(texts.ACCESS_DENIED)
    return who


def require_programme(action: Action, key: str) -> tuple[Principal, str]:
    """Pick one of the signed-in person's programmes (or the one a link names), checked.

    A link's ``?programm=`` may name any programme: the policy decides (and audits a refusal);
    without programmes the page says so and stops.
    """
    who = require(Action.VIEW_POOL)  # signed in at all; the programme is checked below
    programmes = sorted(who.programmes)
    wanted = st.query_params.get("programm")
    if wanted and wanted not in programmes:
        name = wanted
    elif programmes:
        name = st.selectbox(
            texts.COORD_PROGRAMME,
            programmes,
            index=programmes.index(wanted) if wanted else 0,
            key=key,
            placeholder=texts.PICK_ONE,
        )
    else:
        st.info(texts.COORD_NO_PROGRAMMES)
        st.stop()
    require(action, programme=name)
    return who, name
