"""Sign in with a local account (embedded default) or the organisation's identity provider."""

from __future__ import annotations

import streamlit as st

from assistant import texts
from assistant.errors import AccessDenied
from assistant.ui import identity, navigation, state

st.header(texts.SIGN_IN_HEADER)
if identity.expired_notice():
    st.warning(texts.SESSION_EXPIRED)
st.write(texts.SIGN_IN_INTRO)
if identity.oidc_configured():
    if st.button(texts.SIGN_IN_OIDC, key="sign_in_oidc", type="primary"):
        st.login()
    st.divider()
with st.form("sign_in", clear_on_submit=False):
    username = st.text_input(texts.USERNAME, key="sign_in_user", autocomplete="username")
    password = st.text_input(
        texts.PASSWORD, key="sign_in_password", type="password", autocomplete="current-password"
    )
    submitted = st.form_submit_button(texts.SIGN_IN_BUTTON, type="primary")
if submitted:
    try:
        who = state.assistant().authenticate(username.strip(), password)
    except AccessDenied as err:
        # One message for unknown user, wrong password and lock-out: nothing to probe.
        st.error(texts.SIGN_IN_FAILED if err.action != "locked" else texts.SIGN_IN_LOCKED)
    else:
        identity.sign_in(who, navigation.landing(who))
        st.rerun()
st.caption(texts.SIGN_IN_DEMO_HINT)
