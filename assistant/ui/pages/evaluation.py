"""Evaluation for coordinators: the programme's tandems and questionnaire as k-anonymous figures.

A thin view over ``Assistant.evaluation``: every section is a chart with the same numbers as a
table (``report_sections``), or the "zu wenige …" line when fewer than k people or tandems
stand behind it. The PDF report is made on request (audited as such) and then downloaded.
"""

from __future__ import annotations

import streamlit as st

from assistant import texts
from assistant.errors import AssistantError
from assistant.journey.evaluation_report import report_sections
from assistant.policy import Action
from assistant.ui import evaluation_charts, identity, state

st.header(texts.EVAL_HEADER)
st.write(texts.EVAL_INTRO)
who, name = identity.require_programme(Action.EVALUATE, key="eval_programme")

engine = state.assistant()
try:
    found = engine.evaluation(who, name)
except AssistantError as err:
    st.error(texts.EVAL_ERROR.format(message=err))
    st.stop()
evaluation = found.evaluation
st.caption(texts.EVAL_K_RULE.format(k=evaluation.k))
if evaluation.tandems:
    st.write(texts.EVAL_TANDEMS.format(n=evaluation.tandems))
else:
    st.info(texts.EVAL_NO_TANDEMS)


for section in report_sections(evaluation, found.labels):
    st.subheader(section.heading)
    if section.intro:
        st.caption(section.intro)
    if section.withheld:
        st.info(section.withheld)
        continue
    chart = evaluation_charts.section_chart(section.key, found)
    if chart is not None:
        st.altair_chart(chart, width="stretch")
    st.dataframe(
        [dict(zip(section.columns, row, strict=True)) for row in section.rows],
        hide_index=True,
        key=f"eval_table_{section.key}",
    )

st.divider()
if st.button(texts.EVAL_PDF_MAKE, key="eval_pdf_make"):
    try:
        _, st.session_state["eval_pdf"] = engine.evaluation_report(who, name)
    except AssistantError as err:
        st.error(texts.EVAL_ERROR.format(message=err))
pdf = st.session_state.get("eval_pdf")
if pdf:
    st.download_button(
        texts.EVAL_PDF_DOWNLOAD,
        data=pdf,
        file_name=f"evaluation-{found.on.isoformat()}.pdf",
        mime="application/pdf",
        key="eval_pdf_download",
    )
