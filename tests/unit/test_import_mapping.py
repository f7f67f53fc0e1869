"""Column mapping (issue #14, item 3): Forms, LimeSurvey, German Excel and German headers import."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from assistant import texts
from assistant.errors import AccessDenied, ImportRejectedError, InvalidEntryError
from assistant.importer import parse_file
from assistant.importing.mapping import (
    ColumnMapping,
    bind,
    detect_mapping,
    header_key,
    load_mapping,
    mapping_yaml,
    ready_mapping,
)
from assistant.importing.table import decode, sniff_delimiter
from assistant.policy import Principal, operator
from tests.conftest import FIXTURES
from tests.unit.privacy_support import dispose_engines, make_assistant, stores_of

pytestmark = pytest.mark.postgres  # imports through the facade: also on PostgreSQL

OPERATOR = operator("cli:test")
PROGRAMME = "Formularprogramm"
TODAY = date(2026, 6, 1)
FORMS = FIXTURES / "forms_export.csv"
ROOT = Path(__file__).resolve().parents[2]
GERMAN_HEADER = [
    "Teilnehmer-ID",
    "Rolle",
    "Behörde",
    "Altersgruppe",
    "Einwilligung Analyse",
    "Einwilligung Matching",
    "Art",
    "Text",
    "Datum",
]
GERMAN_ROWS = [
    ["de-01", "Mentee", "Straßenbauamt Süd", "30-39", "Ja", "Nein", "Ziel",
     "Ich möchte lernen, Verhandlungen mit Baufirmen souverän zu führen.", "12.03.2026"],
    ["de-02", "Mentor", "Ministerium für Übergänge", "50-59", "Ja", "Ja", "Angebot",
     "Ich kann Erfahrungen aus Großprojekten und deren Öffentlichkeitsarbeit weitergeben.",
     "13.03.2026"],
]  # fmt: skip


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    yield make_assistant(hashing_assistant, tmp_path / "data")
    dispose_engines()


def _write(path: Path, header: list[str], rows: list[list[str]], **how: str) -> Path:
    encoding, delimiter = how.get("encoding", "utf-8"), how.get("delimiter", ",")
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _forms_rows() -> tuple[list[str], list[list[str]]]:
    with FORMS.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _result(engine, programme: str) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
    """What an import stored: entries and people (roles, consents) of ``programme``."""
    stores = stores_of(engine)
    prog = stores.programmes.get(programme)
    entries = {
        (e.participant_id, e.kind, e.text, e.created_at)
        for e in stores.entries.of_programme(prog.id)
    }
    people = {
        (p.id, p.role, p.organisation, p.age_band, p.consent_analysis, p.consent_matching)
        for p in stores.programmes.participants_of(prog.id)
    }
    return entries, people


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Was möchten Sie im Programm erreichen?", "was möchten sie im programm erreichen"),
        ("  3. Was möchten Sie im Programm erreichen ?  ", "was möchten sie im programm erreichen"),
        ("Teilnehmer-ID", "teilnehmer id"),
        ("teilnehmer_id", "teilnehmer id"),
        ("Ihre\xa0Behörde:", "ihre behörde"),
    ],
)
def test_header_key_ignores_case_blanks_punctuation_and_numbering(header, key):
    assert header_key(header) == key


def test_detect_mapping_recognises_german_header_names():
    detected = detect_mapping(GERMAN_HEADER)
    assert detected.columns == {
        "Teilnehmer-ID": "participant_id",
        "Rolle": "role",
        "Behörde": "organisation",
        "Altersgruppe": "age_band",
        "Einwilligung Analyse": "consent_analysis",
        "Einwilligung Matching": "consent_matching",
        "Art": "kind",
        "Text": "text",
        "Datum": "created_at",
    }
    assert not detected.is_wide


def test_detect_mapping_picks_the_forms_mapping_for_a_forms_export():
    header, _ = _forms_rows()
    numbered = [f"{n}. {h}" if n > 5 else h for n, h in enumerate(header)]  # Forms' numbering
    detected = detect_mapping(numbered)
    assert detected.name == "forms"
    bound = bind(detected, numbered)
    assert sorted(bound.answers.values()) == ["goal", "offer", "reflection"]
    assert bound.missing() == ([], []) and bound.unmatched == ()


def test_forms_export_imports_like_the_equivalent_long_file(hashing_assistant, tmp_path):
    long_engine = make_assistant(hashing_assistant, tmp_path / "long")
    long_engine.import_file(OPERATOR, FIXTURES / "forms_as_long.csv", programme=PROGRAMME)
    expected = _result(long_engine, PROGRAMME)
    dispose_engines()
    forms_engine = make_assistant(hashing_assistant, tmp_path / "forms")
    report = forms_engine.import_file(
        OPERATOR, FORMS, programme=PROGRAMME, mapping=ready_mapping("forms")
    )
    try:
        assert report.imported == 5 and report.rejected == []
        assert _result(forms_engine, PROGRAMME) == expected
        # fm-02 said no to matching, fm-03 no to analysis: taken from the form, never assumed
        people = {p[0]: p[4:] for p in expected[1]}
        assert people == {
            "fm-01": (True, True),
            "fm-02": (True, False),
            "fm-03": (False, True),
        }
        again = forms_engine.import_file(
            OPERATOR, FORMS, programme=PROGRAMME, mapping=ready_mapping("forms")
        )
        assert (again.imported, again.unchanged) == (0, 5)  # entry ids from person + kind
    finally:
        dispose_engines()


def test_forms_entry_ids_follow_person_and_kind_so_a_changed_answer_keeps_its_id(tmp_path):
    header, body = _forms_rows()
    first = parse_file(FORMS, programme=PROGRAMME, mapping=ready_mapping("forms"), today=TODAY)
    body[0][11] = "Ein ganz anderes Ziel, später im Formular geändert und neu exportiert."
    path = _write(tmp_path / "changed.csv", header, body)
    second = parse_file(path, programme=PROGRAMME, mapping=ready_mapping("forms"), today=TODAY)
    before = {(r.participant_id, r.kind): r.entry_id for r in first.rows}
    after = {(r.participant_id, r.kind): r.entry_id for r in second.rows}
    assert before == after and len(set(before.values())) == 5


def test_windows_1252_semicolon_csv_with_umlauts_imports(engine, tmp_path):
    path = tmp_path / "excel_de.csv"
    lines = [";".join(GERMAN_HEADER), *(";".join(r) for r in GERMAN_ROWS)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    mapping = detect_mapping(GERMAN_HEADER)
    report = engine.import_file(OPERATOR, path, programme=PROGRAMME, mapping=mapping)
    assert report.imported == 2 and report.rejected == []
    entries, people = _result(engine, PROGRAMME)
    assert ("de-02", "mentor", "Ministerium für Übergänge", "50-59", True, True) in people
    assert ("de-01", "mentee", "Straßenbauamt Süd", "30-39", True, False) in people
    assert {text for _, _, text, _ in entries} == {GERMAN_ROWS[0][7], GERMAN_ROWS[1][7]}
    assert {when for *_, when in entries} == {date(2026, 3, 12), date(2026, 3, 13)}


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Behörde;Maß\n".encode("cp1252"), "Behörde;Maß\n"),
        ("\ufeffBehörde;Maß\n".encode(), "Behörde;Maß\n"),
        ("Behörde;Maß\n".encode(), "Behörde;Maß\n"),
        ("Behörde\tMaß\n".encode("utf-16"), "Behörde\tMaß\n"),
    ],
)
def test_decode_reads_utf8_with_and_without_bom_windows_1252_and_utf16(raw, text):
    assert decode(raw, "x.csv") == text


def test_decode_refuses_a_utf8_file_with_a_broken_byte_and_names_the_line():
    raw = "a;b\nFührung;ü\nm".encode() + "öchte\n".encode("latin-1")
    with pytest.raises(InvalidEntryError) as caught:
        decode(raw, "mixed.csv")
    assert caught.value.code == "bad_encoding" and caught.value.params["line"] == "3"


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ('a;b;c\n1;"Text, mit Komma";3\n', ";"),
        ("a\tb\tc\n1\t2,5\t3\n", "\t"),
    ],
)
def test_sniff_delimiter_finds_comma_semicolon_and_tab(text, delimiter):
    assert sniff_delimiter(text) == delimiter


def test_xlsx_with_german_headers_imports(engine, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(GERMAN_HEADER)
    for row in GERMAN_ROWS:
        sheet.append(row)
    path = tmp_path / "teilnehmende.xlsx"
    workbook.save(path)
    mapping = detect_mapping(GERMAN_HEADER)
    report = engine.import_file(OPERATOR, path, programme=PROGRAMME, mapping=mapping)
    assert report.imported == 2
    _, people = _result(engine, PROGRAMME)
    assert {p[1] for p in people} == {"mentee", "mentor"}


def test_missing_consent_column_is_refused_and_nothing_is_written(engine, tmp_path):
    header, body = _forms_rows()
    drop = header.index("Ich willige in die Vermittlung eines Tandems ein")
    path = _write(
        tmp_path / "ohne.csv",
        [h for i, h in enumerate(header) if i != drop],
        [[c for i, c in enumerate(r) if i != drop] for r in body],
    )
    with pytest.raises(InvalidEntryError) as caught:
        engine.import_file(OPERATOR, path, programme=PROGRAMME, mapping=ready_mapping("forms"))
    assert caught.value.code == "missing_consent"
    assert caught.value.params["fields"] == "consent_matching"
    assert stores_of(engine).programmes.get(PROGRAMME) is None
    german = texts.import_problem(caught.value.code, caught.value.params, str(caught.value))
    assert "Einwilligung Vermittlung" in german and "nie angenommen" in german


def test_a_mapping_may_not_assume_consent():
    with pytest.raises(InvalidEntryError, match="consent is never assumed") as caught:
        load_mapping("columns: {Kennung: participant_id}\nconstants: {consent_analysis: 'true'}\n")
    assert caught.value.code == "bad_mapping"


def test_mapping_yaml_round_trips_and_unknown_fields_are_refused():
    forms = ready_mapping("forms")
    assert load_mapping(mapping_yaml(forms)) == forms
    with pytest.raises(InvalidEntryError, match="unknown field 'vorname'"):
        load_mapping("columns: {Name: vorname}\n")
    with pytest.raises(InvalidEntryError, match="Available: forms, limesurvey"):
        ready_mapping("typeform")


def test_limesurvey_export_with_codes_imports(tmp_path):
    header = [
        "id",
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "kennung",
        "rolle",
        "behoerde",
        "alter",
        "einwanalyse",
        "einwmatching",
        "ziel",
        "angebot",
        "reflexion",
    ]
    body = [
        ["7", "2026-04-02 10:11:12", "3", "de", "123", "ls-07", "A2", "Finanzamt Ost", "A4",
         "Y", "N", "", "Ich biete Einblicke in Steuerverwaltung und Teamführung an.", ""],
    ]  # fmt: skip
    path = _write(tmp_path / "results-survey123.csv", header, body)
    parsed = parse_file(path, programme=PROGRAMME, mapping=ready_mapping("limesurvey"))
    assert parsed.rejects == []
    (row,) = parsed.rows
    assert (row.participant_id, row.role, row.age_band, row.kind) == (
        "ls-07",
        "mentor",
        "50-59",
        "offer",
    )
    assert (row.consent_analysis, row.consent_matching) == (True, False)
    assert row.created_at == date(2026, 4, 2)


def test_mapped_row_naming_another_programme_is_refused_in_german(tmp_path):
    header = ["Programm", *GERMAN_HEADER]
    path = _write(tmp_path / "zwei.csv", header, [["Anderes Programm", *GERMAN_ROWS[0]]])
    parsed = parse_file(path, programme=PROGRAMME, mapping=detect_mapping(header), today=TODAY)
    assert parsed.rows == [] and len(parsed.rejects) == 1
    code, params = parsed.reasons[2]
    assert code == "other_programme"
    german = texts.import_problem(code, params)
    assert "„Anderes Programm“" in german and f"„{PROGRAMME}“" in german


def test_preview_writes_nothing(engine):
    parsed = engine.preview_import(
        OPERATOR, FORMS, programme=PROGRAMME, mapping=ready_mapping("forms")
    )
    assert len(parsed.rows) == 5
    assert stores_of(engine).programmes.get(PROGRAMME) is None


def test_saved_mapping_is_reused_and_saving_is_checked_and_audited(engine):
    engine.import_file(OPERATOR, FIXTURES / "forms_as_long.csv", programme=PROGRAMME)
    assert engine.import_mapping(OPERATOR, PROGRAMME) is None
    own = ColumnMapping(name="unser-formular", columns={"Kennung": "participant_id"},
                        answers={"Ziel?": "goal"})  # fmt: skip
    engine.save_import_mapping(OPERATOR, PROGRAMME, own)
    assert engine.import_mapping(OPERATOR, PROGRAMME) == own
    prog = stores_of(engine).programmes.get(PROGRAMME)
    kept = engine.settings.data_path / "mappings" / f"programme-{prog.id}.yaml"
    assert kept.stat().st_mode & 0o777 == 0o600  # owner-only like the whole data folder
    row = stores_of(engine).audit.rows()[0]
    assert (row.action, row.detail["mapping_saved"]) == ("programme.import", "unser-formular")
    other = Principal("c2", "coordinator", programmes=frozenset({"Anderes"}))
    with pytest.raises(AccessDenied):
        engine.save_import_mapping(other, PROGRAMME, own)


def test_every_row_problem_code_the_importer_raises_has_german_words():
    source = (ROOT / "assistant" / "importer.py").read_text(encoding="utf-8")
    source += (ROOT / "assistant" / "importing" / "table.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'RowError\(\s*"([a-z_]+)"', source)) - {"invalid"}
    assert codes and codes <= set(texts.IMPORT_ROW_PROBLEMS)
    files = set(re.findall(r'"([a-z_]+)",\n\s*\{"name"', source))
    assert files <= set(texts.IMPORT_FILE_PROBLEMS)


def test_rejected_import_carries_codes_for_german_reasons(engine, tmp_path):
    header, body = _forms_rows()
    body[1][6] = "Chef"
    path = _write(tmp_path / "rolle.csv", header, body)
    with pytest.raises(ImportRejectedError) as caught:
        engine.import_file(OPERATOR, path, programme=PROGRAMME, mapping=ready_mapping("forms"))
    code, params = caught.value.reasons[3]
    assert texts.import_problem(code, params) == (
        "Unbekannte Rolle „chef“: möglich sind Mentee, Mentor:in und Peer."
    )
