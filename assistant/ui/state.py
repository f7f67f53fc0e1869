"""Cached Assistant for the process; it holds no per-user state, so sharing it is safe."""

from __future__ import annotations

import streamlit as st

from assistant import Assistant, build_assistant, load_settings
from assistant.ui import texts


@st.cache_resource(show_spinner=texts.LOADING_MODEL)
def assistant() -> Assistant:
    """Build the Assistant once per process (model load and pool fit are the slow parts)."""
    return build_assistant(load_settings())
