"""Read and validate programme files (CSV, JSONL, XLSX) into ImportRows; nothing is stored here.

Columns (a contract; see README "Import format"): programme, participant_id, role,
organisation, age_band, consent_analysis, consent_matching, entry_id, kind, text, created_at,
group; optional extensions: stage, given_name, and the membership columns capacity, level,
email. Every row is checked and every problem is reported with its line number (and a code
with parameters the app words in German), so a coordinator can fix the file in one pass.
Other layouts are read through a column mapping (``assistant.importing.mapping``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from assistant.config import DEFAULT_MAX_UPLOAD_MB
from assistant.domain import ENTRY_KINDS, MEMBERSHIP_FIELDS, ROLES, STAGES, content_hash
from assistant.errors import InvalidEntryError
from assistant.importing.mapping import (
    COLUMNS,
    EXTRA_COLUMNS,
    REQUIRED,
    ColumnMapping,
    bind,
    check_long_header,
)
from assistant.importing.table import ERROR, RowError, Table, check_size, read_table
from assistant.nlp.text import validate_text
from assistant.report import defuse_cell

__all__ = [
    "COLUMNS",
    "EXTRA_COLUMNS",
    "REQUIRED",
    "ImportRow",
    "MembershipFields",
    "ParsedFile",
    "check_size",
    "membership_fields",
    "parse_file",
    "write_rejects",
]

MAX_AGE = 120

_TRUE = {"true", "1", "yes", "ja", "j", "y", "x", "wahr"}
_FALSE = {"false", "0", "no", "nein", "n", "falsch", ""}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
# Any statistical band: "18-29", "25-34" (Mikrozensus), "60+"; an en or em dash, blanks are fine.
_AGE_RANGE = re.compile(r"^([0-9]{1,3})\s*[-\u2013\u2014]\s*([0-9]{1,3})$")
_AGE_FROM = re.compile(r"^([0-9]{1,3})\s*\+$")
# One @, no blanks, a dot in the domain: enough to catch a name or a phone number in the column;
# whether the address exists only the invitation can tell.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_CAPACITY = 999
MAX_LEVEL = 999
MAX_EMAIL = 254  # RFC 5321's longest forward path


@dataclass(frozen=True)
class ImportRow:
    """One validated row."""

    line: int
    programme: str
    participant_id: str
    role: str
    organisation: str
    age_band: str | None
    consent_analysis: bool
    consent_matching: bool
    entry_id: str
    kind: str
    text: str
    created_at: date
    group: str | None
    stage: str | None
    given_name: str | None
    capacity: int | None = None
    level: int | None = None
    email: str | None = None

    @property
    def content_hash(self) -> str:
        """Hash of what the entry says; equal hashes mean a re-import of the same entry."""
        return content_hash(
            self.programme, self.participant_id, self.kind, self.text, self.created_at
        )


@dataclass(frozen=True)
class MembershipFields:
    """What a file says about one person in one programme; None: the file gives no value."""

    capacity: int | None = None
    level: int | None = None
    email: str | None = None


@dataclass
class ParsedFile:
    """Valid rows and rejected lines of one file.

    ``repeats`` are valid rows that repeat an entry of an earlier row: the entry is imported
    once, but what the row says about its person counts (``membership_fields``).
    """

    rows: list[ImportRow] = field(default_factory=list)
    rejects: list[tuple[int, dict[str, Any], str]] = field(default_factory=list)  # line, raw, why
    repeats: list[ImportRow] = field(default_factory=list)
    # line -> (code, parameters) of the first problem: the app words it in German
    reasons: dict[int, tuple[str, dict[str, str]]] = field(default_factory=dict)


def membership_fields(rows: Iterable[ImportRow]) -> dict[tuple[str, str], MembershipFields]:
    """Merge the membership columns per (programme, participant id): the last value wins.

    Rows count in line order; an empty cell is "not given in this row", so it neither clears
    nor overrides a value an earlier row gave.
    """
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: r.line):
        values = merged.setdefault((row.programme, row.participant_id), {})
        for name in MEMBERSHIP_FIELDS:
            if getattr(row, name) is not None:
                values[name] = getattr(row, name)
    return {key: MembershipFields(**values) for key, values in merged.items()}


def _records(
    path: Path, max_mb: int, mapping: ColumnMapping | None, programme: str | None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line, record in the long format): the file's own, or one per mapped answer."""
    table = read_table(path, max_mb)
    try:  # a refused header leaves a workbook unread: close it all the same
        if mapping is None:
            if path.suffix.lower() not in {".jsonl", ".ndjson"}:
                check_long_header(table.header, path.name)
            yield from table.records
        else:
            yield from _mapped(table, path.name, mapping, programme)
    finally:
        table.close()


