"""Read an import file (CSV, JSONL, XLSX) into a header and raw records; nothing is validated.

The encoding of a text file is detected by charset-normalizer among the encodings people's
files come in (UTF-8 with or without BOM, Windows-1252 from German Excel, UTF-16 from Excel's
"Unicode text"), and the CSV delimiter (comma, semicolon, tab) is sniffed from the first lines.
Problems of a whole file raise ``InvalidEntryError`` with a code and parameters (the app words
them in German); problems of one record become a ``RowError`` record for the validator.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import InvalidEntryError

__all__ = [
    "ENCODINGS",
    "ERROR",
    "RowError",
    "Table",
    "check_size",
    "decode",
    "read_header",
    "read_table",
    "sniff_delimiter",
]

ERROR = "__error__"  # key of a record that could not be read: its value is a RowError
# What coordinators' files are saved as; a free guess among all code pages mistakes short
# German Windows-1252 files for cp1250 or MacRoman (measured on the test fixtures).
ENCODINGS = ("utf_8", "cp1252", "utf_16")
DELIMITERS = (",", ";", "\t")
SNIFF_LINES = 20


class RowError(ValueError):
    """One row is invalid: ``code`` and ``params`` for the German copy, the message in English."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = {k: str(v) for k, v in params.items()}


@dataclass
class Table:
    """The header of a file and its records as (line number, raw record), read lazily."""

    header: list[str]
    records: Iterator[tuple[int, dict[str, Any]]]
    close: Callable[[], None] = field(default=lambda: None)  # frees a workbook read partly


def check_size(size_bytes: int, max_mb: int, name: str = "The file") -> None:
    """Refuse a file larger than ``max_mb`` MiB (the one upload and import limit)."""
    if size_bytes > max_mb * 2**20:
        raise InvalidEntryError(
            f"{name}: {size_bytes / 2**20:.1f} MiB is more than the {max_mb} MiB an import may "
            "have; split the file.",
            "too_large",
            {"name": name, "size": f"{size_bytes / 2**20:.1f}", "max": max_mb},
        )


def decode(raw: bytes, name: str) -> str:
    """Return the text of a file in UTF-8 (BOM or not), Windows-1252 or UTF-16.

    Raises
    ------
    InvalidEntryError
        ``bad_encoding``: UTF-8 with a broken byte (on ``line``); ``unknown_encoding``: none
        of ``ENCODINGS`` reads the file.
    """
    from charset_normalizer import from_bytes

    if not raw:
        return ""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if any(ord(c) > 127 for c in raw[: err.start].decode("utf-8")) or _utf8_after(raw, err.end):
            # Valid UTF-8 umlauts beside a broken byte: a mixed file. Reading it as
            # Windows-1252 would garble every umlaut, so name the line to fix instead.
            line = raw[: err.start].count(b"\n") + 1
            raise InvalidEntryError(
                f"{name}: line {line} is not valid UTF-8; save the file as UTF-8.",
                "bad_encoding",
                {"name": name, "line": line},
            ) from None
    best = from_bytes(raw, cp_isolation=list(ENCODINGS)).best()
    if best is None:
        raise InvalidEntryError(
            f"{name}: the encoding is not UTF-8 or Windows-1252; save the file as UTF-8.",
            "unknown_encoding",
            {"name": name},
        )
    return str(best).removeprefix("\ufeff")


def _utf8_after(raw: bytes, start: int) -> bool:
    """Whether a multi-byte UTF-8 character follows ``start`` (so the file is mostly UTF-8)."""
    rest = raw[start:].decode("utf-8", errors="replace")
    return any(127 < ord(c) != 0xFFFD for c in rest)


def sniff_delimiter(text: str) -> str:
    """Return the delimiter that splits the first lines into equally many cells (most wins).

    A header of one column, or lines that no candidate splits evenly, fall back to the one
    the header has most of (German Excel writes ';', survey tools write ',').
    """
    sample = text.splitlines()[:SNIFF_LINES]
    first = sample[0] if sample else ""
    best, best_cells = "", 1
    for delimiter in DELIMITERS:
        rows = list(csv.reader(io.StringIO("\n".join(sample)), delimiter=delimiter))
        cells = len(rows[0]) if rows else 0
        # The sample may cut a quoted cell with line breaks: its last row does not count.
        if cells > best_cells and all(len(r) == cells for r in rows[:-1] if r):
            best, best_cells = delimiter, cells
    return best or max(DELIMITERS, key=first.count)


def read_table(path: Path, max_mb: int) -> Table:
    """Read the header and the records of a CSV, JSONL or XLSX file.

    Raises
    ------
    InvalidEntryError
        The file is missing, too large, of an unknown type or in an unknown encoding.
    """
    try:
        size = path.stat().st_size
    except OSError as err:
        raise InvalidEntryError(
            f"Cannot read {path}: {err.strerror}.", "unreadable", {"name": path.name}
        ) from None
    check_size(size, max_mb, path.name)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_table(path)
    if suffix not in {".csv", ".txt", ".jsonl", ".ndjson"}:
        raise InvalidEntryError(
            f"{path.name}: unknown file type '{suffix}'. Available: .csv, .jsonl, .xlsx.",
            "bad_type",
            {"name": path.name, "suffix": suffix},
        )
    text = decode(path.read_bytes(), path.name)
    if suffix in {".jsonl", ".ndjson"}:
        return _jsonl_table(text)
    reader = csv.DictReader(
        io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), restval=None
    )
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header

    def records() -> Iterator[tuple[int, dict[str, Any]]]:
        for record in reader:
            if None in record:
                error = RowError("extra_cells", "more cells than columns")
                yield reader.line_num, {ERROR: error}
                continue
            yield reader.line_num, record

    return Table(header, records())


def read_header(path: Path, max_mb: int) -> list[str]:
    """Return the column names of a file (for the mapping step), reading no further."""
    table = read_table(path, max_mb)
    table.close()
    return table.header


def _jsonl_table(text: str) -> Table:
    lines = [(n, c) for n, c in enumerate(text.splitlines(), 1) if c.strip()]
    records: list[tuple[int, dict[str, Any]]] = []
    header: dict[str, None] = {}
    for number, content in lines:
        try:
            record = json.loads(content)
        except json.JSONDecodeError as err:
            error = RowError("bad_json", f"not valid JSON ({err.msg})")
            records.append((number, {ERROR: error}))
            continue
        if not isinstance(record, dict):
            records.append((number, {ERROR: RowError("not_object", "not an object")}))
            continue
        header.update(dict.fromkeys(map(str, record)))
        records.append((number, record))
    return Table(list(header), iter(records))


def _xlsx_table(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for broken files
        raise InvalidEntryError(
            f"{path.name}: not a readable XLSX file ({err}).", "bad_type", {"name": path.name}
        ) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, ())]

    def records() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, values in enumerate(rows, 2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            yield number, {h: v for h, v in zip(header, values, strict=False) if h}
        workbook.close()

    return Table(header, records(), workbook.close)
