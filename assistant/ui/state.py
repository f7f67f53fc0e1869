"""Cached Assistant for the process; it holds no per-user state, so sharing it is safe."""

from __future__ import annotations

import sys

import streamlit as st

from assistant import Assistant, build_assistant, load_settings, texts


@st.cache_resource(show_spinner=texts.LOADING_MODEL)
def assistant() -> Assistant:
    """Build the Assistant once per process (model load and pool fit are the slow parts)."""
    return build_assistant(load_settings())


@st.cache_resource(show_spinner=False)
def demo_loaded() -> bool:
    """Load the fictional demo programmes on first start when the database is empty."""
    engine = assistant()
    if engine.repo.list_programmes():
        return False
    bar = st.progress(0.0, text=texts.LOADING_DEMO)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        bar.progress(min(done / texts.DEMO_SIZE_HINT, 1.0), text=texts.LOADING_DEMO)

    engine.load_demo(progress=advance)
    bar.empty()
    _announce_demo_accounts(engine.ensure_demo_accounts())
    return True


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
