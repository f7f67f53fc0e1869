"""The evaluation in words and tables: one set of sections for the page and the PDF report.

``report_sections`` turns an ``Evaluation`` into German tables (a withheld figure becomes the
"zu wenige …" line); ``evaluation_pdf`` prints them for a Personalrat or a steering committee
with fpdf2's core Helvetica (Latin-1, as ``documents.to_pdf``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from assistant import texts
from assistant.journey.documents import pdf_safe
from assistant.journey.evaluation import SCORES, Evaluation

__all__ = ["ReportSection", "evaluation_pdf", "report_sections"]


@dataclass(frozen=True)
class ReportSection:
    """One part of the evaluation: heading, what it shows, a table or why it is withheld.

    ``key`` is "rhythm", "agreements", "progress", "questionnaire" or "shifts"; ``withheld``
    is "" when the table is shown.
    """

    key: str
    heading: str
    intro: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    withheld: str = ""


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _share(value: float | None) -> str:
    return "–" if value is None else texts.percent(value)


def report_sections(evaluation: Evaluation, labels: Mapping[str, str]) -> list[ReportSection]:
    """Return the five sections of the evaluation as German tables, in reading order."""
    k = evaluation.k
    few_tandems = texts.EVAL_TOO_FEW_TANDEMS.format(k=k)
    sections = []
    rc = texts.EVAL_RHYTHM_COLUMNS
    rhythm = evaluation.rhythm
    sections.append(
        ReportSection(
            "rhythm",
            texts.EVAL_RHYTHM_HEADING,
            texts.EVAL_RHYTHM_INTRO,
            (rc["category"], rc["tandems"]),
            ()
            if rhythm is None
            else tuple(
                (texts.EVAL_RHYTHM_CATEGORIES[name], str(n))
                for name, n in (("met", rhythm.met), ("below", rhythm.below), ("none", rhythm.none))
            ),
            few_tandems if rhythm is None else "",
        )
    )
    ac = texts.EVAL_AGREEMENT_COLUMNS
    agreements = evaluation.agreements
    sections.append(
        ReportSection(
            "agreements",
            texts.EVAL_AGREEMENT_HEADING,
            ""
            if agreements is None
            else texts.EVAL_AGREEMENT_LINE.format(
                confirmed=agreements.confirmed,
                tandems=agreements.tandems,
                share=texts.percent(agreements.share),
            ),
            (ac["confirmed"], ac["tandems"], ac["share"]),
            ()
            if agreements is None
            else (
                (
                    str(agreements.confirmed),
                    str(agreements.tandems),
                    texts.percent(agreements.share),
                ),
            ),
            few_tandems if agreements is None else "",
        )
    )
    pc = texts.EVAL_PROGRESS_COLUMNS
    sections.append(
        ReportSection(
            "progress",
            texts.EVAL_PROGRESS_HEADING,
            texts.EVAL_PROGRESS_INTRO.format(k=k),
            (pc["topic"], pc["people"], pc["mean"]),
            tuple(
                (labels.get(p.topic, p.topic), str(p.people), _number(p.mean))
                for p in evaluation.progress
            ),
            "" if evaluation.progress else texts.EVAL_TOO_FEW_TOPICS.format(k=k),
        )
    )
    qc = texts.EVAL_QUESTIONNAIRE_COLUMNS
    summary = evaluation.questionnaire
    sections.append(
        ReportSection(
            "questionnaire",
            texts.EVAL_QUESTIONNAIRE_HEADING,
            "" if summary is None else texts.EVAL_QUESTIONNAIRE_N.format(n=summary.n),
            (qc["question"], qc["mean"]),
            ()
            if summary is None
            else tuple(
                (texts.DIMENSION_LABELS[name], _number(mean))
                for name, mean in zip(SCORES, summary.means, strict=True)
            ),
            texts.EVAL_TOO_FEW_ANSWERS.format(k=k) if summary is None else "",
        )
    )
    sc = texts.EVAL_SHIFT_COLUMNS
    sections.append(
        ReportSection(
            "shifts",
            texts.EVAL_SHIFT_HEADING,
            texts.EVAL_SHIFT_INTRO.format(k=k),
            (sc["topic"], sc["people"], sc["goals"], sc["reflections"]),
            tuple(
                (
                    labels.get(s.topic, s.topic),
                    str(s.people),
                    _share(s.goals_share),
                    _share(s.reflections_share),
                )
                for s in evaluation.shifts
            ),
            "" if evaluation.shifts else texts.EVAL_TOO_FEW_TOPICS.format(k=k),
        )
    )
    return sections


def evaluation_pdf(
    programme: str, on: date, evaluation: Evaluation, labels: Mapping[str, str]
) -> bytes:
    """Return the evaluation report as PDF: title, programme, date, the k rule, the tables."""
    # fpdf2 takes a quarter of a second to import: only a command that writes a PDF pays it.
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class _Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 8, f"{self.page_no()}/{{nb}}", align="C")

    pdf = _Pdf(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(pdf_safe(texts.EVAL_REPORT_TITLE))
    pdf.set_lang("de-DE")
    pdf.set_creation_date(_datetime_of(on))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    width = pdf.epw

    def block(text: str, size: float, style: str = "", height: float = 6) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, height, pdf_safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    block(texts.EVAL_REPORT_TITLE, 18, "B", 9)
    block(texts.EVAL_REPORT_PROGRAMME.format(programme=programme), 11)
    block(texts.EVAL_REPORT_DATE.format(date=on.strftime("%d.%m.%Y")), 11)
    block(texts.EVAL_TANDEMS.format(n=evaluation.tandems), 11)
    pdf.ln(2)
    block(texts.EVAL_K_RULE.format(k=evaluation.k), 10)
    for section in report_sections(evaluation, labels):
        pdf.ln(4)
        block(section.heading, 13, "B", 7)
        if section.intro:
            block(section.intro, 10)
        if section.withheld:
            block(section.withheld, 11, "I")
            continue
        pdf.set_font("Helvetica", "", 10)
        with pdf.table(text_align="LEFT", line_height=6) as table:
            header = table.row()
            for column in section.columns:
                header.cell(pdf_safe(column))
            for values in section.rows:
                row = table.row()
                for value in values:
                    row.cell(pdf_safe(value))
    return bytes(pdf.output())


def _datetime_of(on: date) -> datetime:
    """Midnight UTC of ``on``: the report's creation date (same day, same bytes)."""
    return datetime(on.year, on.month, on.day, tzinfo=UTC)
