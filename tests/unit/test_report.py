"""report: the cluster CSV and the HTML evaluation report hold aggregates only, escaped."""

from __future__ import annotations

import csv
import io
from datetime import date

from assistant.domain import Programme
from assistant.report import (
    cluster_csv,
    cluster_rows,
    evaluation_html,
    file_slug,
    table_csv,
    table_xlsx,
)
from assistant.themes import ThemeCluster, ThemeClusters

LABELS = {"social_media": "Social Media", "conflict": "Konflikte"}
PROGRAMME = Programme(
    1, "Reverse <Mentoring> 2026", "reverse", starts_on=date(2026, 1, 12), ends_on=None
)


def _themes() -> ThemeClusters:
    anchored = ThemeCluster(
        id="social_media",
        label="Social Media",
        keywords=("Instagram", "Follower"),
        size=6,
        n_entries=8,
        topic="social_media",
        emerging=False,
        entry_ids=("e-secret-1", "e-secret-2"),
        sentences=("Mehr Follower für [Name] <script>alert(1)</script>",),
    )
    emerging = ThemeCluster(
        id="emerging-drohne",
        label='=HYPERLINK("http://x"), Drohne',
        keywords=("Drohne", "<b>Einsatz</b>"),
        size=3,
        n_entries=3,
        topic=None,
        emerging=True,
        entry_ids=("e-secret-3",),
        sentences=("Nur drei Leute schreiben über Drohnen",),
    )
    other = ThemeCluster(
        id="other",
        label="Sonstiges (2)",
        keywords=(),
        size=2,
        n_entries=2,
        topic=None,
        emerging=False,
        entry_ids=("e-secret-4",),
        sentences=(),
    )
    return ThemeClusters(
        clusters=(anchored, emerging, other),
        n_entries=13,
        n_boilerplate=1,
        n_duplicates=0,
        too_few=False,
        assignments={"e-secret-1": "social_media"},
    )


def test_rows_map_topics_and_drop_sentences_of_clusters_under_k():
    rows = cluster_rows(_themes(), LABELS, k=5)
    assert [r.mapping for r in rows] == ["Social Media", "neu", "Sonstiges"]
    assert rows[0].sentences and rows[1].sentences == ()
    assert cluster_rows(_themes(), LABELS, k=3)[1].sentences  # k decides, not the caller


def test_csv_is_excel_friendly_and_defuses_formulas():
    data = cluster_csv(cluster_rows(_themes(), LABELS, k=5))
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == ["Thema", "Stichworte", "Personen", "Einträge", "Zuordnung", "Beispielsätze"]
    assert table[1][:5] == ["Social Media", "Instagram, Follower", "6", "8", "Social Media"]
    assert table[2][0].startswith("'=HYPERLINK")
    assert table[2][5] == ""  # three people: no sentence
    assert len(table) == 4


def test_html_escapes_participant_strings_and_shows_no_ids_or_small_cluster_text():
    page = evaluation_html(
        PROGRAMME,
        _themes(),
        LABELS,
        [("2026-01", "social_media", 3), ("2026-02", "emerging-drohne", 2)],
        k=5,
        generated_on=date(2026, 3, 31),
    )
    assert page.startswith("<!DOCTYPE html>") and '<html lang="de">' in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>Einsatz</b>" not in page and "&lt;b&gt;Einsatz&lt;/b&gt;" in page
    assert "Reverse &lt;Mentoring&gt; 2026" in page
    assert "e-secret" not in page
    assert "Drohnen" not in page  # the three-person cluster's sentence stays out
    assert "Mehr Follower für [Name]" in page
    assert "31.03.2026" in page and "mindestens 5 Personen" in page
    assert "<th scope='col'>2026-02</th>" in page


def test_html_says_when_there_are_too_few_texts():
    few = ThemeClusters((), 3, 0, 0, True, {})
    page = evaluation_html(PROGRAMME, few, LABELS, [], k=5, generated_on=date(2026, 3, 31))
    assert "Zu wenige Texte" in page and "<table>" not in page


def test_table_csv_is_for_german_excel_with_decimal_commas_and_defused_cells():
    data = table_csv(("Mentee", "Passung"), [["=HYPERLINK(1)", 0.86], ["cm-01", 1]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Mentee", "Passung"], ["'=HYPERLINK(1)", "0,86"], ["cm-01", "1"]]


def test_table_xlsx_keeps_text_as_text_and_numbers_as_numbers():
    from openpyxl import load_workbook

    data = table_xlsx(("Gruppe", "Person", "Passung"), [["=1+1", "pg-01", 0.5]], "Peer:Gruppen")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "PeerGruppen"  # ":" is not allowed in a sheet name
    assert [c.value for c in sheet[1]] == ["Gruppe", "Person", "Passung"]
    assert sheet[1][0].font.bold
    formula, person, score = sheet[2]
    assert (formula.value, formula.data_type) == ("=1+1", "s")  # shown as written, never run
    assert (person.value, score.value, score.data_type) == ("pg-01", 0.5, "n")


def test_file_slug_spells_out_umlauts_and_sharp_s():
    # Issue #14: "Führung" lost its letter ("f-hrung").
    assert (
        file_slug("Cross-Mentoring Frauen in Führung 2026")
        == "cross-mentoring-frauen-in-fuehrung-2026"
    )
    assert file_slug("Größe & Übergänge: Straße") == "groesse-uebergaenge-strasse"
    assert file_slug("Café – Résumé") == "cafe-resume"
    assert file_slug("???") == "programm"


def test_html_overview_counts_agree_in_number():
    """One new theme is "1 neues", one empty entry "1 Eintrag" (no "1 Einträge")."""
    page = evaluation_html(PROGRAMME, _themes(), LABELS, [], k=5, generated_on=date(2026, 3, 31))
    assert "<li>13 ausgewertete Einträge</li>" in page
    assert "2 Themen, davon 1 neues (nicht im Themenpool)" in page
    assert "1 Eintrag ohne Inhalt" in page and "0 doppelte Einträge nicht berücksichtigt" in page
    assert "1 Einträge" not in page
