"""Streamlit entry: routes to the pages under assistant/ui/pages/; no logic here."""

import streamlit as st

from assistant.ui import state, texts

st.set_page_config(page_title=texts.APP_TITLE, layout="centered")
state.demo_loaded()
PAGES = [st.Page("assistant/ui/pages/suggest.py", title=texts.PAGE_SUGGEST, default=True)]
st.navigation(PAGES).run()
