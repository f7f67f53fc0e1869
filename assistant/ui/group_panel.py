"""A peer group's sessions on "Mein Mentoring" (members) and the session table both roles share.

A thin view over the facade: ``my_group_sessions`` for the member's groups, ``check_in`` as a
button callback (a refused check-in keeps what was typed, with a German message). Members see
the sessions with stage, date, title and prompts, and their own check-ins and notes; counts
and means follow the k rule for everyone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from assistant import texts
from assistant.errors import AccessDenied, AssistantError
from assistant.service import CheckinInput, GroupSessionsView
from assistant.ui import identity, state

__all__ = ["session_table", "show_groups"]

NOTICE, ERROR = "group_checkin_notice", "group_checkin_error"


def _message(err: AssistantError) -> str:
    if isinstance(err, AccessDenied):
        return texts.ACCESS_DENIED
    return str(err)  # German (assistant.journey.groups)


def session_table(view: GroupSessionsView, key: str) -> None:
    """Show the group's sessions by stage, check-in counts and the mean from k on (no texts)."""
    if not view.sessions:
        st.caption(texts.GROUP_SESSIONS_NONE)
        return
    col = texts.GROUP_SESSIONS_COLUMNS
    rows = view.sessions
    st.dataframe(
        {
            col["stage"]: [texts.STAGES.get(r.session.stage, r.session.stage) for r in rows],
            col["date"]: [r.session.held_on.strftime(texts.DATE_FORMAT) for r in rows],
            col["title"]: [r.session.title for r in rows],
            col["checkins"]: [r.checkins for r in rows],
            col["mean"]: [
                texts.GROUP_MEAN_HIDDEN if r.mean is None else f"{r.mean:.1f}".replace(".", ",")
                for r in rows
            ],
        },
        hide_index=True,
        key=key,
    )


def session_prompts(view: GroupSessionsView) -> None:
    """One expander per session with prompts (a forum's), each prompt as plain text."""
    for row in view.sessions:
        if row.session.prompts:
            with st.expander(texts.GROUP_PROMPTS.format(title=texts.plain(row.session.title))):
                for prompt in row.session.prompts:
                    st.text(f"• {prompt}")


def _check_in(programme: str, group: str, i: int) -> None:
    ss: Any = st.session_state
    session_id = ss.get(f"gc_session_{i}")
    if session_id is None:
        return
    checkin = CheckinInput(
        session_id=int(session_id),
        value=int(ss.get(f"gc_value_{i}", 3)),
        private_note=str(ss.get(f"gc_note_{i}", "")),
        reflection=str(ss.get(f"gc_reflection_{i}", "")),
    )
    try:
        logged = state.assistant().check_in(identity.current(), group, checkin, programme)
    except AssistantError as err:
        ss[ERROR] = _message(err)  # what was typed stays in the boxes
        return
    held = ss.get(f"gc_dates_{i}", {}).get(checkin.session_id)
    lines = [texts.GROUP_CHECKIN_SAVED.format(date=held or "")]
    if logged.reflection is True:
        lines.append(texts.GROUP_CHECKIN_REFLECTION_SAVED)
    elif logged.reflection is False:
        lines.append(texts.GROUP_CHECKIN_REFLECTION_NO_CONSENT)
    ss[NOTICE] = " ".join(lines)
    for key in (f"gc_note_{i}", f"gc_reflection_{i}"):
        ss.pop(key, None)


def _form(programme: str, view: GroupSessionsView, i: int) -> None:
    st.markdown(f"**{texts.GROUP_CHECKIN_HEADING}**")
    past = view.past(date.today())
    if not past:
        st.caption(texts.GROUP_CHECKIN_NONE_PAST)
        return
    options = {
        s.id: texts.GROUP_SESSION_OPTION.format(
            date=s.held_on.strftime(texts.DATE_FORMAT),
            stage=texts.STAGES.get(s.stage, s.stage),
            title=s.title,
        )
        for s in past
    }
    st.session_state[f"gc_dates_{i}"] = {s.id: s.held_on.strftime(texts.DATE_FORMAT) for s in past}
    st.selectbox(
        texts.GROUP_CHECKIN_FIELD_SESSION,
        list(options),
        format_func=options.__getitem__,
        placeholder=texts.PICK_ONE,
        key=f"gc_session_{i}",
    )
    st.slider(texts.GROUP_CHECKIN_FIELD_VALUE, 1, 5, 3, key=f"gc_value_{i}")
    st.text_area(texts.GROUP_CHECKIN_FIELD_NOTE, key=f"gc_note_{i}")
    st.text_area(texts.GROUP_CHECKIN_FIELD_REFLECTION, key=f"gc_reflection_{i}")
    st.button(
        texts.GROUP_CHECKIN_SAVE,
        key=f"gc_save_{i}",
        on_click=_check_in,
        args=(programme, view.group, i),
    )


def _own(view: GroupSessionsView, i: int) -> None:
    if not view.own:
        return
    titles = {r.session.id: r.session for r in view.sessions}
    col = texts.GROUP_MY_CHECKINS_COLUMNS
    st.markdown(f"**{texts.GROUP_MY_CHECKINS.format(n=len(view.own))}**")
    st.dataframe(
        {
            col["date"]: [
                titles[c.session_id].held_on.strftime(texts.DATE_FORMAT) for c in view.own
            ],
            col["title"]: [titles[c.session_id].title for c in view.own],
            col["value"]: [c.value for c in view.own],
            col["note"]: [c.note for c in view.own],
        },
        hide_index=True,
        key=f"group_checkins_{i}",
    )


def show_groups(programme: str) -> None:
    """Show the sessions of the signed-in member's peer groups, the check-in and their own."""
    try:
        views = state.assistant().my_group_sessions(identity.current(), programme)
    except AssistantError as err:
        st.error(_message(err))
        return
    if notice := st.session_state.pop(NOTICE, None):
        st.success(notice)
    if error := st.session_state.pop(ERROR, None):
        st.error(error)
    for i, view in enumerate(views):
        st.subheader(texts.GROUP_PANEL_HEADING.format(group=texts.plain(view.group)))
        st.caption(texts.GROUP_PANEL_INTRO.format(k=view.k))
        session_table(view, f"group_sessions_{i}")
        session_prompts(view)
        _form(programme, view, i)
        _own(view, i)