def _mapped(
    table: Table, name: str, mapping: ColumnMapping, programme: str | None
) -> Iterator[tuple[int, dict[str, Any]]]:
    bound = bind(mapping, table.header)
    consent, other = bound.missing()
    if consent:
        # Consent is never assumed: without its column nobody's texts may be analysed.
        raise InvalidEntryError(
            f"{name}: no column for {', '.join(consent)} in mapping {mapping.name}; "
            "consent is never assumed, add the consent column(s) to the file and the mapping.",
            "missing_consent",
            {"name": name, "fields": ", ".join(consent)},
        )
    if other:
        raise InvalidEntryError(
            f"{name}: mapping {mapping.name} gives no column for {', '.join(other)}.",
            "mapping_incomplete",
            {"name": name, "fields": ", ".join(other)},
        )
    for line, raw in table.records:
        if ERROR in raw:
            yield line, raw
            continue
        for record in bound.records(raw, programme):
            yield line, record


def _cell(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _boolean(value: str, name: str) -> bool:
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise RowError(
        "bad_boolean",
        f"{name} must be true or false, got '{value[:20]}'",
        field=name,
        value=value[:20],
    )


def _date(value: str) -> date:
    # ISO dates, German ones, and Forms' English "3/31/26 10:15:00": the time is dropped.
    first = value.split()[0] if value.split() else value
    for pattern, part in (
        ("%Y-%m-%d", value[:10]),
        ("%d.%m.%Y", first),
        ("%d.%m.%y", first),
        ("%m/%d/%Y", first),
        ("%m/%d/%y", first),
    ):
        try:
            return datetime.strptime(part, pattern).date()
        except ValueError:
            continue
    raise RowError(
        "bad_date",
        f"created_at must be a date like 2026-03-31, got '{value[:20]}'",
        value=value[:20],
    )


def _whole_number(value: str, name: str, low: int, high: int) -> int | None:
    """Return the integer in a cell, None for an empty one; anything else is refused."""
    if not value:
        return None
    if not _INTEGER.match(value) or len(value) > 6 or not low <= int(value) <= high:
        raise RowError(
            "bad_number",
            f"{name} must be a whole number from {low} to {high}, got '{value[:20]}'",
            field=name,
            low=low,
            high=high,
            value=value[:20],
        )
    return int(value)


def _age_band(value: str) -> str | None:
    """Return the band ``a-b`` (0 <= a < b <= 120) or ``a+`` normalised, None for an empty cell."""
    if not value:
        return None
    bounded, open_ended = _AGE_RANGE.match(value), _AGE_FROM.match(value)
    if bounded and 0 <= int(bounded[1]) < int(bounded[2]) <= MAX_AGE:
        return f"{int(bounded[1])}-{int(bounded[2])}"
    if open_ended and int(open_ended[1]) <= MAX_AGE:
        return f"{int(open_ended[1])}+"
    raise RowError(
        "bad_age_band",
        f"age_band must be a range of ages like 25-34 or 60+ (from 0 to {MAX_AGE}) or empty, "
        f"got '{value[:20]}'",
    )


def _email(value: str) -> str | None:
    """Return a plausible e-mail address, None for an empty cell (the value is never echoed)."""
    if not value:
        return None
    if len(value) > MAX_EMAIL or not _EMAIL.match(value):
        raise RowError(
            "bad_email",
            f"email must be one address like name@example.org (at most {MAX_EMAIL} characters)",
            max=MAX_EMAIL,
        )
    return value


def _row(
    line: int, record: dict[str, Any], default_programme: str | None, today: date
) -> ImportRow:
    if ERROR in record:
        error = record[ERROR]
        raise error if isinstance(error, RowError) else RowError("invalid", str(error))
    if isinstance(record, dict):
        unknown = [k for k in record if k not in COLUMNS + EXTRA_COLUMNS]
        if unknown:
            names = ", ".join(map(str, unknown))
            raise RowError("unknown_fields", f"unknown field(s): {names}", fields=names)
    named = _cell(record, "programme")
    if default_programme and named and named != default_programme:
        # A file for several programmes imported into one would mix their people and texts.
        raise RowError(
            "other_programme",
            f"programme '{named[:200]}' differs from the chosen programme "
            f"'{default_programme[:200]}'; empty the cell or import the row into its own programme",
            programme=named[:200],
            chosen=default_programme[:200],
        )
    programme = default_programme or named
    if not programme:
        raise RowError("no_programme", "programme is empty (or give --programme)")
    participant_id = _cell(record, "participant_id")
    if not _ID.match(participant_id):
        raise RowError(
            "bad_participant_id", "participant_id must be 1-100 letters, digits or . _ : -"
        )
    role = _cell(record, "role").lower()
    if role not in ROLES:
        raise RowError(
            "bad_role",
            f"role must be one of {', '.join(ROLES)}, got '{role[:20]}'",
            value=role[:20],
        )
    kind = _cell(record, "kind").lower()
    if kind not in ENTRY_KINDS:
        raise RowError(
            "bad_kind",
            f"kind must be one of {', '.join(ENTRY_KINDS)}, got '{kind[:20]}'",
            value=kind[:20],
        )
    band = _age_band(_cell(record, "age_band"))
    stage = _cell(record, "stage").lower() or None
    if stage and stage not in STAGES:
        raise RowError("bad_stage", f"stage must be one of {', '.join(STAGES)} or empty")
    try:
        raw_text = record.get("text")
        text = validate_text("" if raw_text is None else str(raw_text), require_words=False)
    except InvalidEntryError as err:
        raise RowError("bad_text", str(err), reason=err.code) from None
    created = _cell(record, "created_at")
    created_at = _date(created) if created else today
    if created_at > today:
        raise RowError(
            "future_date",
            f"created_at {created_at.isoformat()} lies in the future",
            date=created_at.strftime("%d.%m.%Y"),
        )
    entry_id = _cell(record, "entry_id")
    if entry_id and not _ID.match(entry_id):
        raise RowError("bad_entry_id", "entry_id must be 1-100 letters, digits or . _ : -")
    # 0 is a capacity (the mentor takes nobody this round); a level may be any small integer.
    capacity = _whole_number(_cell(record, "capacity"), "capacity", 0, MAX_CAPACITY)
    level = _whole_number(_cell(record, "level"), "level", -MAX_LEVEL, MAX_LEVEL)
    email = _email(_cell(record, "email"))
    row = ImportRow(
        line=line,
        programme=programme[:200],
        participant_id=participant_id,
        role=role,
        organisation=_cell(record, "organisation")[:200],
        age_band=band,
        consent_analysis=_boolean(_cell(record, "consent_analysis"), "consent_analysis"),
        consent_matching=_boolean(_cell(record, "consent_matching"), "consent_matching"),
        entry_id=entry_id,
        kind=kind,
        text=text,
        created_at=created_at,
        group=_cell(record, "group")[:200] or None,
        stage=stage,
        given_name=_cell(record, "given_name")[:100] or None,
        capacity=capacity,
        level=level,
        email=email,
    )
    if not entry_id:
        # Derived from the content, so re-importing the same file finds the same ids.
        row = _with_id(row, "e-" + row.content_hash[:20])
    return row


def _with_id(row: ImportRow, entry_id: str) -> ImportRow:
    return ImportRow(**{**row.__dict__, "entry_id": entry_id})


def parse_file(
    path: str | Path,
    *,
    programme: str | None = None,
    today: date | None = None,
    max_mb: int = DEFAULT_MAX_UPLOAD_MB,
    mapping: ColumnMapping | None = None,
) -> ParsedFile:
    """Validate every row of a file; file-level problems raise ``InvalidEntryError``.

    ``mapping`` turns another layout (Forms, LimeSurvey, German headers) into the long format
    first; without one the file must be in the long format.

    Row problems (bad value, conflicting participant data, an id reused with other content)
    are collected in ``ParsedFile.rejects`` with line numbers. Organisation, age band and
    consents must agree across a person's rows; the membership columns (capacity, level,
    email) may differ, and the last row that gives a value wins (``membership_fields``).
    """
    today = today or date.today()
    parsed = ParsedFile()
    first_seen: dict[str, ImportRow] = {}
    entries_seen: dict[str, ImportRow] = {}
    for line, record in _records(Path(path), max_mb, mapping, programme):
        try:
            row = _row(line, record, programme, today)
            earlier = first_seen.get(row.participant_id)
            if earlier is not None:
                for attr in ("organisation", "consent_analysis", "consent_matching", "age_band"):
                    if getattr(earlier, attr) != getattr(row, attr):
                        raise RowError(
                            "person_differs",
                            f"participant {row.participant_id}: {attr} differs from line "
                            f"{earlier.line}",
                            participant=row.participant_id,
                            field=attr,
                            line=earlier.line,
                        )
            same_id = entries_seen.get(row.entry_id)
            if same_id is not None:
                if same_id.content_hash != row.content_hash:
                    raise RowError(
                        "entry_id_reused",
                        f"entry_id {row.entry_id} is used on line {same_id.line} "
                        "with other content",
                        entry_id=row.entry_id,
                        line=same_id.line,
                    )
                parsed.repeats.append(row)  # the same entry twice: imported once
                continue
        except ValueError as err:
            parsed.rejects.append(
                (line, {k: record.get(k) for k in COLUMNS if k in record}, str(err))
            )
            problem = err if isinstance(err, RowError) else RowError("invalid", str(err))
            parsed.reasons.setdefault(line, (problem.code, problem.params))
            continue
        first_seen.setdefault(row.participant_id, row)
        entries_seen[row.entry_id] = row
        parsed.rows.append(row)
    if not parsed.rows and not parsed.rejects:
        raise InvalidEntryError(
            f"{Path(path).name}: the file has no data rows.",
            "empty_file",
            {"name": Path(path).name},
        )
    return parsed


def write_rejects(path: str | Path, rejects: list[tuple[int, dict[str, Any], str]]) -> None:
    """Write rejected rows with line number and reason as CSV (UTF-8 with BOM for Excel)."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "reason", *COLUMNS])
        for line, raw, why in rejects:
            cells = [why, *[_cell(raw, c) for c in COLUMNS]]
            # Formula-safe: a rejected row is someone's text, opened in Excel by the coordinator.
            writer.writerow([line, *(defuse_cell(c) for c in cells)])
