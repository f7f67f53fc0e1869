"""Column mapping: turn what people have (Forms, LimeSurvey, German Excel) into the long format.

A ``ColumnMapping`` says which source column fills which field of the long format (README
"Import format"), how cells translate ("Ja" -> true, "Mentor:in" -> mentor), which fields are
the same for every row, and, for wide forms, which question columns hold answers: one row per
person becomes one entry per non-empty answer. Header names match robustly (case, blanks,
trailing punctuation, Forms' numbering, LimeSurvey's "code. question"). Consent is never
assumed: a mapping without both consent columns is refused, and no constant may stand in for one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.domain import ENTRY_KINDS, MEMBERSHIP_FIELDS
from assistant.errors import InvalidEntryError

__all__ = [
    "COLUMNS",
    "CONSENT_FIELDS",
    "EXTRA_COLUMNS",
    "FIELDS",
    "READY",
    "REQUIRED",
    "BoundMapping",
    "ColumnMapping",
    "bind",
    "check_long_header",
    "check_mapping",
    "detect_mapping",
    "header_key",
    "load_mapping",
    "mapping_yaml",
    "ready_mapping",
]

COLUMNS = (
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
# The membership columns (capacity, level, email) say what a person brings to one programme.
EXTRA_COLUMNS = ("stage", "given_name", *MEMBERSHIP_FIELDS)
FIELDS = COLUMNS + EXTRA_COLUMNS
REQUIRED = ("participant_id", "role", "kind", "text", "consent_analysis", "consent_matching")
CONSENT_FIELDS = ("consent_analysis", "consent_matching")
READY = ("forms", "limesurvey")
READY_DIR = Path(__file__).resolve().parent / "mappings"

# Header names recognised without a mapping file, compared by ``header_key``.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "programme": ("programm", "program", "durchgang"),
    "participant_id": (
        "teilnehmer id",
        "teilnehmer in",
        "teilnehmer:in",
        "teilnehmende",
        "teilnehmer",
        "teilnehmerin",
        "kennung",
        "pseudonym",
        "personalnummer",
        "participant",
    ),
    "role": ("rolle",),
    "organisation": ("organization", "behörde", "behoerde", "dienststelle", "amt", "ressort"),
    "age_band": ("altersgruppe", "alter", "altersband", "age"),
    "consent_analysis": ("einwilligung analyse", "einwilligung auswertung"),
    "consent_matching": ("einwilligung matching", "einwilligung vermittlung"),
    "entry_id": ("eintrag id", "eintrags id", "beitrag id"),
    "kind": ("art", "typ", "eintragsart"),
    "text": ("inhalt", "beitrag"),
    "created_at": ("datum", "erstellt am", "erstellt", "date"),
    "group": ("gruppe", "peer gruppe"),
    "stage": ("phase", "etappe"),
    "given_name": ("vorname", "rufname"),
    "capacity": ("kapazität", "kapazitaet", "plätze"),
    "level": ("ebene", "stufe", "hierarchieebene"),
    "email": ("e mail", "mail", "e mail adresse"),
}
# Cell values understood in every mapping, compared by ``value_key``; a mapping's own win.
DEFAULT_VALUES: dict[str, dict[str, str]] = {
    "role": {
        **dict.fromkeys(
            ("mentor:in", "mentor*in", "mentor_in", "mentorin", "mentor", "mentor/in"), "mentor"
        ),
        **dict.fromkeys(("mentee", "mentee:in", "mentees"), "mentee"),
        **dict.fromkeys(("peer", "kollegiale beratung", "peer gruppe"), "peer"),
    },
    "kind": {
        **dict.fromkeys(("ziel", "ziele", "lernziel"), "goal"),
        **dict.fromkeys(("angebot", "angebote"), "offer"),
        **dict.fromkeys(("reflexion", "reflektion"), "reflection"),
    },
}
_NUMBERING = re.compile(r"^\s*(?:frage\s*)?\d+\s*[.):]\s*")  # "1. ", "2) ", "Frage 3: "
_CODE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)[.:]\s+(.+)$")  # LimeSurvey "G01Q02. Ihre Rolle"
_TRAILING = re.compile(r"[\s?:.!*]+$")
_BLANKS = re.compile(r"[\s_\-]+")


def header_key(header: str) -> str:
    """Return the form headers are compared in: case, blanks, numbering and ``?:.!*`` ignored."""
    text = _NUMBERING.sub("", str(header).replace("\xa0", " ").strip())
    return _BLANKS.sub(" ", _TRAILING.sub("", text)).strip().casefold()


def value_key(value: object) -> str:
    """Return the form cells are compared in by value maps: case and blanks ignored."""
    return " ".join(str(value).split()).casefold()


@dataclass(frozen=True)
class ColumnMapping:
    """How the columns of one kind of file become the long format.

    Attributes
    ----------
    columns : dict of str to str
        Source header -> field (one of ``FIELDS``).
    answers : dict of str to str
        Wide forms: source header of a question -> entry kind; each non-empty answer becomes
        one entry. Empty: the file is long (``kind`` and ``text`` columns).
    values : dict of str to dict of str to str
        Field -> {cell -> value}, cells compared by ``value_key``.
    constants : dict of str to str
        Field -> value for every row (never a consent field).
    """

    name: str = "custom"
    description: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)

    @property
    def is_wide(self) -> bool:
        """Whether rows are people with one column per question (Forms, LimeSurvey)."""
        return bool(self.answers)


def _bad(name: str, problem: str) -> InvalidEntryError:
    return InvalidEntryError(
        f"Mapping {name}: {problem}.", "bad_mapping", {"name": name, "problem": problem}
    )


def _strings(raw: Any, name: str, part: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _bad(name, f"'{part}' must map names to values")
    return {
        str(k): "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
        for k, v in raw.items()
    }


def check_mapping(mapping: ColumnMapping) -> ColumnMapping:
    """Return ``mapping`` if its fields, kinds and constants are valid; else ``bad_mapping``."""
    name = mapping.name
    for source, target in mapping.columns.items():
        if target not in FIELDS:
            raise _bad(name, f"column '{source}' maps to unknown field '{target}'")
    for source, kind in mapping.answers.items():
        if kind not in ENTRY_KINDS:
            raise _bad(name, f"answer column '{source}' has unknown kind '{kind}'")
    for target in [*mapping.values, *mapping.constants]:
        if target not in FIELDS:
            raise _bad(name, f"unknown field '{target}'")
    assumed = [f for f in CONSENT_FIELDS if f in mapping.constants]
    if assumed:
        raise _bad(name, f"consent is never assumed: remove the constant {', '.join(assumed)}")
    if mapping.is_wide:
        clash = sorted({"kind", "text", "entry_id"} & {*mapping.columns.values()})
        if clash:
            raise _bad(name, f"a wide form has answer columns, not {', '.join(clash)}")
    return mapping


def check_long_header(header: Iterable[str], name: str) -> None:
    """Refuse a header that is not the long format (unknown or missing columns, listed)."""
    columns = [h.strip() for h in header if h and h.strip()]
    unknown = [c for c in columns if c not in COLUMNS + EXTRA_COLUMNS]
    missing = [c for c in REQUIRED if c not in columns]
    problems = []
    if unknown:
        problems.append(f"unknown column(s): {', '.join(unknown)}")
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    if problems:
        raise InvalidEntryError(
            f"{name}: {'; '.join(problems)}. Expected columns: {', '.join(COLUMNS)} "
            f"(optional: {', '.join(EXTRA_COLUMNS)}).",
            "bad_columns",
            {"name": name, "unknown": ", ".join(unknown), "missing": ", ".join(missing)},
        )


def load_mapping(text: str, name: str = "custom") -> ColumnMapping:
    """Parse and check a mapping YAML (schema: README "Column mapping")."""
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise _bad(name, f"not valid YAML ({getattr(err, 'problem', None) or err})") from None
    if not isinstance(raw, dict):
        raise _bad(name, "the file must be a mapping of columns, answers, values, constants")
    unknown = sorted(
        set(raw) - {"name", "description", "columns", "answers", "values", "constants"}
    )
    if unknown:
        raise _bad(name, f"unknown key(s) {', '.join(map(str, unknown))}")
    values = raw.get("values") or {}
    if not isinstance(values, dict):
        raise _bad(name, "'values' must map fields to {cell: value}")
    return check_mapping(
        ColumnMapping(
            name=str(raw.get("name") or name),
            description=str(raw.get("description") or ""),
            columns=_strings(raw.get("columns"), name, "columns"),
            answers=_strings(raw.get("answers"), name, "answers"),
            values={str(k): _strings(v, name, f"values.{k}") for k, v in values.items()},
            constants=_strings(raw.get("constants"), name, "constants"),
        )
    )


def mapping_yaml(mapping: ColumnMapping) -> str:
    """Return ``mapping`` as YAML that ``load_mapping`` reads back to an equal mapping."""
    data: dict[str, Any] = {"name": mapping.name}
    if mapping.description:
        data["description"] = mapping.description
    for part in ("columns", "answers", "values", "constants"):
        if getattr(mapping, part):
            data[part] = getattr(mapping, part)
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def ready_mapping(name: str) -> ColumnMapping:
    """Return a ready mapping shipped with the assistant (``READY``)."""
    if name not in READY:
        raise InvalidEntryError(
            f"Unknown mapping '{name}'. Available: {', '.join(READY)} or a YAML file.",
            "bad_mapping",
            {"name": name, "problem": f"available: {', '.join(READY)}"},
        )
    path = READY_DIR / f"{name}.yaml"
    return load_mapping(path.read_text(encoding="utf-8"), name)


@dataclass(frozen=True)
class BoundMapping:
    """A mapping applied to one file's header: which file column fills what."""

    mapping: ColumnMapping
    fields: dict[str, str]  # file header -> field
    answers: dict[str, str]  # file header -> kind
    unmatched: tuple[str, ...]  # mapping columns the file does not have

    def missing(self) -> tuple[list[str], list[str]]:
        """Return (missing consent fields, other missing required fields)."""
        given = {*self.fields.values(), *self.mapping.constants}
        consent = [f for f in CONSENT_FIELDS if f not in self.fields.values()]
        needed = ["participant_id", "role"] + ([] if self.answers else ["kind", "text"])
        other = [f for f in needed if f not in given]
        if self.mapping.is_wide and not self.answers:
            other.append("answers")
        return consent, other

    def records(self, raw: MappingABC[str, Any], programme: str | None) -> list[dict[str, Any]]:
        """Turn one source record into long-format records (one per answer of a wide form)."""
        out: dict[str, Any] = {}
        for source, target in self.fields.items():
            value = raw.get(source)
            if out.get(target) in (None, "") and value is not None:
                out[target] = value
        out.update(self.mapping.constants)
        for target in {*DEFAULT_VALUES, *self.mapping.values}:
            if target in out and out[target] is not None:
                own = self.mapping.values.get(target, {})
                table = {
                    value_key(k): v for k, v in {**DEFAULT_VALUES.get(target, {}), **own}.items()
                }
                out[target] = table.get(value_key(out[target]), out[target])
        if not self.answers:
            return [out]
        person = str(out.get("participant_id") or "").strip()
        named = str(out.get("programme") or "").strip()
        found = []
        for source, kind in self.answers.items():
            answer = raw.get(source)
            if answer is None or not str(answer).strip():
                continue
            seed = f"{named or programme or ''}\x1f{person}\x1f{kind}"
            entry_id = "f-" + hashlib.sha256(seed.encode()).hexdigest()[:20]
            found.append({**out, "kind": kind, "text": answer, "entry_id": entry_id})
        return found


