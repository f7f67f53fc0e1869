"""Peer-Gruppe: what a group raised recently (counts only), forum prompts, topic choices.

A moderator sees aggregates of their own groups and never a member's words. A link may name a
group (``?gruppe=...&programm=...``); a group outside the moderator's scope is refused.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import altair as alt
import streamlit as st

from assistant import texts
from assistant.errors import AssistantError
from assistant.forum import ForumTopic
from assistant.policy import Action, allowed
from assistant.service import SessionInput
from assistant.ui import group_panel, identity, state

NOTICE, ERROR = "forum_notice", "forum_error"
PLAN_NOTICE, PLAN_ERROR = "group_plan_notice", "group_plan_error"
# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
POOL_COLOUR, EMERGING_COLOUR = "#0072B2", "#E69F00"


def _choose(programme: str, group: str, labels: dict[str, str]) -> None:
    """Record the picked topics for the picked date (a button callback)."""
    who = identity.current()
    if not allowed(who, Action.CHOOSE_FORUM, programme=programme, group=group):
        st.session_state[ERROR] = texts.ACCESS_DENIED
        return
    picked: list[str] = st.session_state.get("forum_pick") or []
    when: date = st.session_state["forum_date"]
    if not picked:
        st.session_state[ERROR] = texts.FORUM_PICK_NONE
        return
    added: list[str] = []
    known: list[str] = []
    try:
        for topic in picked:
            # The engine checks the policy again (the page is not the only guard).
            done = state.assistant().choose_forum(who, group, topic, when, programme=programme)
            (added if done else known).append(labels.get(topic, topic))
    except AssistantError as err:
        st.session_state[ERROR] = texts.ERROR_GENERIC.format(message=err)
        return
    day = when.strftime(texts.DATE_FORMAT)
    lines = []
    if added:
        lines.append(texts.FORUM_CHOSEN.format(date=day, topics=", ".join(added)))
    if known:
        lines.append(texts.FORUM_ALREADY.format(date=day, topics=", ".join(known)))
    st.session_state[NOTICE] = " ".join(lines)
    st.session_state["forum_pick"] = []


def _plan(programme: str, group: str) -> None:
    """Plan a session of the group (a button callback); a refused one keeps the form."""
    ss = st.session_state
    session = SessionInput(
        stage=str(ss.get("gs_stage") or ""),
        held_on=ss.get("gs_date") or date.today(),
        title=str(ss.get("gs_title", "")),
    )
    try:
        state.assistant().plan_group_session(identity.current(), group, session, programme)
    except AssistantError as err:
        ss[PLAN_ERROR] = str(err)  # German (assistant.journey.groups) or the refusal
        return
    day = session.held_on.strftime(texts.DATE_FORMAT)
    ss[PLAN_NOTICE] = texts.GROUP_SESSION_ADDED.format(
        title=" ".join(session.title.split()), date=day
    )
    ss.pop("gs_title", None)


def _remember_group() -> None:
    """Keep the chosen group in the address, so the view can be bookmarked."""
    programme, group = st.session_state["forum_group"]
    st.query_params.update(programm=programme, gruppe=group)


def _chart(ranked: list[ForumTopic]) -> alt.Chart:
    columns = texts.FORUM_COLUMNS
    rows: list[dict[str, Any]] = [
        {
            columns["label"]: t.label,
            columns["members"]: t.members,
            columns["origin"]: texts.FORUM_ORIGIN[t.emerging],
        }
        for t in ranked
    ]
    chart: alt.Chart = (
        alt.Chart(alt.InlineData(values=rows))
        .mark_bar()
        .encode(
            x=alt.X(
                f"{columns['members']}:Q",
                title=columns["members"],
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            y=alt.Y(f"{columns['label']}:N", title=None, sort=[t.label for t in ranked]),
            color=alt.Color(
                f"{columns['origin']}:N",
                title=columns["origin"],
                scale=alt.Scale(
                    domain=[texts.FORUM_ORIGIN[False], texts.FORUM_ORIGIN[True]],
                    range=[POOL_COLOUR, EMERGING_COLOUR],
                ),
            ),
            tooltip=[
                alt.Tooltip(f"{columns['label']}:N"),
                alt.Tooltip(f"{columns['members']}:Q"),
                alt.Tooltip(f"{columns['origin']}:N"),
            ],
        )
        .properties(title=texts.FORUM_RANKING)
    )
    return chart


signed_in = identity.current()
if signed_in is None or signed_in.role != "moderator":
    identity.require(Action.VIEW_FORUM)  # says why and stops
    st.stop()
groups = sorted(signed_in.groups)
st.header(texts.MODERATOR_HEADER)
st.write(texts.MODERATOR_INTRO)
if not groups:
    st.info(texts.NO_GROUPS)
    st.stop()

wanted_group = st.query_params.get("gruppe")
wanted_programme = st.query_params.get("programm")
matching = [
    i for i, (p, g) in enumerate(groups) if g == wanted_group and wanted_programme in (None, p)
]
if wanted_group is not None and not matching:
    # A link to someone else's group: refused, and nothing about it is looked up.
    identity.require(Action.VIEW_FORUM, programme=wanted_programme, group=wanted_group)
    st.stop()
choice = st.selectbox(
    texts.GROUP_PICK,
    groups,
    index=matching[0] if matching else 0,
    format_func=lambda pg: texts.GROUP_OPTION.format(programme=pg[0], group=pg[1]),
    key="forum_group",
    on_change=_remember_group,
    placeholder=texts.PICK_ONE,
)
programme, group = choice if choice is not None else groups[0]
identity.require(Action.VIEW_FORUM, programme=programme, group=group)
engine = state.assistant()
try:
    with st.spinner(texts.FORUM_LOADING):
        _, ranked = engine.forum(signed_in, group, programme=programme)  # audited
    history = engine.forum_history(signed_in, group, programme=programme)
except AssistantError as err:
    st.error(texts.ERROR_GENERIC.format(message=err))
    st.stop()

# -- ranking: chart with the same numbers as a table beside it ----------------------------------
st.subheader(texts.FORUM_RANKING)
if not ranked:
    st.info(texts.FORUM_NONE)
else:
    chart_column, table_column = st.columns([3, 2])
    with chart_column:
        st.altair_chart(_chart(ranked), width="stretch", alt=texts.FORUM_CHART_ALT)
    with table_column:
        columns = texts.FORUM_COLUMNS
        st.dataframe(
            [
                {
                    columns["label"]: t.label,
                    columns["members"]: t.members,
                    columns["entries"]: t.entries,
                    columns["origin"]: texts.FORUM_ORIGIN[t.emerging],
                    columns["discussed"]: ", ".join(
                        d.strftime(texts.DATE_FORMAT) for d in t.discussed_on
                    ),
                }
                for t in ranked
            ],
            hide_index=True,
            key="forum_table",
        )
    st.subheader(texts.FORUM_PROMPTS)
    for topic in ranked:
        with st.expander(
            texts.FORUM_PROMPTS_TOPIC.format(topic=texts.plain(topic.label), members=topic.members)
        ):
            if topic.prompts:
                for prompt in topic.prompts:
                    st.text(f"• {prompt}")
            else:
                st.caption(texts.FORUM_NO_PROMPTS)

# -- choose topics for the next forum date -----------------------------------------------------
st.subheader(texts.FORUM_PICK_HEADER)
labels = {t.id: t.label for t in ranked}
st.date_input(
    texts.FORUM_DATE,
    value=date.today() + timedelta(days=7),
    key="forum_date",
    format="DD.MM.YYYY",
)
st.multiselect(
    texts.FORUM_TOPICS,
    list(labels),
    format_func=lambda i: labels.get(i, i),
    key="forum_pick",
    placeholder=texts.PICK_MANY,
    select_all=False,
)
st.button(
    texts.FORUM_CHOOSE,
    key="forum_choose",
    type="primary",
    on_click=_choose,
    args=(programme, group, labels),
    disabled=not allowed(signed_in, Action.CHOOSE_FORUM, programme=programme, group=group),
)
if notice := st.session_state.pop(NOTICE, None):
    st.success(notice)
if error := st.session_state.pop(ERROR, None):
    st.error(error)

# -- what was discussed before ----------------------------------------------------------------
st.subheader(texts.FORUM_HISTORY)
if history:
    columns = texts.FORUM_HISTORY_COLUMNS
    st.dataframe(
        [
            {columns["date"]: when.strftime(texts.DATE_FORMAT), columns["label"]: label}
            for label, when in reversed(history)
        ],
        hide_index=True,
        key="forum_history",
    )
else:
    st.info(texts.FORUM_HISTORY_EMPTY)

# -- the group's sessions through the four stages ----------------------------------------------
st.subheader(texts.GROUP_SESSIONS_HEADING)
st.caption(texts.GROUP_SESSIONS_INTRO.format(k=engine.k))
try:
    sessions = engine.group_sessions(signed_in, group, programme)  # audited
except AssistantError as err:
    st.error(texts.ERROR_GENERIC.format(message=err))
    st.stop()
group_panel.session_table(sessions, "group_sessions_table")
group_panel.session_prompts(sessions)
st.markdown(f"**{texts.GROUP_SESSION_PLAN}**")
st.selectbox(
    texts.GROUP_SESSION_FIELD_STAGE,
    [stage for stage in texts.STAGES if stage],  # "" (no stage) is for entries only
    format_func=texts.STAGES.__getitem__,
    placeholder=texts.PICK_ONE,
    key="gs_stage",
)
st.date_input(
    texts.GROUP_SESSION_FIELD_DATE, value=date.today(), key="gs_date", format="DD.MM.YYYY"
)
st.text_input(texts.GROUP_SESSION_FIELD_TITLE, key="gs_title")
st.button(
    texts.GROUP_SESSION_ADD,
    key="gs_add",
    on_click=_plan,
    args=(programme, group),
    disabled=not allowed(signed_in, Action.PLAN_GROUP_SESSION, programme=programme, group=group),
)
if notice := st.session_state.pop(PLAN_NOTICE, None):
    st.success(notice)
if error := st.session_state.pop(PLAN_ERROR, None):
    st.error(error)
