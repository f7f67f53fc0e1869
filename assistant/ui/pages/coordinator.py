"""Programme overview for coordinators: themes, map, trends, new themes, import and export.

Only aggregates reach this page: the engine's ``*_for`` methods check the policy, drop entry
ids and keep sentences to clusters of at least k people; the map has positions and themes only.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import streamlit as st

from assistant import report, texts
from assistant.errors import AssistantError, ImportRejectedError, TopicPoolError
from assistant.policy import Action, allowed
from assistant.themes import OTHER_ID
from assistant.topics import pool_edit
from assistant.ui import identity, state, widgets

st.header(texts.COORD_HEADER)
st.write(texts.COORD_INTRO)
who, name = identity.require_programme(Action.VIEW_THEMES, key="coord_programme")

engine = state.assistant()
try:
    with st.spinner(texts.COORD_CLUSTERING):
        run = engine.themes(who, name)
        prog, themes = run.programme, run.themes
        points = engine.theme_map(who, name)
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
        st.subheader(texts.COORD_MAP_HEADER)
        st.caption(texts.COORD_MAP_HELP)
        on_map = [
            {"x": p.x, "y": p.y, THEME: label_of.get(p.cluster_id, p.cluster_id)} for p in points
        ]
        st.altair_chart(
            widgets.theme_map_chart(on_map, labels, other),
            width="stretch",
            alt=texts.COORD_MAP_ALT.format(n=len(on_map), k=len(labels)),
        )
        with st.expander(texts.COORD_MAP_TABLE):
            counts = Counter(point[THEME] for point in on_map)
            st.dataframe(
                {THEME: labels, texts.COORD_POINTS: [counts[x] for x in labels]},
                hide_index=True,
                key="coord_map_table",
            )

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

        st.subheader(texts.COORD_FREQ_HEADER)
        named = [r for r in rows if r.cluster_id != OTHER_ID]
        frequency = [
            {
                THEME: r.label,
                texts.COORD_PERSONS: r.participants,
                texts.COORD_KIND: texts.COORD_KIND_NEW if r.emerging else texts.COORD_KIND_POOL,
            }
            for r in named
        ]
        st.altair_chart(
            widgets.frequency_chart(frequency), width="stretch", alt=texts.COORD_FREQ_ALT
        )
        with st.expander(texts.COORD_NUMBERS):
            st.dataframe(frequency, hide_index=True, key="coord_frequency_table")

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
            widgets.over_time_chart(timeline, labels, other),
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
            st.subheader(texts.COORD_EMERGING_FORM.format(label=texts.plain(chosen.label)))
            draft = pool_edit.draft_from_cluster(chosen, pool.ids)
            edited = widgets.topic_form(draft, key="coord_topic_form")
            if edited is not None:
                try:
                    new_pool = pool_edit.add_topic(pool, edited)
                    widgets.save_pool_and_refit(engine, who, new_pool, name)
                except TopicPoolError as err:
                    widgets.pool_problems(err)
                else:
                    del st.session_state["coord_draft"]
                    st.success(texts.POOL_SAVED_FOR.format(programme=name))

with tab_import:
    if allowed(who, Action.IMPORT, programme=name):
        st.caption(texts.COORD_IMPORT_HELP.format(programme=name))
        st.caption(texts.UPLOAD_HINT.format(mb=engine.settings.max_upload_mb))
        upload = st.file_uploader(
            texts.COORD_IMPORT_FILE,
            type=["csv", "xlsx", "jsonl"],
            key="coord_upload",
            max_upload_size=engine.settings.max_upload_mb,
        )
        if st.button(texts.COORD_IMPORT_BUTTON, key="coord_import", disabled=upload is None):
            assert upload is not None
            data = upload.getvalue()
            # Rows are not known before parsing; lines are a fair guess for CSV and JSONL.
            total = max(data.count(b"\n"), 1)
            bar = st.progress(0.0, text=texts.COORD_IMPORTING.format(done=0, total=total))
            embedded = [0]

            def advance(n: int) -> None:
                """Move the bar on by ``n`` embedded entries."""
                embedded[0] += n
                bar.progress(
                    min(embedded[0] / total, 1.0),
                    text=texts.COORD_IMPORTING.format(done=embedded[0], total=total),
                )

            try:
                result = engine.import_upload(
                    who, upload.name, data, programme=name, progress=advance
                )
            except ImportRejectedError as err:
                bar.empty()
                st.error(texts.COORD_IMPORT_REJECTED.format(n=len(err.rejects)))
                st.dataframe(
                    {
                        texts.COORD_REPORT_COLUMNS["line"]: [line for line, _ in err.rejects],
                        texts.COORD_REPORT_COLUMNS["reason"]: [why for _, why in err.rejects],
                    },
                    hide_index=True,
                    key="coord_import_report",
                )
            except AssistantError as err:
                bar.empty()
                st.error(texts.COORD_IMPORT_FAILED.format(message=err))
            else:
                st.session_state["coord_import_done"] = (
                    texts.COORD_IMPORT_DONE.format(
                        imported=result.imported,
                        unchanged=result.unchanged,
                        participants=result.participants,
                    )
                    + (texts.COORD_IMPORT_KEPT.format(n=len(result.kept)) if result.kept else "")
                    + (
                        texts.COORD_IMPORT_CHANGED.format(n=len(result.changed))
                        if result.changed
                        else ""
                    )
                )
                st.rerun()  # show the themes with the new entries
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