def _candidates(header: str) -> list[str]:
    keys = [header_key(header)]
    coded = _CODE.match(header.strip())
    if coded:
        keys += [header_key(coded[1]), header_key(coded[2])]
    return keys


def bind(mapping: ColumnMapping, header: Iterable[str]) -> BoundMapping:
    """Match a mapping's columns to a file's header (``header_key``; codes of LimeSurvey)."""
    wanted = {header_key(k): v for k, v in mapping.columns.items()}
    asked = {header_key(k): v for k, v in mapping.answers.items()}
    fields: dict[str, str] = {}
    answers: dict[str, str] = {}
    seen: set[str] = set()
    for column in header:
        for key in _candidates(column):
            if key in asked:
                answers[column] = asked[key]
            elif key in wanted:
                fields[column] = wanted[key]
            else:
                continue
            seen.add(key)
            break
    unmatched = tuple(k for k in [*mapping.columns, *mapping.answers] if header_key(k) not in seen)
    return BoundMapping(mapping, fields, answers, unmatched)


def _synonym_mapping(header: Iterable[str]) -> ColumnMapping:
    known = {header_key(f): f for f in FIELDS}
    known |= {header_key(s): f for f, names in SYNONYMS.items() for s in names}
    columns: dict[str, str] = {}
    for column in header:
        target = next((known[k] for k in _candidates(column) if k in known), None)
        if target is not None and target not in columns.values():
            columns[column] = target
    return ColumnMapping(name="detected", columns=columns)


def detect_mapping(header: Iterable[str]) -> ColumnMapping:
    """Return the mapping that recognises most of ``header``: a ready one or header names.

    The header names of the long format and their German names ("Teilnehmer-ID", "Rolle",
    "Behörde", "Art", ...) are recognised in any file; the ready mappings add their questions.
    """
    header = list(header)
    best = _synonym_mapping(header)
    best_bound = bind(best, header)
    for name in READY:
        ready = ready_mapping(name)
        bound = bind(ready, header)
        if len(bound.fields) + len(bound.answers) > len(best_bound.fields) + len(
            best_bound.answers
        ):
            best, best_bound = ready, bound
    return best
