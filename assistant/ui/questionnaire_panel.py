"""The end-of-programme questionnaire on "Mein Mentoring": one's own answer, shown and changeable.

A thin view over the facade: ``my_questionnaire`` prefills the form, ``answer_questionnaire``
runs as a button callback (a refused answer keeps what was chosen, with a German message). The
free text becomes a reflection only with consent to analysis; the page says which happened.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from assistant import texts
from assistant.errors import AccessDenied, AssistantError, InvalidEntryError
from assistant.journey.evaluation import SCORES
from assistant.policy import Principal
from assistant.service import QuestionnaireInput
from assistant.ui import identity, state

__all__ = ["show_questionnaire"]

NOTICE, ERROR = "questionnaire_notice", "questionnaire_error"


def _key(programme: str, name: str) -> str:
    return f"qn_{name}_{programme}"


def _message(err: AssistantError) -> str:
    if isinstance(err, AccessDenied):
        return texts.ACCESS_DENIED
    if isinstance(err, InvalidEntryError):
        return str(err) if err.code == "questionnaire" else texts.invalid_entry(err.code)
    return texts.ERROR_GENERIC.format(message=err)


def _save(programme: str) -> None:
    ss: Any = st.session_state
    answer = QuestionnaireInput(
        scores={name: int(ss.get(_key(programme, name)) or 0) for name in SCORES},
        text=str(ss.get(_key(programme, "text"), "")),
    )
    try:
        saved = state.assistant().answer_questionnaire(identity.current(), programme, answer)
    except AssistantError as err:
        ss[ERROR] = _message(err)  # the chosen values stay in the form
        return
    lines = [texts.QUESTIONNAIRE_SAVED]
    if saved.reflection is True:
        lines.append(texts.QUESTIONNAIRE_TEXT_SAVED)
        ss[_key(programme, "text")] = ""
    elif saved.reflection is False:
        lines.append(texts.QUESTIONNAIRE_TEXT_NO_CONSENT)
    ss[NOTICE] = " ".join(lines)


def show_questionnaire(who: Principal, programme: str) -> None:
    """Draw the questionnaire of ``programme`` for the signed-in participant."""
    engine = state.assistant()
    st.subheader(texts.QUESTIONNAIRE_HEADING)
    st.caption(texts.QUESTIONNAIRE_INTRO.format(k=engine.k))
    try:
        mine = engine.my_questionnaire(who, programme)
    except AssistantError as err:
        st.error(texts.ERROR_GENERIC.format(message=err))
        return
    if mine is not None:
        st.write(texts.QUESTIONNAIRE_YOURS.format(date=mine.answered_at.strftime("%d.%m.%Y")))
        stored = dict(zip(SCORES, (mine.satisfaction, *mine.dimensions), strict=True))
        for name, value in stored.items():
            st.session_state.setdefault(_key(programme, name), value)
    for name in SCORES:
        st.radio(
            texts.QUESTIONNAIRE_QUESTIONS[name],
            list(texts.QUESTIONNAIRE_SCALE),
            format_func=texts.QUESTIONNAIRE_SCALE.__getitem__,
            horizontal=True,
            index=None,
            key=_key(programme, name),
        )
    st.text_area(texts.QUESTIONNAIRE_FREE_TEXT, key=_key(programme, "text"))
    st.button(
        texts.QUESTIONNAIRE_SAVE,
        key=_key(programme, "save"),
        on_click=_save,
        args=(programme,),
    )
    notice, error = st.session_state.pop(NOTICE, None), st.session_state.pop(ERROR, None)
    if notice:
        st.success(notice)
    if error:
        st.error(error)
