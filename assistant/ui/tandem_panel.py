"""The tandem's guide and goal agreement on "Mein Mentoring": shown to the two partners only.

A thin view over the facade: ``tandem_guide`` and ``tandem_agreement`` read (checked and
audited), ``save_agreement`` and ``confirm_agreement`` change (as button callbacks, so a
refused text stays in its box with a German message). The PDF and DOCX are rendered from the
documents the facade returned; nothing here composes or decides.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from assistant import texts
from assistant.errors import AccessDenied, AssistantError, InvalidEntryError
from assistant.journey import AgreementContent, Document, GoalItem, to_docx, to_pdf
from assistant.policy import Principal
from assistant.ui import identity, meetings_panel, state

__all__ = ["show_tandem"]

NOTICE, ERROR, LOADED = "tandem_notice", "tandem_error", "agr_loaded"
SHOWN = "agr_loaded_content"  # the stored version the form was filled from
_MAX_GOALS = 8


def _message(err: AssistantError) -> str:
    if isinstance(err, AccessDenied):
        return texts.TANDEM_OUTSIDE
    if isinstance(err, InvalidEntryError):
        return str(err)  # German, names the field and the limit (assistant.journey)
    return texts.ERROR_GENERIC.format(message=err)


def _content(topics: list[str]) -> AgreementContent:
    """Return the form's values as typed (unchecked: the facade validates)."""
    ss = st.session_state
    return AgreementContent(
        goals=tuple(GoalItem(t, str(ss.get(f"agr_goal_{i}", ""))) for i, t in enumerate(topics)),
        rhythm=str(ss.get("agr_rhythm", "monthly")),
        minutes=int(ss.get("agr_minutes", 90)),
        months=int(ss.get("agr_months", 12)),
        confidentiality=str(ss.get("agr_confidentiality", "")),
        excluded_topics=str(ss.get("agr_excluded", "")),
    )


def _save(programme: str, topics: list[str]) -> None:
    try:
        view = state.assistant().save_agreement(identity.current(), programme, _content(topics))
    except AssistantError as err:
        st.session_state[ERROR] = _message(err)  # the typed texts stay in their boxes
    else:
        st.session_state[NOTICE] = texts.AGREEMENT_SAVED.format(version=view.version)


def _same(typed: AgreementContent, stored: AgreementContent) -> bool:
    """Return whether the form still holds the stored version (empty goal boxes aside)."""

    def norm(c: AgreementContent) -> tuple[object, ...]:
        goals = tuple((g.topic, g.goal.strip()) for g in c.goals if g.goal.strip())
        texts_ = (c.confidentiality.strip(), c.excluded_topics.strip())
        return (goals, c.rhythm, int(c.minutes), int(c.months), texts_)

    return norm(typed) == norm(stored)


def _confirm(programme: str, version: int, topics: list[str]) -> None:
    stored = st.session_state.get(SHOWN)
    if stored is not None and not _same(_content(topics), stored):
        # Confirming would sign the stored text, not what the form shows: save first.
        st.session_state[ERROR] = texts.INVALID_AGREEMENT["unsaved"]
        return
    try:
        view = state.assistant().confirm_agreement(identity.current(), programme, version)
    except AssistantError as err:
        st.session_state[ERROR] = _message(err)
    else:
        status = texts.AGREEMENT_CONFIRMED if view.confirmed else texts.AGREEMENT_WAITING
        st.session_state[NOTICE] = texts.AGREEMENT_STATUS.format(
            version=view.version, status=status
        )


def _document(document: Document) -> None:
    """Sections as headings and plain text (goals are people's words: never Markdown)."""
    st.text(document.subtitle)
    for section in document.sections:
        st.markdown(f"**{texts.plain(section.heading)}**")
        for paragraph in section.paragraphs:
            st.text(paragraph)
        for item in section.items:
            st.text(f"• {item}")


def _load(programme: str, version: int, content: AgreementContent) -> None:
    """Fill the form from the stored version once per version (typed texts survive reruns)."""
    ss: Any = st.session_state
    if ss.get(LOADED) == (programme, version):
        return
    ss[LOADED] = (programme, version)
    ss[SHOWN] = content
    goals = list(content.goals)[:_MAX_GOALS]
    if len(goals) < _MAX_GOALS:
        goals.append(GoalItem("", ""))  # room for one more goal of their own
    ss["agr_topics"] = [g.topic for g in goals]
    for i, goal in enumerate(goals):
        ss[f"agr_goal_{i}"] = goal.goal
    for i in range(len(goals), _MAX_GOALS + 1):
        ss.pop(f"agr_goal_{i}", None)
    ss["agr_rhythm"] = content.rhythm if content.rhythm in texts.RHYTHMS else "monthly"
    ss["agr_minutes"] = content.minutes
    ss["agr_months"] = content.months
    ss["agr_confidentiality"] = content.confidentiality
    ss["agr_excluded"] = content.excluded_topics


