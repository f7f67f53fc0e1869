"""Streamlit entry: routes to the pages under assistant/ui/pages/; no logic here."""

import streamlit as st

from assistant.ui import texts

st.set_page_config(page_title=texts.APP_TITLE, layout="centered")
PAGES = [st.Page("assistant/ui/pages/suggest.py", title=texts.PAGE_SUGGEST, default=True)]
st.navigation(PAGES).run()
