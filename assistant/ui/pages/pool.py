"""Browse a topic pool; coordinators add topics and example phrases to their programmes' pools.

Each programme gets its own pool at its first edit; admins also edit the installation's pool
(the base for programmes without their own). Validation is the CLI's (``parse_topic_pool`` via
``assistant.topics.pool_edit``); pools are saved in the data folder, never over the shipped
default, and every process refits on them at its next request.
"""

from __future__ import annotations

import streamlit as st

from assistant import texts
from assistant.errors import TopicPoolError
from assistant.policy import Action
from assistant.topics import pool_edit
from assistant.ui import identity, state, widgets

who = identity.require(Action.VIEW_POOL)
engine = state.assistant()

st.header(texts.POOL_HEADER)
st.write(texts.POOL_INTRO)
saved = st.session_state.pop("pool_saved", None)
if saved:
    st.success(saved)
scopes: list[str | None] = [*engine.pool_programmes(who), None]
programme = st.selectbox(
    texts.POOL_SCOPE,
    scopes,
    format_func=lambda name: texts.POOL_SCOPE_BASE if name is None else name,
    key="pool_scope",
    placeholder=texts.PICK_ONE,
)
identity.require(Action.VIEW_POOL, programme=programme)
pool = engine.pool_of(who, programme)
if programme is None:
    st.caption(texts.POOL_BASE_NOTE)
else:
    st.caption(texts.POOL_OWN if engine.has_own_pool(who, programme) else texts.POOL_SHARED)
    widgets.learning_caption(engine.learning_status(who, programme), engine.settings)
st.caption(texts.POOL_SUMMARY.format(name=pool.name, n=len(pool.topics)))

st.subheader(texts.POOL_BROWSE)
for topic in pool.topics:
    with st.expander(texts.plain(topic.label["de"])):
        st.caption(f"{texts.POOL_ID}: {topic.id}")
        st.markdown(f"**{texts.POOL_DESCRIPTION}**")
        st.text(topic.description["de"])
        st.markdown(f"**{texts.POOL_KEYWORDS}**")
        st.text(", ".join(topic.keywords["de"]))
        for heading, items in (
            (f"{texts.POOL_EXAMPLES} ({texts.LANGUAGE['de']})", topic.examples["de"]),
            (f"{texts.POOL_EXAMPLES} ({texts.LANGUAGE['en']})", topic.examples["en"]),
            (texts.POOL_QUESTIONS, topic.reflection_questions["de"]),
            (texts.POOL_PROMPTS, topic.forum_prompts["de"]),
        ):
            st.markdown(f"**{heading}**")
            st.text("\n".join(f"• {item}" for item in items))

if not engine.may_edit_pool(who, programme):
    st.caption(texts.POOL_NO_EDIT)
    st.stop()
if not widgets.pool_editable(engine):
    st.info(texts.POOL_READ_ONLY)
    st.stop()
identity.require(Action.EDIT_POOL, programme=programme)
done = texts.POOL_SAVED if programme is None else texts.POOL_SAVED_FOR.format(programme=programme)


st.subheader(texts.POOL_ADD_EXAMPLES)
with st.form("pool_examples_form"):
    topic_id = st.selectbox(
        texts.POOL_TOPIC_PICK,
        list(pool.ids),
        format_func=lambda i: pool.get(i).label["de"],
        key="pool_examples_topic",
        placeholder=texts.PICK_ONE,
    )
    language = st.radio(
        texts.POOL_LANGUAGE,
        ["de", "en"],
        format_func=texts.LANGUAGE.__getitem__,
        horizontal=True,
        key="pool_examples_language",
    )
    phrases = st.text_area(texts.POOL_NEW_EXAMPLES, key="pool_examples_text")
    st.caption(texts.POOL_EXAMPLES_HINT)
    add_examples = st.form_submit_button(texts.POOL_SAVE_EXAMPLES, type="primary")
if add_examples:
    try:
        new_pool = pool_edit.add_examples(pool, topic_id, phrases.splitlines(), language)
        widgets.save_pool_and_refit(engine, who, new_pool, programme)
    except TopicPoolError as err:
        widgets.pool_problems(err)
    else:
        st.session_state["pool_saved"] = done
        st.rerun()

st.subheader(texts.POOL_ADD_TOPIC)
blank = pool_edit.TopicDraft(id="", label_de="", description_de="")
draft = widgets.topic_form(blank, key="pool_topic_form")
if draft is not None:
    try:
        new_pool = pool_edit.add_topic(pool, draft)
        widgets.save_pool_and_refit(engine, who, new_pool, programme)
    except TopicPoolError as err:
        widgets.pool_problems(err)
    else:
        st.session_state["pool_saved"] = done
        st.rerun()
