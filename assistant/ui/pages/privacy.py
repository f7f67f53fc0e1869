"""Datenschutzhinweise: the privacy notice composed from the settings, for everyone."""

from __future__ import annotations

import streamlit as st

from assistant import texts
from assistant.domain import DEFAULT_RETENTION_MONTHS
from assistant.ui import state

settings = state.assistant().settings
st.header(texts.PRIVACY_HEADER)
for section in texts.privacy_notice(
    settings.k_min_cluster, DEFAULT_RETENTION_MONTHS, settings.privacy_contact
):
    st.subheader(section.heading)
    for paragraph in section.paragraphs:
        st.markdown(texts.plain(paragraph))
