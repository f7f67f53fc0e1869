"""ASGI entry of ``make run`` (``streamlit run serve.py``): app.py plus the session routes.

Streamlit finds ``app`` below and serves ``app.py`` with the routes of ``assistant/ui/web.py``:
``/sitzung/start`` and ``/sitzung/ende`` set and delete the HttpOnly session cookie, unknown
URLs answer in German, and the engine starts loading in a thread when the server starts. The
engine's modules are imported there, not here, so the server listens within seconds.
"""

import sys
import time
from typing import Any

import streamlit as st

from assistant.ui import web


def engine() -> Any:
    """Return the app's cached engine (``state.assistant``), imported on first use."""
    from assistant.ui import state

    return state.assistant()


def warm() -> None:
    """Load the engine at server start, then say in the terminal that the first page is ready."""
    began = time.perf_counter()
    from assistant.ui import state

    state.warm()
    where = (
        f"http://{st.get_option('server.address') or 'localhost'}:{st.get_option('server.port')}"
    )
    sys.stdout.write(f"Ready in {time.perf_counter() - began:.1f} s: {where}\n")
    sys.stdout.flush()


app = st.App(
    "app.py", routes=web.routes(engine), middleware=web.middleware(), lifespan=web.lifespan(warm)
)
