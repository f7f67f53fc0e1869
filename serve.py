"""ASGI entry of ``make run`` (``streamlit run serve.py``): app.py plus the session routes.

Streamlit finds ``app`` below and serves ``app.py`` with the routes of ``assistant/ui/web.py``:
``/sitzung/start`` and ``/sitzung/ende`` set and delete the HttpOnly session cookie, unknown
URLs answer in German, and the engine starts loading when the server starts. No logic here.
"""

import streamlit as st

from assistant.ui import state, web

app = st.App(
    "app.py",
    routes=web.routes(state.assistant),
    middleware=web.middleware(),
    lifespan=web.lifespan(state.warm),
)
