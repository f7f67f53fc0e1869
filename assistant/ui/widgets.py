"""Render helpers shared by pages."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

import altair as alt
import streamlit as st

from assistant import texts
from assistant.config import Settings
from assistant.domain import SuggestionResult, TopicPool
from assistant.errors import TopicPoolError
from assistant.policy import Principal
from assistant.scores import BELOW_FLOOR, fit_band
from assistant.service import Assistant, LearningState
from assistant.themes import ThemeCluster, ThemeClusters
from assistant.topics import pool_edit
from assistant.topics.pool_edit import TopicDraft


def suggestion_cards(
    result: SuggestionResult,
    pool: TopicPool,
    *,
    status: Mapping[str, str] | None = None,
    on_status: Callable[[str, str], None] | None = None,
    key: str = "suggestion",
    questions: bool = True,
) -> None:
    """Show each suggested topic with score, evidence and reflection questions.

    Participant text is rendered with ``st.text`` (never as Markdown or HTML).

    Parameters
    ----------
    status : mapping of topic id to "suggested", "accepted" or "dismissed", optional
        Stored feedback: dismissed topics move to a short list at the end.
    on_status : callable (topic id, new status), optional
        Given, each card gets accept/dismiss buttons that call it (as ``on_click``).
    key : str
        Prefix of the buttons' widget keys (unique per entry on a page).
    questions : bool
        Show the pool's reflection questions in each card.
    """
    st.caption(f"{texts.DETECTED_LANGUAGE}: {texts.LANGUAGE.get(result.language, result.language)}")
    if result.no_fit:
        st.info(texts.NO_FIT)
        return
    status = status or {}
    # Only topics that clear the floor of the shared word scale are shown (assistant.scores).
    shown = [s for s in result.topics if fit_band(s.strength) != BELOW_FLOOR]
    if not shown:
        st.info(texts.NO_FIT)
        return
    for suggestion in shown:
        if status.get(suggestion.topic_id) == "dismissed":
            continue
        topic = pool.get(suggestion.topic_id)
        with st.container(border=True):
            st.subheader(texts.plain(suggestion.label))
            if suggestion.topic_id in status:
                st.caption(texts.SUGGESTION_STATUS[status[suggestion.topic_id]])
            st.markdown(f"**{texts.fit_word(fit_band(suggestion.strength))}**")
            st.caption(texts.topic_score_caption(suggestion.score, suggestion.strength))
            if suggestion.probability is not None:
                st.caption(texts.probability_caption(suggestion.probability))
            st.markdown(
                texts.plain(topic.description.get(result.language) or topic.description["de"])
            )
            st.markdown(f"**{texts.EVIDENCE}**")
            for sentence in suggestion.evidence:
                st.text(f"„{sentence}“")
            if suggestion.keywords:
                # Keywords come from the participant's text: st.text, as Markdown could carry links.
                st.text(f"{texts.KEYWORDS}: " + ", ".join(suggestion.keywords))
            asked = (
                topic.reflection_questions.get(result.language)
                or (topic.reflection_questions["de"])
            )
            if questions:
                with st.expander(texts.REFLECTION_QUESTIONS):
                    for question in asked:
                        st.text(f"• {question}")
            if on_status is not None:
                _feedback_buttons(suggestion.topic_id, suggestion.label, status, on_status, key)
    dismissed = [s for s in shown if status.get(s.topic_id) == "dismissed"]
    if dismissed and on_status is not None:
        st.caption(texts.DISMISSED_TOPICS)
        for suggestion in dismissed:
            st.button(
                texts.RESTORE_TOPIC.format(topic=texts.plain(suggestion.label)),
                key=f"{key}_restore_{suggestion.topic_id}",
                on_click=on_status,
                args=(suggestion.topic_id, "suggested"),
            )


def _feedback_buttons(
    topic_id: str,
    label: str,
    status: Mapping[str, str],
    on_status: Callable[[str, str], None],
    key: str,
) -> None:
    """Accept/dismiss buttons; labels name the topic so screen readers can tell them apart."""
    left, right = st.columns(2)
    with left:
        if status.get(topic_id) != "accepted":
            st.button(
                texts.ACCEPT_TOPIC.format(topic=texts.plain(label)),
                key=f"{key}_accept_{topic_id}",
                type="primary",
                on_click=on_status,
                args=(topic_id, "accepted"),
            )
        else:
            st.button(
                texts.UNDO_ACCEPT_TOPIC.format(topic=texts.plain(label)),
                key=f"{key}_undo_{topic_id}",
                on_click=on_status,
                args=(topic_id, "suggested"),
            )
    with right:
        st.button(
            texts.DISMISS_TOPIC.format(topic=texts.plain(label)),
            key=f"{key}_dismiss_{topic_id}",
            on_click=on_status,
            args=(topic_id, "dismissed"),
        )


def reflection_questions(pool: TopicPool, topic_ids: Iterable[str], language: str = "de") -> None:
    """Show the pool's reflection questions for each topic (pool text, not participant text)."""
    for topic_id in topic_ids:
        topic = pool.get(topic_id)
        with st.container(border=True):
            st.markdown(f"**{texts.plain(topic.label_in(language))}**")
            for question in (
                topic.reflection_questions.get(language) or (topic.reflection_questions["de"])
            ):
                st.text(f"• {question}")


