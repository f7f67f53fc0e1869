"""Mein Mentoring: own entries, topic suggestions with feedback, reflection questions, peers, match.

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
from assistant.scores import peer_band
from assistant.ui import (
    group_panel,
    identity,
    questionnaire_panel,
    state,
    tandem_panel,
    widgets,
)

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
st.caption(texts.PARTICIPANT_WHO_SEES)
programmes = sorted(who.programmes)
if not programmes:
    st.info(texts.NO_PROGRAMME)
    st.stop()
programme = (
    st.selectbox(
        texts.PROGRAMME_PICK, programmes, key="participant_programme", placeholder=texts.PICK_ONE
    )
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
        placeholder=texts.PICK_ONE,
    )
if kind_of_programme == "peer_group":
    with stage_column:
        st.selectbox(
            texts.ENTRY_STAGE,
            list(texts.STAGES),
            format_func=texts.STAGES.__getitem__,
            key="entry_stage",
            placeholder=texts.PICK_ONE,
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
        placeholder=texts.PICK_ONE,
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
matching_consent = True
try:
    peers = engine.peer_suggestions(who, programme)
except InvalidEntryError as err:
    if err.code == "no_consent":
        matching_consent = False
        st.info(texts.PEERS_NO_CONSENT)
    elif err.code == "no_texts":
        st.info(texts.PEERS_NO_TEXTS)
    else:
        st.error(texts.ERROR_GENERIC.format(message=err))
except AssistantError as err:
    st.error(texts.ERROR_GENERIC.format(message=err))
else:
    # The topics' word scale; a shared topic counts as evidence, a weak peer stays listed as
    # "passt kaum" (assistant.scores.peer_band); the similarity in per cent comes last.
    if not peers:
        st.info(texts.PEERS_NONE)
    else:
        columns = texts.PEER_COLUMNS
        st.dataframe(
            [
                {
                    columns["participant"]: p.participant_id,
                    columns["organisation"]: p.organisation,
                    columns["fit"]: texts.fit_word(peer_band(p.strength, len(p.shared_topics))),
                    columns["shared"]: ", ".join(p.shared_topics),
                    columns["reason"]: texts.peer_reason(p.reasons, p.shared_topics),
                    columns["score"]: texts.percent(p.score),
                }
                for p in peers
            ],
            hide_index=True,
            key="peer_table",
        )
        st.caption(texts.PEER_FIT_EXPLAIN)

# -- the own published tandem or group ----------------------------------------------------------
in_groups = kind_of_programme == "peer_group"
st.subheader(texts.MY_GROUP if in_groups else texts.MY_TANDEM)
topic_label = {t.id: t.label_in("de") for t in pool.topics}
if not matching_consent:  # nobody is matched without consent: nothing to look up
    st.info(texts.MY_MATCH_NO_CONSENT)
else:
    try:
        mine = engine.my_match(who, programme)
    except AssistantError as err:
        st.error(texts.ERROR_GENERIC.format(message=err))
    else:
        if mine is None:
            st.info(texts.MY_MATCH_NONE["groups" if in_groups else "pairs"])
        else:
            shared = ", ".join(topic_label.get(t, t) for t in mine.shared_topics)
            shared_line = (
                texts.MY_SHARED_TOPICS.format(topics=shared)
                if shared
                else texts.MY_NO_SHARED_TOPICS
            )
            # Pseudonyms, organisations and texts come from people: st.text, never Markdown.
            if mine.group is not None:
                st.text(texts.MY_GROUP_NAME.format(group=mine.group))
                st.text(shared_line)
                if mine.members:
                    columns = texts.MY_GROUP_COLUMNS
                    st.dataframe(
                        {
                            columns["person"]: [m for m, _ in mine.members],
                            columns["organisation"]: [o for _, o in mine.members],
                        },
                        hide_index=True,
                        key="my_group_members",
                    )
            elif mine.partner is not None:
                partner = mine.partner
                st.text(
                    texts.MY_PARTNER.format(
                        partner=partner,
                        role=texts.MY_MATCH_ROLE.get(mine.partner_role, mine.partner_role),
                        organisation=mine.partner_organisation,
                    )
                )
                st.text(shared_line)
                if mine.evidence is not None:
                    need, offer = mine.evidence
                    i_am_mentee = mine.partner_role == "mentor"
                    with st.container(border=True):
                        st.markdown(f"**{texts.MY_WHY}**")
                        st.caption(texts.plain(texts.MY_WHY_INTRO.format(partner=partner)))
                        goal_of = (
                            texts.MY_OWN_GOAL
                            if i_am_mentee
                            else texts.MY_PARTNER_GOAL.format(partner=partner)
                        )
                        offer_of = (
                            texts.MY_PARTNER_OFFER.format(partner=partner)
                            if i_am_mentee
                            else texts.MY_OWN_OFFER
                        )
                        st.text(f"{goal_of}: „{need}“")
                        st.text(f"{offer_of}: „{offer}“")
                # The partner's other offers (the one above is not repeated).
                shown = mine.evidence[1] if mine.evidence is not None else None
                offers = [o for o in mine.partner_offers if o != shown]
                if offers:
                    heading = texts.MY_PARTNER_MORE_OFFERS if shown else texts.MY_PARTNER_OFFERS
                    st.markdown(f"**{texts.plain(heading.format(partner=partner))}**")
                    for text in offers:
                        st.text(text)
                # The first-meeting guide and the goal agreement: these two partners only.
                tandem_panel.show_tandem(who, programme, topic_label)
if in_groups:
    # The group's sessions through the four stages and one's own check-ins (membership may
    # come from the import as well as from published matching).
    group_panel.show_groups(programme)

# -- the end-of-programme questionnaire (issue #13) ------------------------------------------
questionnaire_panel.show_questionnaire(who, programme)

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
