"""The coordinator's exports: theme table (CSV), evaluation report (HTML), tables (CSV, XLSX).

The plain tables are the published tandems or groups. Pure functions over ``ThemeClusters``
and rows of values; no Streamlit, no storage. Only
aggregates leave the theme exports: labels, keywords, counts, and the masked representative
sentences of clusters with at least ``k`` distinct people (checked here again, whatever the
caller passed). Every string that may come from participants' words is escaped with
``html.escape`` in the HTML and defused against spreadsheet formulas in CSV and XLSX.
"""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from assistant import texts
from assistant.domain import Programme
from assistant.nlp.text import fold
from assistant.policy import may_show_sentences
from assistant.themes import OTHER_ID, ThemeClusters

__all__ = [
    "ClusterRow",
    "cluster_csv",
    "cluster_rows",
    "defuse_cell",
    "evaluation_html",
    "file_slug",
    "mapping_label",
    "table_csv",
    "table_xlsx",
]

EMERGING_LABEL = texts.THEME_MAPPING_NEW
OTHER_LABEL = texts.THEME_OTHER
CSV_COLUMNS = ("Thema", "Stichworte", "Personen", "Einträge", "Zuordnung", "Beispielsätze")
KIND_LABELS = {
    "reverse": "Reverse Mentoring",
    "cross": "Cross-Mentoring",
    "peer_group": "Peer-Group-Mentoring",
    "tandem": "Tandem-Mentoring",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ClusterRow:
    """One line of the cluster table: what a coordinator may see of a theme."""

    cluster_id: str
    label: str
    keywords: tuple[str, ...]
    participants: int
    entries: int
    mapping: str
    emerging: bool
    sentences: tuple[str, ...]


def mapping_label(cluster_id: str, topic: str | None, labels: Mapping[str, str]) -> str:
    """Return a cluster's "Zuordnung": pool topic label, "neu" or "Sonstiges"."""
    if topic is not None:
        return labels.get(topic, topic)
    return OTHER_LABEL if cluster_id == OTHER_ID else EMERGING_LABEL


def cluster_rows(
    themes: ThemeClusters, topic_labels: Mapping[str, str], k: int
) -> list[ClusterRow]:
    """Rows of the cluster table in the clusterer's order (largest first, "Sonstiges" last).

    Sentences of clusters with fewer than ``k`` distinct people are dropped.
    """
    return [
        ClusterRow(
            cluster_id=c.id,
            label=c.label,
            keywords=c.keywords,
            participants=c.size,
            entries=c.n_entries,
            mapping=mapping_label(c.id, c.topic, topic_labels),
            emerging=c.emerging,
            sentences=c.sentences if may_show_sentences(c.size, k) else (),
        )
        for c in themes.clusters
    ]


def file_slug(name: str) -> str:
    """Return a download file name part for ``name``: "Frauen in Führung" → "frauen-in-fuehrung".

    Umlauts and ß are spelled out before anything else is dropped, so no letter is lost
    (issue #14: "f-hrung"); ``"programm"`` when nothing is left.
    """
    ascii_only = unicodedata.normalize("NFKD", fold(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-") or "programm"


def defuse_cell(value: str) -> str:
    """Defuse spreadsheet formulas: a leading = + - @ would run in Excel or LibreOffice."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def cluster_csv(rows: Sequence[ClusterRow]) -> bytes:
    """Return the cluster table as CSV for German Excel: UTF-8 with BOM, ";" separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                defuse_cell(row.label),
                defuse_cell(", ".join(row.keywords)),
                row.participants,
                row.entries,
                defuse_cell(row.mapping),
                defuse_cell(" | ".join(row.sentences)),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


Cell = str | int | float


def _csv_cell(value: Cell) -> str | int:
    """Return a cell for German Excel: text defused, a decimal with a comma (0,86)."""
    if isinstance(value, str):
        return defuse_cell(value)
    if isinstance(value, float):
        return format(value, "g").replace(".", ",")
    return value


def table_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """Return a table as CSV for German Excel: UTF-8 with BOM, ";" separated, decimal comma."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([defuse_cell(h) for h in header])
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def table_xlsx(header: Sequence[str], rows: Sequence[Sequence[Cell]], sheet: str) -> bytes:
    r"""Return a table as an XLSX workbook with one sheet: bold header, every string a text cell.

    Parameters
    ----------
    sheet : str
        The sheet's name; characters Excel forbids (``[]:*?/\\``) are dropped, 31 at most.
    """
    from openpyxl import Workbook  # imported here: only the export needs it
    from openpyxl.styles import Font

    book = Workbook()
    page = book.active
    assert page is not None  # a new workbook has its one sheet
    page.title = re.sub(r"[\[\]:*?/\\]", "", sheet)[:31] or "Tabelle"
    page.append(list(header))
    for row in rows:
        page.append(list(row))
    for line in page.iter_rows():
        for cell in line:
            if cell.data_type == "f":  # openpyxl takes a string starting with "=" as a formula
                cell.data_type = "s"  # a text cell: shown as written, never run
    for cell in page[1]:
        cell.font = Font(bold=True)
    for column in page.columns:
        width = max(len(str(c.value or "")) for c in column)
        page.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    page.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _period_table(
    over_time: Sequence[tuple[str, str, int]], labels: Mapping[str, str]
) -> list[str]:
    periods = sorted({p for p, _, _ in over_time})
    clusters = list(dict.fromkeys(c for _, c, _ in sorted(over_time, key=lambda r: r[1])))
    counts = {(p, c): n for p, c, n in over_time}
    out = [
        "<table>",
        "<caption>Einträge je Thema und Zeitraum</caption>",
        "<thead><tr><th scope='col'>Thema</th>"
        + "".join(f"<th scope='col'>{_e(p)}</th>" for p in periods)
        + "</tr></thead><tbody>",
    ]
    for c in clusters:
        cells = "".join(f"<td>{counts.get((p, c), 0)}</td>" for p in periods)
        out.append(f"<tr><th scope='row'>{_e(labels.get(c, c))}</th>{cells}</tr>")
    out.append("</tbody></table>")
    return out


_STYLE = """
body { font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
h1, h2 { color: #00294d; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: bold; margin-bottom: .25rem; }
th, td { border: 1px solid #6b6b6b; padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #e8eef4; }
.note { font-size: .95rem; color: #333; }
"""


def evaluation_html(
    programme: Programme,
    themes: ThemeClusters,
    topic_labels: Mapping[str, str],
    over_time: Sequence[tuple[str, str, int]],
    *,
    k: int,
    generated_on: date,
) -> str:
    """Return a short, self-contained German HTML report of a programme's themes.

    Parameters
    ----------
    topic_labels : mapping of str to str
        German labels of the pool topics.
    over_time : sequence of (period, cluster id, entries)
        As ``Assistant.themes_over_time`` returns it.
    k : int
        Representative sentences appear only for clusters of at least ``k`` distinct people.
    """
    rows = cluster_rows(themes, topic_labels, k)
    labels = {r.cluster_id: r.label for r in rows}
    span = " – ".join(d.strftime("%d.%m.%Y") for d in (programme.starts_on, programme.ends_on) if d)
    out = [
        "<!DOCTYPE html>",
        '<html lang="de">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Themenauswertung – {_e(programme.name)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>Themenauswertung: {_e(programme.name)}</h1>",
        "<p>"
        + _e(KIND_LABELS.get(programme.kind, programme.kind))
        + (f", Laufzeit {_e(span)}" if span else "")
        + f". Stand: {generated_on.strftime('%d.%m.%Y')}.</p>",
        "<h2>Überblick</h2>",
    ]
    if themes.too_few:
        out.append(
            f"<p>Zu wenige Texte für eine Auswertung ({themes.n_entries} verwertbare Einträge).</p>"
        )
    else:
        n_emerging = sum(r.emerging for r in rows)
        out.append(
            "<ul>"
            f"<li>{_e(texts.REPORT_ENTRIES.format(n=themes.n_entries))}</li>"
            "<li>"
            + _e(
                texts.REPORT_THEMES.format(
                    themes=sum(r.mapping != OTHER_LABEL for r in rows), emerging=n_emerging
                )
            )
            + "</li><li>"
            + _e(
                texts.REPORT_SET_ASIDE.format(
                    boilerplate=themes.n_boilerplate, duplicates=themes.n_duplicates
                )
            )
            + "</li></ul>"
        )
        out += [
            "<h2>Themen</h2>",
            "<table>",
            "<caption>Themen des Programms, nach Zahl der Personen</caption>",
            "<thead><tr>"
            + "".join(
                f"<th scope='col'>{_e(h)}</th>"
                for h in ("Thema", "Stichworte", "Personen", "Einträge", "Zuordnung")
            )
            + "</tr></thead><tbody>",
        ]
        for r in rows:
            out.append(
                f"<tr><th scope='row'>{_e(r.label)}</th><td>{_e(', '.join(r.keywords))}</td>"
                f"<td>{r.participants}</td><td>{r.entries}</td><td>{_e(r.mapping)}</td></tr>"
            )
        out.append("</tbody></table>")
        with_sentences = [r for r in rows if r.sentences]
        if with_sentences:
            out.append("<h2>Typische Formulierungen</h2>")
            for r in with_sentences:
                out.append(f"<h3>{_e(r.label)}</h3><ul>")
                out += [f"<li>„{_e(s)}“</li>" for s in r.sentences]
                out.append("</ul>")
        if over_time:
            out.append("<h2>Themen im Zeitverlauf</h2>")
            out += _period_table(over_time, labels)
    out += [
        "<h2>Datenschutz</h2>",
        "<p class='note'>Ausgewertet wurden nur Einträge von Teilnehmenden, die der Auswertung "
        "zugestimmt haben. Der Bericht enthält keine Namen und keine Kennungen von Personen. "
        "Formulierungen sind maskiert (Namen, E-Mail-Adressen, Telefonnummern) und erscheinen "
        f"nur bei Themen, die mindestens {k} Personen genannt haben.</p>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"