# -- coordinator and topic pool pages: charts, topic form, saving the pool ---------------------

# Okabe-Ito, distinguishable with the common colour-vision deficiencies, for the two kinds of
# theme; Tableau 20 for the themes over time, which keeps the 18 topics of the default pool and
# a few new themes apart (Okabe-Ito has eight colours: 13 themes shared them).
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
TABLEAU_20 = (
    "#4E79A7", "#A0CBE8", "#F28E2B", "#FFBE7D", "#59A14F", "#8CD17D", "#B6992D", "#F1CE63",
    "#499894", "#86BCB6", "#E15759", "#FF9D9A", "#79706E", "#D37295", "#FABFD2", "#B07AA1",
    "#D4A6C8", "#9D7660", "#D7B5A6", "#BAB0AC",
)  # fmt: skip
OTHER_COLOUR = "#999999"
_BAR_PX = 26  # height of one bar row: labels of every theme fit, none is cut off


def theme_colours(labels: list[str], other: str | None = None) -> list[str]:
    """Colours for theme labels in this order (keep the order stable); "Sonstiges" is grey."""
    palette = [c for c in TABLEAU_20 if c != "#BAB0AC"]  # the grey is Sonstiges'
    colours, i = [], 0
    for label in labels:
        if label == other:
            colours.append(OTHER_COLOUR)
        else:
            colours.append(palette[i % len(palette)])
            i += 1
    return colours


def colour_order(themes: ThemeClusters, pool: TopicPool, label_of: Mapping[str, str]) -> list[str]:
    """Theme labels in a stable order for colours: pool topics in pool order, then by id.

    Not the size ranking: a theme keeps its colour when another one grows.
    """
    rank = {topic_id: i for i, topic_id in enumerate(pool.ids)}
    ordered = sorted(themes.clusters, key=lambda c: (rank.get(c.id, len(rank)), c.id))
    return [label_of.get(c.id, c.label) for c in ordered]


Records = list[dict[str, Any]]


def frequency_chart(records: Records) -> alt.LayerChart:
    """Ranked horizontal bars: people per theme (``records`` ranked), labelled with the number.

    Theme names stand on the axis in full (``labelLimit=0``); pool topics and new themes are
    told apart by colour.
    """
    theme, persons, kind = texts.COORD_THEME, texts.COORD_PERSONS, texts.COORD_KIND
    base = alt.Chart(alt.InlineData(values=records)).encode(
        x=alt.X(f"{persons}:Q", title=persons, axis=alt.Axis(tickMinStep=1)),
        # The records come ranked: their order, not sort="-x", which the two layers' merged
        # scale did not keep (a theme of 5 people stood between two of 7 and 6).
        y=alt.Y(
            f"{theme}:N",
            title=None,
            sort=[r[theme] for r in records],
            axis=alt.Axis(labelLimit=0),
        ),
        tooltip=[f"{theme}:N", f"{persons}:Q", f"{kind}:N"],
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            f"{kind}:N",
            title=kind,
            scale=alt.Scale(
                domain=[texts.COORD_KIND_POOL, texts.COORD_KIND_NEW],
                range=[OKABE_ITO[0], OKABE_ITO[1]],
            ),
            legend=alt.Legend(orient="top"),
        )
    )
    numbers = base.mark_text(align="left", dx=4).encode(text=f"{persons}:Q")
    # A step per bar, not a pixel height: Streamlit draws a nominal axis with a fixed height as
    # one collapsed row (every label on top of the others).
    return alt.LayerChart(layer=[bars, numbers], height=alt.Step(_BAR_PX))


