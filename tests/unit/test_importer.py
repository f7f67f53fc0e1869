"""The importer: the column contract and the membership columns capacity, level and email."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from assistant.importer import (
    COLUMNS,
    EXTRA_COLUMNS,
    REQUIRED,
    MembershipFields,
    membership_fields,
    parse_file,
    write_rejects,
)

TODAY = date(2026, 6, 1)
HEADER = [*COLUMNS, "capacity", "level", "email"]


def row(pid: str, entry: str, *, programme: str = "P", **extra: str) -> dict[str, str]:
    return {
        "programme": programme,
        "participant_id": pid,
        "role": "mentor",
        "organisation": "Stadt A",
        "age_band": "50-59",
        "consent_analysis": "true",
        "consent_matching": "true",
        "entry_id": entry,
        "kind": "offer",
        "text": f"Ich begleite gern eine Mentee beim Einstieg in die Führung ({entry}).",
        "created_at": "2026-03-01",
        "group": "",
        **extra,
    }


def write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_importer_base_columns_and_required_stay_the_contract():
    assert COLUMNS == (
        "programme",
        "participant_id",
        "role",
        "organisation",
        "age_band",
        "consent_analysis",
        "consent_matching",
        "entry_id",
        "kind",
        "text",
        "created_at",
        "group",
    )
    assert REQUIRED == (
        "participant_id",
        "role",
        "kind",
        "text",
        "consent_analysis",
        "consent_matching",
    )
    assert EXTRA_COLUMNS == ("stage", "given_name", "capacity", "level", "email")


def test_importer_reads_valid_membership_values(tmp_path):
    path = write(
        tmp_path / "in.csv",
        [
            row("m1", "e1", capacity="2", level="3", email="m1@example.org"),
            row("m2", "e2", capacity="0", level="-1"),  # 0: takes nobody this round
            row("m3", "e3"),  # nothing given: no rule
        ],
    )
    parsed = parse_file(path, today=TODAY)
    assert parsed.rejects == []
    got = [(r.capacity, r.level, r.email) for r in parsed.rows]
    assert got == [(2, 3, "m1@example.org"), (0, -1, None), (None, None, None)]


def test_importer_reads_numbers_from_jsonl_and_xlsx_cells(tmp_path):
    from openpyxl import Workbook

    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(json.dumps({**row("m1", "e1"), "capacity": 2, "level": 4.0}), "utf-8")
    [from_json] = parse_file(jsonl, today=TODAY).rows
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([*row("m1", "e1").values(), 2.0, 4, "m1@example.org"])
    book.save(tmp_path / "in.xlsx")
    [from_xlsx] = parse_file(tmp_path / "in.xlsx", today=TODAY).rows
    assert (from_json.capacity, from_json.level) == (2, 4)
    assert (from_xlsx.capacity, from_xlsx.level, from_xlsx.email) == (2, 4, "m1@example.org")


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("capacity", "-1", "capacity must be a whole number from 0 to 999, got '-1'"),
        ("capacity", "1.5", "capacity must be a whole number from 0 to 999, got '1.5'"),
        ("capacity", "abc", "capacity must be a whole number from 0 to 999, got 'abc'"),
        ("capacity", "1000", "capacity must be a whole number from 0 to 999, got '1000'"),
        (
            "capacity",
            "9" * 5000,
            f"capacity must be a whole number from 0 to 999, got '{'9' * 20}'",
        ),
        ("level", "x", "level must be a whole number from -999 to 999, got 'x'"),
        ("level", "2.5", "level must be a whole number from -999 to 999, got '2.5'"),
        ("email", "m1.example.org", "email must be one address like name@example.org"),
        ("email", "Maria Muster <m@x>", "email must be one address like name@example.org"),
    ],
)
def test_importer_rejects_a_bad_membership_value_with_its_reason(tmp_path, column, value, reason):
    path = write(tmp_path / "in.csv", [row("m1", "e1"), row("m2", "e2", **{column: value})])
    parsed = parse_file(path, today=TODAY)
    assert [r.participant_id for r in parsed.rows] == ["m1"]
    [(line, _, why)] = parsed.rejects
    assert line == 3 and why.startswith(reason)
    if column == "email":
        assert value not in why  # personal data stays out of reasons


def test_importer_last_row_with_a_value_wins_and_an_empty_cell_clears_nothing(tmp_path):
    path = write(
        tmp_path / "in.csv",
        [
            row("m1", "e1", capacity="1", level="3", email="alt@example.org"),
            row("m1", "e2", capacity="", level="", email="neu@example.org"),
            row("m1", "e3", capacity="2"),
            row("m1", "e3", capacity="3"),  # the same entry again: still counts for the person
            row("m1", "e4", programme="Q", capacity="0"),  # another programme: its own
        ],
    )
    parsed = parse_file(path, today=TODAY)
    assert parsed.rejects == [] and len(parsed.rows) == 4 and len(parsed.repeats) == 1
    merged = membership_fields(parsed.rows + parsed.repeats)
    assert merged == {
        ("P", "m1"): MembershipFields(capacity=3, level=3, email="neu@example.org"),
        ("Q", "m1"): MembershipFields(capacity=0),
    }


def test_importer_membership_values_may_differ_but_organisation_may_not(tmp_path):
    other = {**row("m1", "e2", capacity="2"), "organisation": "Stadt B"}
    path = write(tmp_path / "in.csv", [row("m1", "e1", capacity="1"), other])
    [(line, _, why)] = parse_file(path, today=TODAY).rejects
    assert line == 3 and why == "participant m1: organisation differs from line 2"


def test_importer_rejects_file_holds_no_email(tmp_path):
    path = write(tmp_path / "in.csv", [row("m1", "e1", capacity="x", email="m1@example.org")])
    parsed = parse_file(path, today=TODAY)
    write_rejects(tmp_path / "rejects.csv", parsed.rejects)
    written = (tmp_path / "rejects.csv").read_text(encoding="utf-8-sig")
    assert "capacity must be a whole number" in written and "example.org" not in written


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("18-29", "18-29"),  # the demo's bands stay valid
        ("60+", "60+"),
        ("25-34", "25-34"),  # the statistical offices' bands (issue #14)
        ("35-44", "35-44"),
        ("25\u201334", "25-34"),  # an en dash, as Word and Excel type it
        ("25 - 34", "25-34"),
        ("65 +", "65+"),
        ("0-17", "0-17"),
        ("", None),
    ],
)
def test_importer_reads_any_age_band_and_normalises_it(tmp_path, cell, stored):
    parsed = parse_file(write(tmp_path / "in.csv", [row("m1", "e1", age_band=cell)]), today=TODAY)
    assert parsed.rejects == [] and parsed.rows[0].age_band == stored


@pytest.mark.parametrize("cell", ["34-25", "30-30", "30-130", "121+", "jung", "30-39-49", "-5"])
def test_importer_rejects_an_age_band_that_is_no_range(tmp_path, cell):
    parsed = parse_file(write(tmp_path / "in.csv", [row("m1", "e1", age_band=cell)]), today=TODAY)
    [(line, _, why)] = parsed.rejects
    assert line == 2 and why.startswith("age_band must be a range of ages like 25-34 or 60+")


def test_importer_rows_of_one_person_must_agree_on_the_normalised_band(tmp_path):
    rows = [row("m1", "e1", age_band="25-34"), row("m1", "e2", age_band="25 \u2013 34")]
    parsed = parse_file(write(tmp_path / "in.csv", rows), today=TODAY)
    assert parsed.rejects == [] and {r.age_band for r in parsed.rows} == {"25-34"}


def test_importer_rejects_a_row_naming_another_programme_than_the_chosen_one(tmp_path):
    rows = [
        row("m1", "e1", programme="P"),
        row("m2", "e2", programme=""),
        row("m3", "e3", programme="Q"),
    ]
    parsed = parse_file(write(tmp_path / "in.csv", rows), programme="P", today=TODAY)
    assert [(r.participant_id, r.programme) for r in parsed.rows] == [("m1", "P"), ("m2", "P")]
    [(line, _, why)] = parsed.rejects
    assert line == 4 and why.startswith("programme 'Q' differs from the chosen programme 'P'")


def test_importer_without_a_chosen_programme_takes_each_rows_own(tmp_path):
    rows = [row("m1", "e1", programme="P"), row("m3", "e3", programme="Q")]
    parsed = parse_file(write(tmp_path / "in.csv", rows), today=TODAY)
    assert parsed.rejects == [] and [r.programme for r in parsed.rows] == ["P", "Q"]
