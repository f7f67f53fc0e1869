"""Cached Assistant for the process; it holds no per-user state, so sharing it is safe."""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING, Any

import streamlit as st

from assistant import load_settings, texts
from assistant.policy import operator

if TYPE_CHECKING:  # the engine's modules (spaCy, torch) load in assistant(), not at import
    from assistant import Assistant

APP_START = operator("app:start")
"""The app's own start-up acts as an operator: it completes pending entries, loads the demo."""


# Streamlit's "Running…/Stop" status widget is English and means nothing to a reader here.
_HIDE_STATUS = "<style>[data-testid='stStatusWidget']{visibility:hidden}</style>"


def start() -> None:
    """Show a German message while the engine loads (only until it is ready), then go on.

    ``make run`` prepares everything first (``assistant prepare``) and ``serve.py`` starts the
    load when the server starts, so this is usually instant; the message is written before the
    slow call, so a first visitor never sees a blank page.
    """
    st.html(_HIDE_STATUS)
    ready = _readiness()
    if ready.is_set():
        return
    note = st.empty()
    note.info(texts.APP_LOADING)
    assistant()
    demo_loaded()
    note.empty()
    ready.set()


@st.cache_resource(show_spinner=False)
def _readiness() -> threading.Event:
    """Set once this process's engine and demo are ready (cleared with the resource cache)."""
    return threading.Event()


def warm() -> None:
    """Build the engine now (the server's start, before any page is open): cached per process."""
    assistant()


@st.cache_resource(show_spinner=False)
def assistant() -> Assistant:
    """Build the Assistant once per process (model load and pool fit are the slow parts)."""
    from assistant import build_assistant

    return build_assistant(load_settings())


@st.cache_resource(show_spinner=False)
def demo_loaded() -> bool:
    """Complete what a crash left pending; load the demo on first start (empty database)."""
    engine = assistant()
    bar: Any = None
    done = 0

    def advance(n: int) -> None:
        nonlocal bar, done
        if bar is None:  # only when the demo is really being loaded
            bar = st.progress(0.0, text=texts.LOADING_DEMO)
        done += n
        bar.progress(min(done / texts.DEMO_SIZE_HINT, 1.0), text=texts.LOADING_DEMO)

    report, passwords = engine.start(APP_START, demo=engine.settings.demo, progress=advance)
    if bar is not None:
        bar.empty()
    _announce_demo_accounts(passwords)
    return report is not None


def _announce_demo_accounts(passwords: dict[str, str] | None) -> None:
    """Print the demo accounts' passwords once, to the terminal of ``make run``, never the page."""
    if not passwords:
        return
    engine = assistant()
    lines = [texts.DEMO_ACCOUNTS_HEADER]
    for username, password in passwords.items():
        lines.append(f"  {engine.principal(username).role:<12} {username:<24} {password}")
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
