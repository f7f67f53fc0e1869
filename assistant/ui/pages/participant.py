"""Mein Mentoring: own entries, topic suggestions with feedback, reflection questions, peers.

A thin view: every change goes through one ``Assistant`` method, which checks ownership again
(the page is not the only guard). Changes run as button callbacks, so a saved draft can be
cleared and a failed one stays in its text box.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from assistant import texts
from assistant.domain import Entry
from assistant.errors import AssistantError, InvalidEntryError
from assistant.policy import Action, allowed
from assistant.ui import identity, state, widgets

NOTICE, ERROR = "participant_notice", "participant_error"


def _report(err: AssistantError) -> None:
    """Keep a German message for the next run (callbacks run before the page draws)."""
    st.session_state[ERROR] = (
        texts.invalid_entry(err.code)
        if isinstance(err, InvalidEntryError)
        else texts.ERROR_GENERIC.format(message=err)
    )


def _may_write(participant_id: str, programme: str) -> bool:
    if allowed(
        identity.current(),
        Action.WRITE_OWN_ENTRIES,
        programme=programme,
        participant_id=participant_id,
    ):
        return True
    st.session_state[ERROR] = texts.ACCESS_DENIED
    return False


def _add(participant_id: str, programme: str, pick_key: str) -> None:
    if not _may_write(participant_id, programme):
        return
    try:
        entry = state.assistant().add_entry(
            identity.current(),
            programme,
            st.session_state["entry_kind"],
            st.session_state.get("entry_draft", ""),
            stage=st.session_state.get("entry_stage") or None,
        )
    except AssistantError as err:
        _report(err)  # the draft stays in its box
    else:
        st.session_state["entry_draft"] = ""
        st.session_state[pick_key] = entry.id
        st.session_state[NOTICE] = texts.ENTRY_SAVED


def _edit(participant_id: str, programme: str, entry_id: str) -> None:
    if not _may_write(participant_id, programme):
        return
    try:
        state.assistant().edit_entry(
            identity.current(), entry_id, st.session_state.get(f"edit_{entry_id}", "")
        )
    except AssistantError as err:
        _report(err)
    else:
        st.session_state[NOTICE] = texts.ENTRY_EDITED


def _set_status(
    participant_id: str, programme: str, entry_id: str, topic_id: str, status: str
) -> None:
    if not _may_write(participant_id, programme):
        return
    try:
        state.assistant().set_suggestion_status(identity.current(), entry_id, topic_id, status)
    except AssistantError as err:
        _report(err)


def _messages() -> None:
    if notice := st.session_state.pop(NOTICE, None):
        st.success(notice)
    if error := st.session_state.pop(ERROR, None):
        st.error(error)


def _option(entry: Entry) -> str:
    start = entry.text if len(entry.text) <= 60 else entry.text[:57].rstrip() + " …"
    return texts.ENTRY_OPTION.format(
        date=entry.created_at.strftime(texts.DATE_FORMAT),
        kind=texts.ENTRY_KINDS.get(entry.kind, entry.kind),
        start=start,
    )


signed_in = identity.current()
who = identity.require(
    Action.READ_OWN_ENTRIES, participant_id=signed_in.participant_id if signed_in else None
)
participant_id = who.participant_id
assert participant_id is not None  # READ_OWN_ENTRIES is granted only with one
engine = state.assistant()

st.header(texts.PARTICIPANT_HEADER)
st.write(texts.PARTICIPANT_INTRO)
programmes = sorted(who.programmes)
if not programmes:
    st.info(texts.NO_PROGRAMME)
    st.stop()
programme = (
    st.selectbox(texts.PROGRAMME_PICK, programmes, key="participant_programme")
    if len(programmes) > 1
    else programmes[0]
)
identity.require(Action.READ_OWN_ENTRIES, programme=programme, participant_id=participant_id)
try:
    entries = engine.entries(who, programme)
    kind_of_programme = engine.my_programme(who, programme).kind
    pool = engine.pool_of(who, programme)
except AssistantError:
    st.info(texts.NOT_IN_PROGRAMME)
    st.stop()
pick_key = f"entry_pick_{programme}"
newest_first = list(reversed(entries))

# -- a new entry ----------------------------------------------------------------------------
st.subheader(texts.NEW_ENTRY)
kind_column, stage_column = st.columns(2)
with kind_column:
    st.selectbox(
        texts.ENTRY_KIND,
        list(texts.ENTRY_KINDS),
        format_func=texts.ENTRY_KINDS.__getitem__,
        key="entry_kind",
    )
if kind_of_programme == "peer_group":
    with stage_column:
        st.selectbox(
            texts.ENTRY_STAGE,
            list(texts.STAGES),
            format_func=texts.STAGES.__getitem__,
            key="entry_stage",
        )
st.text_area(texts.ENTRY_TEXT, key="entry_draft", placeholder=texts.ENTRY_PLACEHOLDER, height=150)
st.button(
    texts.ENTRY_SAVE,
    key="add_entry",
    type="primary",
    on_click=_add,
    args=(participant_id, programme, pick_key),
)
_messages()

# -- own entries with their suggestions -------------------------------------------------------
st.subheader(texts.MY_ENTRIES)
if not entries:
    st.info(texts.NO_ENTRIES)
else:
    by_id = {e.id: e for e in entries}
    entry_id = st.selectbox(
        texts.ENTRY_PICK,
        [e.id for e in newest_first],
        format_func=lambda i: _option(by_id[i]),
        key=pick_key,
    )
    if entry_id is not None:
        entry = by_id[entry_id]
        st.text(entry.text)
        with st.expander(texts.ENTRY_EDIT):
            st.text_area(texts.ENTRY_EDIT_TEXT, value=entry.text, key=f"edit_{entry.id}")
            st.button(
                texts.ENTRY_EDIT_SAVE,
                key=f"save_edit_{entry.id}",
                on_click=_edit,
                args=(participant_id, programme, entry.id),
            )
        with st.spinner(texts.ANALYSING):
            view = engine.entry_suggestions(who, entry.id)
        widgets.suggestion_cards(
            view.result,
            pool,
            status=view.status,
            on_status=partial(_set_status, participant_id, programme, entry.id),
            key=f"s_{entry.id}",
            questions=False,
        )

# -- accepted topics and their reflection questions --------------------------------------------
stored = engine.suggestions_of(who, [e.id for e in entries])
accepted: dict[str, list[str]] = {}  # entry id -> accepted topic ids, best first
for eid, suggestions in stored.items():
    accepted[eid] = [s.topic_id for s in suggestions if s.status == "accepted"]
st.subheader(texts.MY_TOPICS)
topics = list(dict.fromkeys(t for e in entries for t in accepted.get(e.id, [])))
if topics:
    widgets.reflection_questions(pool, topics)
else:
    st.info(texts.NO_ACCEPTED)

# -- peers ---------------------------------------------------------------------------------
st.subheader(texts.PEERS)
st.caption(texts.PEERS_INTRO)
try:
    peers = engine.peer_suggestions(who, programme)
except InvalidEntryError as err:
    if err.code == "no_consent":
        st.info(texts.PEERS_NO_CONSENT)
    elif err.code == "no_texts":
        st.info(texts.PEERS_NO_TEXTS)
    else:
        st.error(texts.ERROR_GENERIC.format(message=err))
except AssistantError as err:
    st.error(texts.ERROR_GENERIC.format(message=err))
else:
    if not peers:
        st.info(texts.PEERS_NONE)
    else:
        columns = texts.PEER_COLUMNS
        st.dataframe(
            [
                {
                    columns["participant"]: p.participant_id,
                    columns["organisation"]: p.organisation,
                    columns["score"]: f"{p.score:.0%}",
                    columns["shared"]: ", ".join(p.shared_topics),
                    columns["reason"]: texts.peer_reason(p.reasons, p.shared_topics),
                }
                for p in peers
            ],
            hide_index=True,
            key="peer_table",
        )

# -- history ---------------------------------------------------------------------------------
st.subheader(texts.HISTORY)
if entries:
    labels = {t.id: t.label_in("de") for t in pool.topics}
    columns = texts.HISTORY_COLUMNS
    st.dataframe(
        [
            {
                columns["date"]: e.created_at.strftime(texts.DATE_FORMAT),
                columns["kind"]: texts.ENTRY_KINDS.get(e.kind, e.kind),
                columns["stage"]: texts.STAGES.get(e.stage or "", e.stage or ""),
                columns["text"]: e.text,
                columns["topics"]: ", ".join(labels.get(t, t) for t in accepted.get(e.id, [])),
            }
            for e in newest_first
        ],
        hide_index=True,
        key="history_table",
    )
else:
    st.info(texts.NO_ENTRIES)
