"""Programme overview for coordinators: themes, trends, new themes, import and export.

Only aggregates reach this page: the engine's ``*_for`` methods check the policy, drop entry
ids and keep sentences to clusters of at least k people. Every chart has its table beside it.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from assistant import report, texts
from assistant.errors import AssistantError, TopicPoolError
from assistant.policy import Action, allowed
from assistant.themes import OTHER_ID
from assistant.topics import pool_edit, pool_scrub
from assistant.ui import identity, state, widgets
from assistant.ui.import_panel import import_panel

st.header(texts.COORD_HEADER)
st.write(texts.COORD_INTRO)
who, name = identity.require_programme(Action.VIEW_THEMES, key="coord_programme")

engine = state.assistant()
try:
    with st.spinner(texts.COORD_CLUSTERING):
        run = engine.themes(who, name)
        prog, themes = run.programme, run.themes
except AssistantError as err:
    st.error(texts.ERROR_GENERIC.format(message=err))
    st.stop()

done = st.session_state.pop("coord_import_done", None)
if done:
    st.success(done)

k = engine.k
pool = engine.pool_of(who, name)
topic_labels = {t.id: t.label["de"] for t in pool.topics}
rows = report.cluster_rows(themes, topic_labels, k)
label_of = {r.cluster_id: r.label for r in rows}
labels = [r.label for r in rows]
other = label_of.get(OTHER_ID)
colour_order = widgets.colour_order(themes, pool, label_of)
THEME = texts.COORD_THEME

tab_themes, tab_time, tab_new, tab_import, tab_export = st.tabs(
    [
        texts.COORD_TABLE_HEADER,
        texts.COORD_TIME_HEADER,
        texts.COORD_EMERGING_HEADER,
        texts.COORD_IMPORT_HEADER,
        texts.COORD_EXPORT_HEADER,
    ]
)

with tab_themes:
    if themes.too_few:
        st.info(texts.COORD_TOO_FEW.format(n=themes.n_entries))
    else:
        st.caption(
            texts.COORD_SUMMARY.format(
                entries=themes.n_entries,
                themes=sum(r.cluster_id != OTHER_ID for r in rows),
                emerging=sum(r.emerging for r in rows),
            )
        )
        st.caption(
            texts.COORD_SET_ASIDE.format(
                boilerplate=themes.n_boilerplate, duplicates=themes.n_duplicates
            )
        )
        st.subheader(texts.COORD_FREQ_HEADER)
        st.caption(texts.COORD_FREQ_HELP)
        named = [r for r in rows if r.cluster_id != OTHER_ID]
        frequency = [
            {
                THEME: r.label,
                texts.COORD_PERSONS: r.participants,
                texts.COORD_KIND: texts.COORD_KIND_NEW if r.emerging else texts.COORD_KIND_POOL,
            }
            for r in named
        ]
        chart_column, table_column = st.columns([3, 2])
        with chart_column:
            st.altair_chart(
                widgets.frequency_chart(frequency), width="stretch", alt=texts.COORD_FREQ_ALT
            )
        with table_column:
            st.dataframe(frequency, hide_index=True, key="coord_frequency_table")

        st.subheader(texts.COORD_TABLE_HEADER)
        columns = texts.COORD_COLUMNS
        st.dataframe(
            {
                columns["label"]: labels,
                columns["keywords"]: [", ".join(r.keywords) for r in rows],
                columns["participants"]: [r.participants for r in rows],
                columns["entries"]: [r.entries for r in rows],
                columns["mapping"]: [r.mapping for r in rows],
            },
            hide_index=True,
            key="coord_clusters",
        )
        with st.expander(texts.COORD_SENTENCES):
            st.caption(texts.COORD_SENTENCES_RULE.format(k=k))
            for row in rows:
                if row.sentences:
                    st.text(row.label)
                    for sentence in row.sentences:
                        st.text(f"  „{sentence}“")

with tab_time:
    period = st.radio(
        texts.COORD_PERIOD,
        list(texts.COORD_PERIODS),
        format_func=texts.COORD_PERIODS.__getitem__,
        horizontal=True,
        key="coord_period",
    )
    over_time = engine.themes_over_time(who, name, period)
    if not over_time:
        st.info(texts.COORD_TIME_EMPTY)
    else:
        timeline = [
            {texts.COORD_PERIOD: p, THEME: label_of.get(c, c), texts.COORD_ENTRIES: n}
            for p, c, n in over_time
        ]
        st.altair_chart(
            widgets.over_time_chart(timeline, colour_order, other),
            width="stretch",
            alt=texts.COORD_TIME_ALT,
        )
        with st.expander(texts.COORD_NUMBERS):
            periods = sorted({p for p, _, _ in over_time})
            per_cell = {(p, label_of.get(c, c)): n for p, c, n in over_time}
            shown = [x for x in labels if any((p, x) in per_cell for p in periods)]
            st.dataframe(
                {THEME: shown, **{p: [per_cell.get((p, x), 0) for x in shown] for p in periods}},
                hide_index=True,
                key="coord_time_table",
            )

with tab_new:
    emerging = [c for c in themes.clusters if c.emerging]
    if not emerging:
        st.info(texts.COORD_EMERGING_NONE)
    else:
        st.write(texts.COORD_EMERGING_INTRO)
        may_edit = engine.may_edit_pool(who, name) and widgets.pool_editable(engine)
        if not widgets.pool_editable(engine):
            st.caption(texts.POOL_READ_ONLY)
        for cluster in emerging:
            with st.container(border=True):
                st.text(cluster.label)
                st.text(  # keywords come from participants' texts: never Markdown
                    f"{texts.POOL_KEYWORDS}: {', '.join(cluster.keywords)} · "
                    f"{texts.COORD_PERSONS}: {cluster.size}"
                )
                if may_edit and st.button(
                    texts.COORD_EMERGING_ADD.format(label=texts.plain(cluster.label)),
                    key=f"coord_adopt_{cluster.id}",
                ):
                    st.session_state["coord_draft"] = cluster.id
        chosen = next((c for c in emerging if c.id == st.session_state.get("coord_draft")), None)
        if chosen is not None and may_edit:
            identity.require(Action.EDIT_POOL, programme=name)
            st.subheader(texts.ADOPT_HEADER.format(label=texts.plain(chosen.label)))
            draft = widgets.adoption_form(pool, chosen, key="coord_adopt_form")
            if draft is not None:
                # Any sentence this page shows is a participant's: none goes into the pool.
                copied = pool_scrub.copied_examples(
                    [*draft.examples_de, *draft.examples_en],
                    [sentence for c in themes.clusters for sentence in c.sentences],
                )
                if copied:
                    st.error(texts.ADOPT_COPIED.format(n=len(copied)))
                else:
                    try:
                        new_pool = pool_edit.add_topic(pool, draft)
                        widgets.save_pool_and_refit(engine, who, new_pool, name)
                    except TopicPoolError as err:
                        widgets.pool_problems(err)
                    else:
                        del st.session_state["coord_draft"]
                        st.success(texts.POOL_SAVED_FOR.format(programme=name))

with tab_import:
    if allowed(who, Action.IMPORT, programme=name):
        import_panel(engine, who, name)
    if allowed(who, Action.END_PROGRAMME, programme=name):
        st.subheader(texts.COORD_END_HEADER)
        st.caption(texts.COORD_END_HELP)
        with st.form("coord_end_form"):
            ends_on = st.date_input(
                texts.COORD_END_DATE, value=prog.ends_on, format="DD.MM.YYYY", key="coord_end"
            )
            save_end = st.form_submit_button(texts.COORD_END_SAVE)
        if save_end:
            ended = engine.set_programme_end(who, name, ends_on or None).ends_on
            st.success(
                texts.COORD_END_SAVED.format(date=ended.strftime(texts.DATE_FORMAT))
                if ended
                else texts.COORD_END_CLEARED
            )

with tab_export:
    if allowed(who, Action.EXPORT_REPORT, programme=name):
        slug = report.file_slug(prog.name)
        st.download_button(
            texts.COORD_EXPORT_CSV,
            data=report.cluster_csv(rows),
            file_name=f"themen-{slug}.csv",
            mime="text/csv",
            key="coord_export_csv",
            on_click=state.assistant().record_download,
            args=(who, prog.name, "csv"),
        )
        st.download_button(
            texts.COORD_EXPORT_HTML,
            data=report.evaluation_html(
                prog, themes, topic_labels, over_time, k=k, generated_on=date.today()
            ),
            file_name=f"auswertung-{slug}.html",
            mime="text/html",
            key="coord_export_html",
            on_click=state.assistant().record_download,
            args=(who, prog.name, "html"),
        )
