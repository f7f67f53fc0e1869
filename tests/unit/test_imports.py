"""Imports of membership values (capacity, level, email): applied, reported, refused whole."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from assistant.errors import ImportRejectedError
from assistant.policy import Principal, operator
from tests.conftest import FIXTURES
from tests.unit.privacy_support import dispose_engines, make_assistant, stores_of

pytestmark = pytest.mark.postgres

OPERATOR = operator("cli:test")
PROGRAMME = "Testprogramm"
T01 = Principal("t01", "participant", participant_id="t-01", programmes=frozenset({PROGRAMME}))


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    engine = make_assistant(hashing_assistant, tmp_path / "data")
    engine.import_file(OPERATOR, FIXTURES / "programme.csv")
    yield engine
    dispose_engines()


def _rows(values: dict[str, dict[str, str]], **changes: str) -> list[dict[str, str]]:
    """The fixture's rows with ``changes``, and membership cells per participant id."""
    with (FIXTURES / "programme.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    empty = {"capacity": "", "level": "", "email": ""}
    return [{**r, **changes, **empty, **values.get(r["participant_id"], {})} for r in rows]


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _membership(engine, pid: str) -> tuple[int | None, int | None, str | None]:
    programme = stores_of(engine).programmes.get(PROGRAMME)
    person = stores_of(engine).programmes.participant(pid, programme.id)
    return person.capacity, person.level, person.email


def test_imports_reimport_applies_membership_values_and_reports_them(engine, tmp_path):
    engine.set_consent(T01, "t-01", analysis=False, matching=False)
    given = {"t-01": {"capacity": "2", "level": "3", "email": "t01@example.org"}}
    first = engine.import_file(OPERATOR, _write(tmp_path / "a.csv", _rows(given)))
    assert first.changed == {"t-01": ("capacity", "level", "email")}  # none stored before
    assert _membership(engine, "t-01") == (2, 3, "t01@example.org")
    assert _membership(engine, "t-02") == (None, None, None)  # empty cells: no rule

    # Organisation and consent stay as stored (kept); the membership takes the file's values.
    again = {"t-01": {"capacity": "0", "level": "", "email": "t01@example.org"}}
    second = engine.import_file(
        OPERATOR, _write(tmp_path / "b.csv", _rows(again, organisation="Stadt Z"))
    )
    assert second.changed == {"t-01": ("capacity",)}  # level not given: kept, not cleared
    assert set(second.kept["t-01"]) == {"organisation", "consent_analysis", "consent_matching"}
    assert _membership(engine, "t-01") == (0, 3, "t01@example.org")
    person = stores_of(engine).programmes.participant("t-01")
    assert (person.organisation, person.consent_matching) == ("Stadt A", False)

    third = engine.import_file(OPERATOR, _write(tmp_path / "c.csv", _rows(again)))
    assert third.changed == {}  # the same values again change nothing

    audit = [r for r in stores_of(engine).audit.rows() if r.action == "programme.import"]
    assert audit[1].detail["changed"] == {"t-01": ["capacity"]}
    assert audit[2].detail["changed"] == {"t-01": ["capacity", "level", "email"]}
    assert "example.org" not in json.dumps([r.detail for r in audit])  # names, never values


def test_imports_last_row_of_a_person_wins(engine, tmp_path):
    rows = _rows({"t-02": {"capacity": "1"}})
    t02 = [i for i, r in enumerate(rows) if r["participant_id"] == "t-02"]
    rows[t02[-1]]["capacity"] = "4"
    rows[t02[0]]["level"] = "2"
    engine.import_file(OPERATOR, _write(tmp_path / "a.csv", rows))
    assert len(t02) > 1 and _membership(engine, "t-02") == (4, 2, None)


@pytest.mark.parametrize(
    ("column", "value"),
    [("capacity", "-1"), ("capacity", "1.5"), ("capacity", "abc"), ("level", "x")],
)
def test_imports_a_bad_value_refuses_the_file_and_stores_nothing(engine, tmp_path, column, value):
    new = {**_rows({})[0], "participant_id": "n-01", "entry_id": "n-001", "text": "Neu hier."}
    bad = {**_rows({})[0], "participant_id": "n-02", "entry_id": "n-002", column: value}
    rows = [*_rows({"t-01": {"capacity": "5"}}), new, bad]
    with pytest.raises(ImportRejectedError) as refused:
        engine.import_file(OPERATOR, _write(tmp_path / "bad.csv", rows))
    [(line, why)] = refused.value.rejects
    assert line == len(rows) + 1 and why.startswith(f"{column} must be a whole number")
    stores = stores_of(engine)
    assert stores.programmes.participant("n-01") is None
    assert stores.programmes.participant("n-02") is None
    assert _membership(engine, "t-01") == (None, None, None)
