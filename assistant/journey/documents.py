"""Render a ``Document`` as PDF (fpdf2) or DOCX (python-docx); both mark a draft "Entwurf".

The PDF uses fpdf2's core font Helvetica: its Latin-1 covers German (umlauts, ß), so no font
file ships and every machine renders the same; characters outside Latin-1 (typographic
quotes, dashes, other scripts) are transliterated by ``pdf_safe``, never dropped silently.
Long texts wrap (``multi_cell``), a word longer than a line breaks inside the word.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

from assistant import texts
from assistant.journey.model import Document

__all__ = ["pdf_safe", "to_docx", "to_pdf"]

_REPLACE = str.maketrans(
    {
        "„": '"',
        "“": '"',
        "”": '"',
        "‚": "'",
        "‘": "'",
        "’": "'",
        "–": "-",
        "—": "-",
        "‑": "-",
        "…": "...",
        "•": "-",
        "€": "EUR",
        "Ł": "L",
        "ł": "l",
        "Œ": "OE",
        "œ": "oe",
        "\u202f": " ",
        "\u2009": " ",
    }
)
# Control characters break PDF strings and are not allowed in DOCX XML; tabs and newlines stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A fixed creation date: the same document gives the same bytes (tests, reproducible prints).
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def pdf_safe(text: str) -> str:
    """Return ``text`` in Latin-1 for the PDF core font: German stays, the rest transliterated.

    >>> pdf_safe("Größe „über“ – Ærø €")
    'Größe "über" - Ærø EUR'
    """
    text = _clean(text).translate(_REPLACE)
    if all(ord(c) < 256 for c in text):
        return text
    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
            continue
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(plain if plain and all(ord(c) < 256 for c in plain) else "?")
    return "".join(out)


def _new_pdf(draft: bool) -> Any:
    """Return an A4 portrait FPDF with the draft mark on every page and page numbers."""
    # fpdf2 takes a quarter of a second to import: only a command that writes a PDF pays it.
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class _Pdf(FPDF):
        def header(self) -> None:
            if draft:
                self.set_font("Helvetica", "B", 10)
                self.set_text_color(180, 0, 0)
                self.cell(0, 6, pdf_safe(texts.DRAFT_HEADER), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                self.set_text_color(0, 0, 0)
                self.ln(2)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 8, f"{self.page_no()}/{{nb}}", align="C")

    return _Pdf(orientation="portrait", unit="mm", format="A4")


def to_pdf(document: Document) -> bytes:
    """Return the PDF of ``document`` (A4, Helvetica, wrapped texts, "Entwurf" on each page)."""
    from fpdf.enums import XPos, YPos

    pdf = _new_pdf(document.draft)
    pdf.set_title(pdf_safe(document.title))
    pdf.set_lang("de-DE")
    pdf.set_creation_date(_EPOCH)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    width = pdf.epw

    def block(text: str, size: float, style: str = "", height: float = 6) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, height, pdf_safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    title = document.title
    if document.draft:
        title = f"{title} ({texts.AGREEMENT_DRAFT_MARK})"
    block(title, 18, "B", 9)
    block(document.subtitle, 10)
    for section in document.sections:
        pdf.ln(3)
        block(section.heading, 13, "B", 7)
        for paragraph in section.paragraphs:
            block(paragraph, 11)
        for item in section.items:
            pdf.set_x(pdf.l_margin + 4)
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(width - 4, 6, pdf_safe(f"- {item}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def to_docx(document: Document) -> bytes:
    """Return the DOCX of ``document``; a draft carries the mark under its title."""
    from docx import Document as new_docx
    from docx.shared import Pt, RGBColor

    doc = new_docx()
    doc.core_properties.title = _clean(document.title)
    doc.core_properties.language = "de-DE"
    doc.core_properties.created = _EPOCH.replace(tzinfo=None)
    title = document.title
    if document.draft:
        title = f"{title} ({texts.AGREEMENT_DRAFT_MARK})"
    doc.add_heading(_clean(title), level=0)
    if document.draft:
        run = doc.add_paragraph().add_run(texts.DRAFT_HEADER)
        run.bold = True
        run.font.color.rgb = RGBColor(0xB4, 0, 0)
        for part in doc.sections:
            header = part.header.paragraphs[0]
            header.text = texts.DRAFT_HEADER
    doc.add_paragraph(_clean(document.subtitle)).runs[0].font.size = Pt(10)
    for section in document.sections:
        doc.add_heading(_clean(section.heading), level=1)
        for paragraph in section.paragraphs:
            doc.add_paragraph(_clean(paragraph))
        for item in section.items:
            doc.add_paragraph(_clean(item), style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
