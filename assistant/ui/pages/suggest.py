"""Type a goal, see topic suggestions with evidence; nothing is stored."""

from __future__ import annotations

import streamlit as st

from assistant import texts
from assistant.errors import AssistantError, InvalidEntryError
from assistant.ui import identity, state, widgets

st.header(texts.SUGGEST_HEADER)
st.write(texts.SUGGEST_INTRO)
draft = st.text_area(
    texts.GOAL_PROMPT, key="goal_draft", placeholder=texts.GOAL_PLACEHOLDER, height=150
)
if st.button(texts.SUGGEST_BUTTON, key="suggest_goal", type="primary"):
    engine = state.assistant()
    try:
        with st.spinner(texts.ANALYSING):
            result = engine.suggest(identity.current(), draft)
    except InvalidEntryError as err:
        st.error(texts.invalid_entry(err.code))
    except AssistantError as err:
        st.error(texts.ERROR_GENERIC.format(message=err))
    else:
        widgets.suggestion_cards(result, engine.pool)
