"""Meine Daten: consents with immediate effect, a JSON export, erasure after confirmation."""

from __future__ import annotations

import json

import streamlit as st

from assistant import report, texts
from assistant.policy import Action
from assistant.ui import identity, state

who = identity.current()
me = identity.require(Action.CHANGE_CONSENT, participant_id=who.participant_id if who else None)
engine = state.assistant()
person = engine.my_consent(me)

st.header(texts.MY_DATA_HEADER)
st.write(texts.MY_DATA_INTRO)

st.subheader(texts.CONSENT_HEADER)
analysis = st.toggle(
    texts.CONSENT_ANALYSIS,
    value=person.consent_analysis,
    key="consent_analysis",
    help=texts.CONSENT_ANALYSIS_HELP.format(k=engine.k),
)
matching = st.toggle(
    texts.CONSENT_MATCHING,
    value=person.consent_matching,
    key="consent_matching",
    help=texts.CONSENT_MATCHING_HELP,
)
if (analysis, matching) != (person.consent_analysis, person.consent_matching):
    engine.set_consent(me, person.id, analysis=analysis, matching=matching)
    st.success(texts.CONSENT_SAVED)

st.subheader(texts.EXPORT_HEADER)
st.write(texts.EXPORT_INTRO)
if st.button(texts.EXPORT_PREPARE, key="export_prepare"):
    # Built on request only: every export is written to the audit log.
    st.session_state["my_export"] = json.dumps(engine.export(me), ensure_ascii=False, indent=2)
if "my_export" in st.session_state:
    st.download_button(
        texts.EXPORT_DOWNLOAD,
        data=st.session_state["my_export"],
        file_name=texts.EXPORT_FILE.format(participant=report.file_slug(person.id)),
        mime="application/json",
        key="export_download",
    )

st.subheader(texts.ERASE_HEADER)
st.write(texts.ERASE_INTRO)
if not st.session_state.get("erase_asked"):
    if st.button(texts.ERASE_BUTTON, key="erase_ask"):
        st.session_state["erase_asked"] = True
        st.rerun()
else:
    typed = st.text_input(texts.ERASE_CONFIRM_PROMPT, key="erase_word")
    confirm, cancel = st.columns(2)
    if cancel.button(texts.ERASE_CANCEL, key="erase_cancel"):
        del st.session_state["erase_asked"]
        st.rerun()
    if confirm.button(texts.ERASE_CONFIRM_BUTTON, key="erase_confirm", type="primary"):
        if typed.strip() != texts.ERASE_CONFIRM_WORD:
            st.error(texts.ERASE_CONFIRM_MISMATCH)
        else:
            counts = engine.erase(me)
            identity.sign_out()
            st.success(texts.ERASE_DONE)
            if not counts.get("scrubbed", 1):
                st.info(texts.ERASE_SCRUB_PENDING)
            st.stop()
