"""Charts of the evaluation page: horizontal bars with a step per bar (see ``frequency_chart``)."""

from __future__ import annotations

from typing import Any

import altair as alt

from assistant import texts
from assistant.journey.evaluation import SCORES
from assistant.service import ProgrammeEvaluation
from assistant.ui.widgets import OKABE_ITO

__all__ = ["bars", "grouped_bars", "section_chart"]

_BAR_PX = 26
_LABEL = "Wert"  # the bars' printed values


def _german(value: Any) -> str:
    """Return a count as it is, a mean with one decimal and a decimal comma."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{float(value):.1f}".replace(".", ",")


Records = list[dict[str, Any]]


def bars(
    records: Records, category: str, value: str, *, maximum: float | None = None
) -> alt.LayerChart:
    """Return one bar per record, ``category`` on the axis in record order, labelled values.

    ``maximum`` fixes the value axis (5 for a 1-to-5 scale) so that bars of different pages
    compare; a nominal axis gets a step per bar (a pixel height collapses it in Streamlit).
    """
    scale = alt.Scale(domain=[0, maximum]) if maximum is not None else alt.Undefined
    # The bar labels are written here, German style ("3,4"): Vega formats numbers in English.
    records = [{**r, _LABEL: _german(r[value])} for r in records]
    base = alt.Chart(alt.InlineData(values=records)).encode(
        x=alt.X(f"{value}:Q", title=value, scale=scale, axis=alt.Axis(tickMinStep=1)),
        y=alt.Y(
            f"{category}:N",
            title=None,
            sort=[r[category] for r in records],
            axis=alt.Axis(labelLimit=0),
        ),
        tooltip=[f"{category}:N", f"{value}:Q"],
    )
    shown = base.mark_bar(color=OKABE_ITO[0])
    numbers = base.mark_text(align="left", dx=4).encode(text=f"{_LABEL}:N")
    return alt.LayerChart(layer=[shown, numbers], height=alt.Step(_BAR_PX))


def grouped_bars(records: Records, category: str, value: str, group: str) -> alt.Chart:
    """Return bars per ``category`` split by ``group`` (two colours), values as shares 0 to 1."""
    groups = list(dict.fromkeys(r[group] for r in records))
    chart: alt.Chart = (
        alt.Chart(alt.InlineData(values=records))
        .mark_bar()
        .encode(
            x=alt.X(
                f"{value}:Q", title=value, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])
            ),
            y=alt.Y(
                f"{category}:N",
                title=None,
                sort=list(dict.fromkeys(r[category] for r in records)),
                axis=alt.Axis(labelLimit=0),
            ),
            yOffset=alt.YOffset(f"{group}:N", sort=groups),
            color=alt.Color(
                f"{group}:N",
                title=None,
                scale=alt.Scale(domain=groups, range=list(OKABE_ITO[: len(groups)])),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[f"{category}:N", f"{group}:N", alt.Tooltip(f"{value}:Q", format=".0%")],
        )
        .properties(height=alt.Step(_BAR_PX))
    )
    return chart


def section_chart(key: str, found: ProgrammeEvaluation) -> alt.Chart | alt.LayerChart | None:
    """Return the chart of one section from the figures its table shows (None: no chart)."""
    evaluation = found.evaluation
    if key == "rhythm" and evaluation.rhythm is not None:
        r, c = evaluation.rhythm, texts.EVAL_RHYTHM_COLUMNS
        names = texts.EVAL_RHYTHM_CATEGORIES
        records = [
            {c["category"]: names[n], c["tandems"]: v}
            for n, v in (("met", r.met), ("below", r.below), ("none", r.none))
        ]
        return bars(records, c["category"], c["tandems"])
    if key == "progress" and evaluation.progress:
        c = texts.EVAL_PROGRESS_COLUMNS
        records = [
            {c["topic"]: found.labels.get(p.topic, p.topic), c["mean"]: round(p.mean, 1)}
            for p in evaluation.progress
        ]
        return bars(records, c["topic"], c["mean"], maximum=5)
    if key == "questionnaire" and evaluation.questionnaire is not None:
        c = texts.EVAL_QUESTIONNAIRE_COLUMNS
        records = [
            {c["question"]: texts.DIMENSION_LABELS[n], c["mean"]: round(m, 1)}
            for n, m in zip(SCORES, evaluation.questionnaire.means, strict=True)
        ]
        return bars(records, c["question"], c["mean"], maximum=5)
    if key == "shifts" and evaluation.shifts:
        c = texts.EVAL_SHIFT_COLUMNS
        records = [
            {c["topic"]: found.labels.get(s.topic, s.topic), "Quelle": c[side], "Anteil": share}
            for s in evaluation.shifts
            for side, share in (("goals", s.goals_share), ("reflections", s.reflections_share))
            if share is not None
        ]
        if records:
            return grouped_bars(records, c["topic"], "Anteil", "Quelle")
    return None
