"""Streamlit entry: the signed-in role decides which pages exist; no logic here.

``make run`` serves it through ``serve.py`` (session cookie routes); ``streamlit run app.py``
works too, without sessions that survive a reload.
"""

import streamlit as st

from assistant import texts
from assistant.ui import identity, navigation, state

st.set_page_config(page_title=texts.APP_TITLE, layout="wide")
state.start()

who = identity.current()
identity.follow_hand_over()
if who is not None:
    with st.sidebar:
        st.caption(texts.SIGNED_IN_AS.format(name=who.username, role=texts.ROLE[who.role]))
        if st.button(texts.SIGN_OUT, key="sign_out"):
            identity.sign_out(leave=True)
            st.rerun()
navigation.run(who)
