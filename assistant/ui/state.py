"""Cached Assistant for the process; it holds no per-user state, so sharing it is safe."""

from __future__ import annotations

import sys
from typing import Any

import streamlit as st

from assistant import Assistant, build_assistant, load_settings, texts
from assistant.policy import operator

APP_START = operator("app:start")
"""The app's own start-up acts as an operator: it completes pending entries, loads the demo."""


@st.cache_resource(show_spinner=texts.LOADING_MODEL)
def assistant() -> Assistant:
    """Build the Assistant once per process (model load and pool fit are the slow parts)."""
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
