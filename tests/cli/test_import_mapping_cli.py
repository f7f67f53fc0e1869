"""``assistant import --mapping forms|limesurvey|MAP.yaml [--dry-run]`` (issue #14, item 3)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.invoke import in_process, via_script
from tests.conftest import FIXTURES

FORMS = FIXTURES / "forms_export.csv"
PROGRAMME = "Formularprogramm"


@pytest.fixture
def env(cli_env, tmp_path):
    return dict(cli_env, ASSISTANT_DB_URL=f"sqlite:///{tmp_path / 'db.sqlite'}")


def _entries(tmp_path: Path) -> int:
    path = tmp_path / "db.sqlite"
    if not path.exists():
        return 0
    with sqlite3.connect(path) as con:
        return int(con.execute("select count(*) from entries").fetchone()[0])


def test_dry_run_prints_the_mapped_rows_as_json_and_writes_nothing(console_script, env, tmp_path):
    code, out, err = via_script(
        console_script, env, "import", str(FORMS), "--programme", PROGRAMME,
        "--mapping", "forms", "--dry-run", "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["dry_run"] is True and data["mapping"] == "forms" and data["rejected"] == []
    rows = {(r["participant_id"], r["kind"]): r for r in data["rows"]}
    assert sorted(rows) == [
        ("fm-01", "goal"),
        ("fm-01", "reflection"),
        ("fm-02", "offer"),
        ("fm-03", "goal"),
        ("fm-03", "offer"),
    ]
    first = rows[("fm-01", "goal")]
    assert (first["role"], first["created_at"], first["programme"]) == (
        "mentee",
        "2026-02-03",
        PROGRAMME,
    )
    assert (first["consent_analysis"], first["consent_matching"]) == (True, True)
    assert rows[("fm-03", "goal")]["age_band"] == "60+"
    assert _entries(tmp_path) == 0


def test_dry_run_text_lists_rows_and_exits_1_for_invalid_ones(env, tmp_path):
    code, out, _ = in_process(
        env, "import", str(FORMS), "--programme", PROGRAMME, "--mapping", "forms", "--dry-run"
    )
    assert code == 0
    assert out.splitlines()[0] == "Probelauf, nichts gespeichert: 5 gültige Einträge, 0 abgelehnt."
    assert "Zeile 2: fm-01 | mentee | goal | 2026-02-03 | Einwilligung 1/1 | Ich möchte" in out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(FORMS.read_bytes().replace(b"Mentor:in", b"Chefin"))
    code, out, err = in_process(
        env, "import", str(bad), "--programme", PROGRAMME, "--mapping", "forms", "--dry-run"
    )
    assert code == 1 and "1 abgelehnt" in out and "line 3: role must be one of" in err
    assert _entries(tmp_path) == 0


def test_import_with_the_forms_mapping_is_idempotent(env):
    args = ("import", str(FORMS), "--programme", PROGRAMME, "--mapping", "forms", "--json")
    code, out, err = in_process(env, *args)
    assert code == 0, err
    assert json.loads(out)["imported"] == 5
    code, out, _ = in_process(env, *args)
    assert (json.loads(out)["imported"], json.loads(out)["unchanged"]) == (0, 5)


def test_import_with_an_adapted_mapping_file(env, tmp_path):
    """A coordinator's form asks other questions: a copy of forms.yaml with their texts."""
    text = FORMS.read_text(encoding="utf-8-sig").replace(
        "Was möchten Sie im Programm erreichen?", "Welches Ziel haben Sie?"
    )
    export = tmp_path / "unser-formular.csv"
    export.write_text(text, encoding="utf-8")
    ready = Path(__file__).resolve().parents[2] / "assistant/importing/mappings/forms.yaml"
    own = tmp_path / "unser-formular.yaml"
    own.write_text(
        ready.read_text(encoding="utf-8").replace(
            '"Was möchten Sie im Programm erreichen?": goal', '"Welches Ziel haben Sie": goal'
        ),
        encoding="utf-8",
    )
    code, out, err = in_process(
        env, "import", str(export), "--programme", PROGRAMME, "--mapping", str(own), "--json"
    )
    assert code == 0, err
    assert json.loads(out)["imported"] == 5


def test_import_without_a_consent_column_is_refused(env, tmp_path):
    header, *rows = FORMS.read_text(encoding="utf-8-sig").splitlines()
    export = tmp_path / "ohne-einwilligung.csv"
    header = header.replace("Ich willige in die Auswertung meiner Texte ein", "Anmerkung")
    export.write_text("\n".join([header, *rows]), encoding="utf-8")
    code, _, err = in_process(
        env, "import", str(export), "--programme", PROGRAMME, "--mapping", "forms"
    )
    assert code == 1 and "no column for consent_analysis" in err
    assert "consent is never assumed" in err
    assert _entries(tmp_path) == 0


def test_unknown_mapping_is_a_usage_error(env, tmp_path):
    code, _, err = in_process(env, "import", str(FORMS), "--mapping", str(tmp_path / "nix.yaml"))
    assert code == 2 and "--mapping takes auto, forms, limesurvey or a YAML file" in err


def test_forms_export_without_a_mapping_is_refused_as_before(env):
    code, _, err = in_process(env, "import", str(FORMS), "--programme", PROGRAMME)
    assert code == 1 and "unknown column(s): ID, Startzeit" in err


def test_auto_mapping_recognises_german_headers_of_an_excel_csv(env, tmp_path):
    export = tmp_path / "excel.csv"
    lines = [
        "Teilnehmer-ID;Rolle;Behörde;Einwilligung Analyse;Einwilligung Matching;Art;Text;Datum",
        "ex-01;Mentorin;Straßenmeisterei;Ja;Nein;Angebot;Ich zeige, wie Baustellen geplant "
        "werden.;02.03.2026",
    ]
    export.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    code, out, err = in_process(
        env, "import", str(export), "--programme", PROGRAMME, "--mapping", "auto", "--dry-run",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    (row,) = json.loads(out)["rows"]
    assert (row["role"], row["kind"], row["organisation"]) == (
        "mentor",
        "offer",
        "Straßenmeisterei",
    )
    assert (row["consent_analysis"], row["consent_matching"], row["created_at"]) == (
        True,
        False,
        "2026-03-02",
    )


def test_auto_mapping_imports_an_xlsx_with_german_headers(env, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Teilnehmer-ID", "Rolle", "Behörde", "Einwilligung Analyse",
                  "Einwilligung Matching", "Art", "Text"])  # fmt: skip
    sheet.append(["xl-02", "Mentee", "Stadt Nord – Kämmerei", "Ja", "Ja", "Ziel",
                  "Ich möchte lernen, Haushaltsverhandlungen sicher zu führen."])  # fmt: skip
    path = tmp_path / "teilnehmende.xlsx"
    workbook.save(path)
    code, out, err = in_process(
        env, "import", str(path), "--programme", PROGRAMME, "--mapping", "auto", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["imported"] == 1
