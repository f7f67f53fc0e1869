"""Render helpers shared by pages."""

from __future__ import annotations

import streamlit as st

from assistant.domain import SuggestionResult, TopicPool
from assistant.ui import texts


def suggestion_cards(result: SuggestionResult, pool: TopicPool) -> None:
    """Show each suggested topic with score, evidence and reflection questions.

    Participant text is rendered with ``st.text``/``st.caption`` (never as HTML).
    """
    st.caption(f"{texts.DETECTED_LANGUAGE}: {texts.LANGUAGE.get(result.language, result.language)}")
    if result.no_fit:
        st.info(texts.NO_FIT)
        return
    for suggestion in result.topics:
        topic = pool.get(suggestion.topic_id)
        with st.container(border=True):
            st.subheader(suggestion.label)
            st.progress(
                min(max(suggestion.score, 0.0), 1.0), text=f"{texts.SCORE}: {suggestion.score:.0%}"
            )
            st.write(topic.description.get(result.language) or topic.description["de"])
            st.markdown(f"**{texts.EVIDENCE}**")
            for sentence in suggestion.evidence:
                st.text(f"„{sentence}“")
            if suggestion.keywords:
                st.caption(f"{texts.KEYWORDS}: " + ", ".join(suggestion.keywords))
            questions = (
                topic.reflection_questions.get(result.language)
                or (topic.reflection_questions["de"])
            )
            with st.expander(texts.REFLECTION_QUESTIONS):
                for question in questions:
                    st.text(f"• {question}")