def show_tandem(who: Principal, programme: str, labels: dict[str, str]) -> None:
    """Show the guide and the agreement of ``who``'s published tandem (nothing without one)."""
    engine = state.assistant()
    try:
        guide = engine.tandem_guide(who, programme)
        view = engine.tandem_agreement(who, programme)
    except AssistantError as err:
        st.error(_message(err))
        return
    if guide is None or view is None:
        return
    st.markdown(f"**{texts.GUIDE_HEADING}**")
    with st.expander(texts.GUIDE_HEADING):
        _document(guide)
    st.download_button(
        texts.GUIDE_PDF,
        data=to_pdf(guide),
        file_name="leitfaden-erstgespraech.pdf",
        mime="application/pdf",
        key="guide_pdf",
    )

    st.markdown(f"**{texts.AGREEMENT_HEADING}**")
    st.caption(texts.AGREEMENT_INTRO)
    if notice := st.session_state.pop(NOTICE, None):
        st.success(notice)
    if error := st.session_state.pop(ERROR, None):
        st.error(error)
    if view.version == 0:
        status = texts.AGREEMENT_NOT_STORED
    else:
        status = texts.AGREEMENT_CONFIRMED if view.confirmed else texts.AGREEMENT_WAITING
    line = texts.AGREEMENT_STATUS.format(version=view.version, status=status)
    (st.success if view.confirmed else st.info)(line)
    for c in view.confirmations:
        at = c.at.strftime("%d.%m.%Y %H:%M")
        st.text(texts.AGREEMENT_CONFIRMED_BY.format(person=c.participant_id, at=at))

    _load(programme, view.version, view.content)
    topics: list[str] = list(st.session_state["agr_topics"])
    for i, topic in enumerate(topics):
        name = labels.get(topic, topic)
        label = texts.AGREEMENT_FIELD_GOAL.format(topic=name) if name else None
        st.text_area(label or texts.AGREEMENT_FIELD_GOAL_FREE, key=f"agr_goal_{i}")
    rhythms = list(texts.RHYTHMS)
    st.selectbox(
        texts.AGREEMENT_FIELD_RHYTHM,
        rhythms,
        format_func=texts.RHYTHMS.__getitem__,
        placeholder=texts.PICK_ONE,
        key="agr_rhythm",
    )
    st.number_input(texts.AGREEMENT_FIELD_MINUTES, step=15, key="agr_minutes")
    st.number_input(texts.AGREEMENT_FIELD_MONTHS, step=1, key="agr_months")
    st.text_area(texts.AGREEMENT_FIELD_CONFIDENTIALITY, key="agr_confidentiality")
    st.text_area(texts.AGREEMENT_FIELD_EXCLUDED, key="agr_excluded")
    left, right = st.columns(2)
    left.button(texts.AGREEMENT_SAVE, key="agr_save", on_click=_save, args=(programme, topics))
    mine = who.participant_id is not None and view.confirmed_by(who.participant_id)
    right.button(
        texts.AGREEMENT_CONFIRM,
        key="agr_confirm",
        disabled=mine,
        on_click=_confirm,
        args=(programme, view.version, topics),
    )
    if view.printable is not None:
        st.download_button(
            texts.AGREEMENT_PDF,
            data=to_pdf(view.printable),
            file_name="zielvereinbarung.pdf",
            mime="application/pdf",
            key="agreement_pdf",
        )
        st.download_button(
            texts.AGREEMENT_DOCX,
            data=to_docx(view.printable),
            file_name="zielvereinbarung.docx",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            key="agreement_docx",
        )
    if len(view.history) > 1:
        columns = texts.AGREEMENT_HISTORY_COLUMNS
        st.markdown(f"**{texts.AGREEMENT_HISTORY}**")
        st.dataframe(
            {
                columns["version"]: [a.version for a in view.history],
                columns["created_at"]: [
                    a.created_at.strftime("%d.%m.%Y %H:%M") for a in view.history
                ],
                columns["created_by"]: [a.created_by for a in view.history],
                columns["confirmed"]: [
                    ", ".join(c.participant_id for c in a.confirmations) for a in view.history
                ],
            },
            hide_index=True,
            key="agreement_history",
        )
    meetings_panel.show_meetings(programme, labels)
