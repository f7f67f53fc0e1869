"""Tandem eintragen / beenden: a pair formed elsewhere, entered by the coordinator (issue #13).

For programmes without matching too: the form shows even where no draft can be computed. The
facade checks the policy and audits; the steps run as button callbacks, so the page draws the
changed tandems in the same run.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from assistant import texts
from assistant.errors import AssistantError, MatchingError
from assistant.policy import Principal
from assistant.service import Assistant

Say = Callable[[AssistantError], str]

ENTER_NOTICE, ENTER_ERROR = "pair_enter_notice", "pair_enter_error"


def _enter(engine: Assistant, who: Principal, name: str, say: Say) -> None:
    """Enter the picked pair (a button callback: it reads the picks from the session)."""
    mentee = st.session_state.get("pair_enter_mentee")
    mentor = st.session_state.get("pair_enter_mentor")
    try:
        engine.match_enter(who, name, str(mentee), str(mentor))
    except MatchingError as err:
        st.session_state[ENTER_ERROR] = texts.pair_enter_error(err.code)
    except AssistantError as err:
        st.session_state[ENTER_ERROR] = say(err)
    else:
        st.session_state[ENTER_NOTICE] = texts.PAIR_ENTERED.format(
            mentee=texts.plain(str(mentee)), mentor=texts.plain(str(mentor))
        )


def _end(engine: Assistant, who: Principal, name: str, say: Say) -> None:
    """End the picked published tandem (a button callback)."""
    mentee = str(st.session_state.get("pair_end_pick"))
    try:
        engine.match_end(who, name, mentee)
    except MatchingError as err:
        st.session_state[ENTER_ERROR] = texts.pair_enter_error(err.code)
    except AssistantError as err:
        st.session_state[ENTER_ERROR] = say(err)
    else:
        st.session_state[ENTER_NOTICE] = texts.PAIR_ENDED.format(mentee=texts.plain(mentee))


def show(engine: Assistant, who: Principal, name: str, say: Say) -> None:
    """Enter a pair formed elsewhere, or end a published tandem."""
    st.subheader(texts.PAIR_ENTER_HEADER)
    st.caption(texts.PAIR_ENTER_HELP)
    if notice := st.session_state.pop(ENTER_NOTICE, None):
        st.success(notice)
    if error := st.session_state.pop(ENTER_ERROR, None):
        st.error(error)
    candidates = engine.match_candidates(who, name)
    if candidates.mentees and candidates.mentors:
        mentee_column, mentor_column = st.columns(2)
        with mentee_column:
            st.selectbox(
                texts.PAIR_ENTER_MENTEE,
                candidates.mentees,
                placeholder=texts.PICK_ONE,
                key="pair_enter_mentee",
            )
        with mentor_column:
            st.selectbox(
                texts.PAIR_ENTER_MENTOR,
                candidates.mentors,
                placeholder=texts.PICK_ONE,
                key="pair_enter_mentor",
            )
        st.button(
            texts.PAIR_ENTER, key="pair_enter", on_click=_enter, args=(engine, who, name, say)
        )
    else:
        st.caption(texts.PAIR_ENTER_NOBODY)
    if not candidates.published:
        return
    st.subheader(texts.PAIR_END_HEADER)
    mentor_of = dict(candidates.published)
    st.selectbox(
        texts.PAIR_END_PICK,
        list(mentor_of),
        format_func=lambda m: texts.MATCH_PAIR_OPTION.format(mentee=m, mentor=mentor_of[m]),
        placeholder=texts.PICK_ONE,
        key="pair_end_pick",
    )
    st.caption(texts.PAIR_END_HELP)
    st.button(texts.PAIR_END, key="pair_end", on_click=_end, args=(engine, who, name, say))