def over_time_chart(records: Records, labels: list[str], other: str | None) -> alt.Chart:
    """Stacked bars: entries per period, split by theme; ``labels`` in a stable colour order."""
    colours = theme_colours(labels, other)
    theme, period, entries = texts.COORD_THEME, texts.COORD_PERIOD, texts.COORD_ENTRIES
    chart: alt.Chart = (
        alt.Chart(alt.InlineData(values=records))
        .mark_bar()
        .encode(
            x=alt.X(f"{period}:O", title=period, axis=alt.Axis(labelAngle=0, labelLimit=0)),
            y=alt.Y(f"sum({entries}):Q", title=entries, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                f"{theme}:N",
                title=theme,
                scale=alt.Scale(domain=labels, range=colours),
                legend=alt.Legend(labelLimit=0, symbolLimit=0),
            ),
            tooltip=[f"{period}:O", f"{theme}:N", f"{entries}:Q"],
        )
        .properties(height=max(320, len(labels) * 20))
    )
    return chart


def _split(text: str, separator: str = "\n") -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(separator) if part.strip())


def topic_form(draft: TopicDraft, key: str) -> TopicDraft | None:
    """Show a form for a new pool topic prefilled from ``draft``; return the submitted draft."""
    labels = texts.POOL_FORM
    with st.form(key):
        st.caption(texts.POOL_EXAMPLES_HINT)
        topic_id = st.text_input(labels["id"], value=draft.id, key=f"{key}_id")
        label_de = st.text_input(labels["label_de"], value=draft.label_de, key=f"{key}_label_de")
        description_de = st.text_area(
            labels["description_de"], value=draft.description_de, key=f"{key}_description_de"
        )
        keywords = st.text_input(
            labels["keywords_de"], value=", ".join(draft.keywords_de), key=f"{key}_keywords"
        )
        examples_de = st.text_area(
            labels["examples_de"],
            value="\n".join(draft.examples_de),
            height=220,
            key=f"{key}_examples_de",
        )
        examples_en = st.text_area(
            labels["examples_en"], value="\n".join(draft.examples_en), key=f"{key}_examples_en"
        )
        questions = st.text_area(
            labels["reflection_questions_de"],
            value="\n".join(draft.reflection_questions_de),
            key=f"{key}_questions",
        )
        prompts = st.text_area(
            labels["forum_prompts_de"],
            value="\n".join(draft.forum_prompts_de),
            key=f"{key}_prompts",
        )
        label_en = st.text_input(labels["label_en"], value=draft.label_en, key=f"{key}_label_en")
        description_en = st.text_area(
            labels["description_en"], value=draft.description_en, key=f"{key}_description_en"
        )
        if not st.form_submit_button(texts.POOL_SAVE_TOPIC, type="primary"):
            return None
    return TopicDraft(
        id=topic_id.strip(),
        label_de=label_de,
        description_de=description_de,
        keywords_de=_split(keywords, ","),
        examples_de=_split(examples_de),
        examples_en=_split(examples_en),
        reflection_questions_de=_split(questions),
        forum_prompts_de=_split(prompts),
        label_en=label_en,
        description_en=description_en,
    )


