"""Protokoll (admins): the append-only audit log, newest first, in German and local time."""

from __future__ import annotations

import json

import streamlit as st

from assistant import texts
from assistant.policy import Action
from assistant.ui import identity, state, widgets

me = identity.require(Action.VIEW_AUDIT)
st.header(texts.AUDIT_HEADER)
st.caption(texts.AUDIT_INTRO)
limit = st.select_slider(texts.AUDIT_LIMIT, options=[100, 500, 2000], value=500, key="audit_limit")
rows = state.assistant().audit_log(me, limit=limit)
if not rows:
    st.info(texts.AUDIT_EMPTY)
else:
    days = sorted(widgets.local_day(r.at) for r in rows)
    by_action, by_person, by_date = st.columns(3)
    actions = by_action.multiselect(
        texts.AUDIT_FILTER_ACTION,
        sorted({r.action for r in rows}, key=texts.audit_action),
        format_func=texts.audit_action,
        placeholder=texts.PICK_MANY,
        select_all=False,
        key="audit_actions",
    )
    people = by_person.multiselect(
        texts.AUDIT_FILTER_PERSON,
        sorted({r.actor for r in rows}),
        placeholder=texts.PICK_MANY,
        select_all=False,
        key="audit_people",
    )
    span = by_date.date_input(
        texts.AUDIT_FILTER_DATES,
        value=(days[0], days[-1]),
        format=texts.DATE_INPUT_FORMAT,
        key="audit_dates",
    )
    shown = widgets.audit_rows_matching(rows, actions, people, span)
    if not shown:
        st.info(texts.AUDIT_NO_MATCH)
    else:
        st.dataframe(
            [
                {
                    texts.AUDIT_COLUMNS["at"]: texts.local_time(r.at),
                    texts.AUDIT_COLUMNS["actor"]: r.actor,
                    texts.AUDIT_COLUMNS["action"]: texts.audit_action(r.action),
                    texts.AUDIT_COLUMNS["outcome"]: texts.AUDIT_OUTCOME.get(r.outcome, r.outcome),
                    texts.AUDIT_COLUMNS["programme"]: r.programme or "",
                    texts.AUDIT_COLUMNS["group"]: r.group or "",
                    texts.AUDIT_COLUMNS["subject"]: r.subject or "",
                    texts.AUDIT_COLUMNS["detail"]: json.dumps(r.detail, ensure_ascii=False),
                }
                for r in shown
            ],
            hide_index=True,
            width="stretch",
        )
