"""Protokoll (admins): the append-only audit log as a table, newest first."""

from __future__ import annotations

import json

import streamlit as st

from assistant import texts
from assistant.policy import Action
from assistant.ui import identity, state

me = identity.require(Action.VIEW_AUDIT)
st.header(texts.AUDIT_HEADER)
st.caption(texts.AUDIT_INTRO)
limit = st.select_slider(texts.AUDIT_LIMIT, options=[100, 500, 2000], value=500, key="audit_limit")
rows = state.assistant().audit_log(me, limit=limit)
if not rows:
    st.info(texts.AUDIT_EMPTY)
else:
    st.dataframe(
        [
            {
                texts.AUDIT_COLUMNS["at"]: r.at.isoformat()[:19].replace("T", " "),
                texts.AUDIT_COLUMNS["actor"]: r.actor,
                texts.AUDIT_COLUMNS["action"]: r.action,
                texts.AUDIT_COLUMNS["outcome"]: texts.AUDIT_OUTCOME.get(r.outcome, r.outcome),
                texts.AUDIT_COLUMNS["programme"]: r.programme or "",
                texts.AUDIT_COLUMNS["group"]: r.group or "",
                texts.AUDIT_COLUMNS["subject"]: r.subject or "",
                texts.AUDIT_COLUMNS["detail"]: json.dumps(r.detail, ensure_ascii=False),
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
    )