def adoption_form(pool: TopicPool, cluster: ThemeCluster, key: str) -> TopicDraft | None:
    """Adopt a new theme in one's own words: an empty form, the participants' words beside it.

    The masked sentences and keywords of the theme are shown as inspiration next to the form,
    never put into it; the label suggestion is a placeholder, not a value. Returns the draft
    (``pool_edit.adoption_draft``) when the form is submitted.
    """
    labels = texts.ADOPT_FORM
    form, beside = st.columns([3, 2])
    with beside, st.container(border=True):
        st.caption(texts.ADOPT_INSPIRATION)
        if cluster.keywords:  # participants' words: shown as text, never as Markdown
            st.text(f"{texts.POOL_KEYWORDS}: {', '.join(cluster.keywords)}")
        for sentence in cluster.sentences:
            st.text(f"„{sentence}“")
    with form, st.form(key):
        st.caption(texts.ADOPT_HINT)
        label = st.text_input(labels["label"], placeholder=cluster.label, key=f"{key}_label")
        description = st.text_area(labels["description"], key=f"{key}_description")
        examples_de = st.text_area(labels["examples_de"], height=140, key=f"{key}_examples_de")
        examples_en = st.text_area(labels["examples_en"], key=f"{key}_examples_en")
        if not st.form_submit_button(texts.ADOPT_SAVE, type="primary"):
            return None
    return pool_edit.adoption_draft(
        pool, label, description, _split(examples_de), _split(examples_en)
    )


def pool_problems(error: TopicPoolError) -> None:
    """Show why a pool edit is invalid, one German line per field."""
    lines = [texts.pool_problem(p.field, p.message) for p in pool_edit.problems_of(error)]
    st.error("\n".join([texts.POOL_INVALID, *(f"- {line}" for line in lines)]))


def pool_editable(engine: Assistant) -> bool:
    """Whether the app may save the pool: not when the configuration names a pool file."""
    return not engine.settings.pool


def save_pool_and_refit(
    engine: Assistant, who: Principal, pool: TopicPool, programme: str | None
) -> None:
    """Save an edited pool (a programme's or the installation's) and fit the suggester on it.

    The Assistant refits on a changed pool file by itself; reading the pool here does it under
    the spinner rather than at the next click. Stored analyses are keyed by pool and recompute
    when next read.
    """
    with st.spinner(texts.POOL_REFITTING):
        engine.save_pool(who, pool, programme)
        engine.pool_of(who, programme)


# -- Protokoll ---------------------------------------------------------------------------------


class _LogRow(Protocol):
    """What the filter reads of an audit row (``Assistant.audit_log``)."""

    @property
    def at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...


Row = TypeVar("Row", bound=_LogRow)


def learning_caption(state: LearningState, settings: Settings) -> None:
    """Say when the programme's suggester last learned from feedback, and what waits."""
    if not settings.learn_enabled:
        st.caption(texts.LEARNING_OFF)
        return
    if state.learned_at is None:
        st.caption(texts.LEARNING_NEVER)
    else:
        day = local_day(state.learned_at).strftime("%d.%m.%Y")
        st.caption(texts.LEARNING_LAST.format(date=day, n=state.n_feedback))
    if state.pending:
        st.caption(texts.LEARNING_PENDING.format(n=state.pending, after=settings.learn_refit_after))


def local_day(moment: datetime) -> date:
    """Return the calendar day of ``moment`` in German local time (stored times are UTC)."""
    return moment.astimezone(texts.LOCAL_ZONE).date()


def audit_rows_matching(
    rows: Sequence[Row],
    actions: Collection[str],
    actors: Collection[str],
    span: date | Sequence[date],
) -> list[Row]:
    """Return the rows with one of ``actions`` by one of ``actors`` on a local day in ``span``.

    An empty ``actions`` or ``actors`` filter keeps all; ``span`` is one day or (first, last),
    both included, as ``st.date_input`` returns it while a range is being picked.
    """
    days = [span] if isinstance(span, date) else list(span)
    first, last = (days[0], days[-1]) if days else (date.min, date.max)
    return [
        r
        for r in rows
        if (not actions or r.action in actions)
        and (not actors or r.actor in actors)
        and first <= local_day(r.at) <= last
    ]
