"""Streamlit entry: the signed-in role decides which pages exist; no logic here."""

import streamlit as st

from assistant import texts
from assistant.ui import identity, state

PAGES = "assistant/ui/pages/"

st.set_page_config(page_title=texts.APP_TITLE, layout="wide")
state.demo_loaded()

suggest = st.Page(PAGES + "suggest.py", title=texts.PAGE_SUGGEST, url_path="themen")
privacy = st.Page(PAGES + "privacy.py", title=texts.PAGE_PRIVACY, url_path="datenschutz")
by_role = {
    "participant": [
        st.Page(PAGES + "participant.py", title=texts.PAGE_PARTICIPANT, url_path="mentoring"),
        suggest,
        st.Page(PAGES + "my_data.py", title=texts.PAGE_MY_DATA, url_path="meine-daten"),
    ],
    "moderator": [st.Page(PAGES + "moderator.py", title=texts.PAGE_MODERATOR, url_path="forum")],
    "coordinator": [
        st.Page(PAGES + "coordinator.py", title=texts.PAGE_COORDINATOR, url_path="programm"),
        st.Page(PAGES + "matching.py", title=texts.PAGE_MATCHING, url_path="tandems"),
        st.Page(PAGES + "pool.py", title=texts.PAGE_POOL, url_path="themenpool"),
    ],
    "admin": [
        st.Page(PAGES + "pool.py", title=texts.PAGE_POOL, url_path="themenpool"),
        st.Page(PAGES + "audit.py", title=texts.PAGE_AUDIT, url_path="protokoll"),
    ],
}
who = identity.current()
if who is None:
    pages = [st.Page(PAGES + "signin.py", title=texts.PAGE_SIGN_IN, url_path="anmelden"), suggest]
else:
    pages = by_role[who.role]
    with st.sidebar:
        st.caption(texts.SIGNED_IN_AS.format(name=who.username, role=texts.ROLE[who.role]))
        if st.button(texts.SIGN_OUT, key="sign_out"):
            identity.sign_out()
            st.rerun()
st.navigation([*pages, privacy]).run()
