"""A tandem's meetings and progress on "Mein Mentoring": the two partners only.

A thin view over the facade: ``log_meeting`` as a button callback (a refused meeting keeps
what was typed, with a German message), ``tandem_meetings`` for the table, the next date, the
progress chart with its table, the topics against those agreed and the goal drift.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import altair as alt
import streamlit as st

from assistant import texts
from assistant.errors import AccessDenied, AssistantError
from assistant.service import MeetingInput, MeetingsView
from assistant.ui import identity, state

__all__ = ["show_meetings"]

NOTICE, ERROR, WARNING = "meeting_notice", "meeting_error", "meeting_warning"
_DAY = "%d.%m.%Y"


def _message(err: AssistantError) -> str:
    if isinstance(err, AccessDenied):
        return texts.TANDEM_OUTSIDE
    return str(err)  # German (assistant.journey.meetings)


def _log(programme: str, goals: int) -> None:
    ss: Any = st.session_state
    meeting = MeetingInput(
        on=ss.get("mt_date") or date.today(),
        minutes=int(ss.get("mt_minutes", 90)),
        topics=tuple(ss.get("mt_topics", [])),
        progress=tuple((i, int(ss.get(f"mt_goal_{i}", 3))) for i in range(goals)),
        private_note=str(ss.get("mt_note", "")),
        reflection=str(ss.get("mt_reflection", "")),
    )
    try:
        logged = state.assistant().log_meeting(identity.current(), programme, meeting)
    except AssistantError as err:
        ss[ERROR] = _message(err)  # what was typed stays in the boxes
        return
    lines = [texts.MEETING_SAVED.format(date=meeting.on.strftime(_DAY))]
    if logged.reflection is True:
        lines.append(texts.MEETING_REFLECTION_SAVED)
    elif logged.reflection is False:
        lines.append(texts.MEETING_REFLECTION_NO_CONSENT)
    ss[NOTICE] = " ".join(lines)
    for key in ("mt_note", "mt_reflection", "mt_topics"):
        ss.pop(key, None)
    if ss.get("mt_mail"):
        try:  # the meeting is stored already: a mail that fails only says so
            sent = state.assistant().meeting_invitation(identity.current(), programme, send=True)
        except AssistantError as err:
            ss[WARNING] = _message(err)
            return
        if sent is not None:
            message = texts.INVITATION_MAIL[sent.mail].format(n=sent.recipients)
            if sent.mail == "sent":
                ss[NOTICE] += " " + message
            else:
                ss[WARNING] = message


def progress_chart(records: list[dict[str, Any]]) -> alt.Chart:
    """Lines per goal over the meeting dates, values 1 to 5 (no pixel height: see widgets)."""
    goal, day, value = (texts.PROGRESS_COLUMNS[k] for k in ("goal", "date", "value"))
    chart: alt.Chart = (
        alt.Chart(alt.InlineData(values=records))
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{day}:T", title=day, axis=alt.Axis(format="%d.%m.%Y")),
            y=alt.Y(f"{value}:Q", title=value, scale=alt.Scale(domain=[1, 5])),
            color=alt.Color(f"{goal}:N", title=goal, legend=alt.Legend(orient="bottom")),
            tooltip=[f"{goal}:N", f"{day}:T", f"{value}:Q"],
        )
    )
    return chart


def _form(programme: str, view: MeetingsView, labels: dict[str, str]) -> None:
    st.date_input(texts.MEETING_FIELD_DATE, value=date.today(), format="DD.MM.YYYY", key="mt_date")
    st.number_input(texts.MEETING_FIELD_MINUTES, value=90, step=15, key="mt_minutes")
    st.multiselect(
        texts.MEETING_FIELD_TOPICS,
        list(view.agreed_topics),
        format_func=lambda t: labels.get(t, t),
        placeholder=texts.PICK_MANY,
        key="mt_topics",
    )
    for i, goal in enumerate(view.goals):
        st.slider(texts.MEETING_FIELD_PROGRESS.format(goal=goal), 1, 5, 3, key=f"mt_goal_{i}")
    st.text_area(texts.MEETING_FIELD_NOTE, key="mt_note")
    st.text_area(texts.MEETING_FIELD_REFLECTION, key="mt_reflection")
    st.checkbox(texts.INVITATION_MAIL_FIELD, key="mt_mail")
    st.button(texts.MEETING_SAVE, key="mt_save", on_click=_log, args=(programme, len(view.goals)))


def _tables(view: MeetingsView, labels: dict[str, str]) -> None:
    if not view.meetings:
        st.caption(texts.MEETINGS_NONE)
        return
    col = texts.MEETINGS_COLUMNS
    st.markdown(f"**{texts.MEETINGS_TABLE}**")
    st.dataframe(
        {
            col["date"]: [m.held_on.strftime(_DAY) for m in view.meetings],
            col["minutes"]: [m.minutes for m in view.meetings],
            col["topics"]: [", ".join(labels.get(t, t) for t in m.topics) for m in view.meetings],
            col["by"]: [m.logged_by for m in view.meetings],
            col["progress"]: [
                ", ".join(f"{g + 1}: {v}" for g, _, v in m.progress) for m in view.meetings
            ],
            col["note"]: [m.note for m in view.meetings],
        },
        hide_index=True,
        key="meetings_table",
    )
    if view.progress:
        st.markdown(f"**{texts.PROGRESS_HEADING}**")
        pc = texts.PROGRESS_COLUMNS
        records = [
            {pc["goal"]: p.label, pc["date"]: p.on.isoformat(), pc["value"]: p.value}
            for p in view.progress
        ]
        st.altair_chart(progress_chart(records), width="stretch", alt=texts.PROGRESS_ALT)
        st.dataframe(
            {
                pc["goal"]: [p.label for p in view.progress],
                pc["date"]: [p.on.strftime(_DAY) for p in view.progress],
                pc["value"]: [p.value for p in view.progress],
            },
            hide_index=True,
            key="progress_table",
        )
    tc = texts.TOPICS_COLUMNS
    st.markdown(f"**{texts.TOPICS_HEADING}**")
    st.dataframe(
        {
            tc["topic"]: [labels.get(t, t) for t, _, _ in view.topics],
            tc["meetings"]: [n for _, n, _ in view.topics],
            tc["agreed"]: [texts.TOPIC_AGREED[a] for _, _, a in view.topics],
        },
        hide_index=True,
        key="topics_table",
    )


def _drift(view: MeetingsView, labels: dict[str, str]) -> None:
    st.markdown(f"**{texts.DRIFT_HEADING}**")
    if not view.drift:
        st.caption(texts.DRIFT_NONE)
        return
    for day, topic in view.drift:
        st.text(texts.DRIFT_LINE.format(date=day.strftime(_DAY), topic=labels.get(topic, topic)))
    st.caption(texts.DRIFT_NOTE)


def show_meetings(programme: str, labels: dict[str, str]) -> None:
    """Show the form, the meetings and the progress of the signed-in partner's tandem."""
    try:
        view = state.assistant().tandem_meetings(identity.current(), programme)
    except AssistantError as err:
        st.error(_message(err))
        return
    if view is None:
        return
    st.subheader(texts.MEETINGS_HEADING)
    st.caption(texts.MEETINGS_INTRO)
    when = view.schedule.next_on.strftime(_DAY)
    if view.schedule.overdue:
        st.warning(texts.MEETINGS_OVERDUE.format(date=when))
    else:
        st.info(texts.MEETINGS_NEXT.format(date=when))
    if notice := st.session_state.pop(NOTICE, None):
        st.success(notice)
    if error := st.session_state.pop(ERROR, None):
        st.error(error)
    if warning := st.session_state.pop(WARNING, None):
        st.warning(warning)
    invitation = state.assistant().meeting_invitation(identity.current(), programme)
    if invitation is not None:
        st.download_button(
            texts.INVITATION_DOWNLOAD,
            data=invitation.ics,
            file_name=f"treffen-{invitation.on.isoformat()}.ics",
            mime="text/calendar",
            key="meeting_ics",
        )
    _form(programme, view, labels)
    _tables(view, labels)
    _drift(view, labels)
