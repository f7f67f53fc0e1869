"""German copy of the import tab: the column mapping step, the preview, the importer's reasons.

The importer reports each problem as a code with parameters (``RowError``, and
``InvalidEntryError.code``/``params`` for a whole file); ``import_problem`` words it here, so a
coordinator reads German while the command line keeps the English messages.
"""

from __future__ import annotations

from collections.abc import Mapping

from assistant.texts.common import Counted
from assistant.texts.pages import INVALID, INVALID_DEFAULT

__all__ = [
    "CLI_DRY_RUN",
    "CLI_DRY_RUN_ROW",
    "IMPORT_ANSWER_LABELS",
    "IMPORT_FIELD_LABELS",
    "IMPORT_FILE_PROBLEMS",
    "IMPORT_KIND",
    "IMPORT_KIND_LABELS",
    "IMPORT_MAPPING_CHOICE",
    "IMPORT_MAPPING_CHOICES",
    "IMPORT_MAP_COLUMN",
    "IMPORT_MAP_HEADER",
    "IMPORT_MAP_HELP",
    "IMPORT_MAP_SKIP",
    "IMPORT_MAP_UNMATCHED",
    "IMPORT_NO",
    "IMPORT_PREVIEW_HEADER",
    "IMPORT_PREVIEW_HELP",
    "IMPORT_PREVIEW_REJECTS",
    "IMPORT_ROLE_LABELS",
    "IMPORT_ROW_PROBLEMS",
    "IMPORT_SAVE_MAPPING",
    "IMPORT_WIDE_HINT",
    "IMPORT_YES",
    "import_problem",
]

IMPORT_FIELD_LABELS = {
    "programme": "Programm",
    "participant_id": "Teilnehmer-ID",
    "role": "Rolle",
    "organisation": "Behörde / Organisation",
    "age_band": "Altersgruppe",
    "consent_analysis": "Einwilligung Auswertung",
    "consent_matching": "Einwilligung Vermittlung",
    "entry_id": "Eintrags-ID",
    "kind": "Art (Ziel, Angebot, Reflexion)",
    "text": "Text",
    "created_at": "Datum",
    "group": "Gruppe",
    "stage": "Phase",
    "given_name": "Vorname",
    "capacity": "Kapazität",
    "level": "Stufe",
    "email": "E-Mail",
    "answers": "Antwortspalten",  # a wide form without any question column left
}
IMPORT_ANSWER_LABELS = {
    "goal": "Antwort: Ziel",
    "offer": "Antwort: Angebot",
    "reflection": "Antwort: Reflexion",
}
IMPORT_MAP_HEADER = "Spalten zuordnen"
IMPORT_MAP_HELP = (
    "Ordnen Sie jeder Spalte Ihrer Datei ein Feld zu. Bekannte Spaltennamen (auch deutsche wie "
    "„Teilnehmer-ID“, „Rolle“, „Behörde“) sind schon zugeordnet. Bei Formularen mit einer Zeile "
    "je Person wählen Sie für jede Frage „Antwort: Ziel“, „Antwort: Angebot“ oder „Antwort: "
    "Reflexion“: Jede ausgefüllte Antwort wird ein Eintrag. Einwilligungen werden nie "
    "angenommen, beide Einwilligungsspalten müssen zugeordnet sein."
)
IMPORT_MAPPING_CHOICE = "Vorlage"
IMPORT_MAPPING_CHOICES = {
    "detected": "Automatisch erkannt",
    "long": "Langformat (eine Zeile je Eintrag)",
    "forms": "Microsoft Forms",
    "limesurvey": "LimeSurvey",
    "saved": "Gespeicherte Zuordnung dieses Programms",
}
IMPORT_MAP_COLUMN = "Spalte „{column}“"
IMPORT_MAP_SKIP = "(nicht importieren)"
IMPORT_MAP_UNMATCHED = "Diese Spalten der Vorlage fehlen in der Datei: {columns}"
IMPORT_WIDE_HINT = Counted(
    "Formular mit einer Zeile je Person: {n:Antwortspalte wird|Antwortspalten werden} zu Einträgen."
)
IMPORT_PREVIEW_HEADER = "Vorschau"
IMPORT_PREVIEW_HELP = Counted(
    "So würden die ersten Zeilen importiert; gespeichert ist noch nichts. Die Datei ergibt "
    "{rows:gültigen Eintrag|gültige Einträge} und {rejects:fehlerhafte Zeile|fehlerhafte Zeilen}."
)
IMPORT_PREVIEW_REJECTS = "Fehlerhafte Zeilen"
IMPORT_KIND = "Art"
IMPORT_KIND_LABELS = {"goal": "Ziel", "offer": "Angebot", "reflection": "Reflexion"}
IMPORT_ROLE_LABELS = {"mentee": "Mentee", "mentor": "Mentor:in", "peer": "Peer"}
IMPORT_YES = "Ja"
IMPORT_NO = "Nein"
IMPORT_SAVE_MAPPING = "Zuordnung für den nächsten Import dieses Programms speichern"

IMPORT_ROW_PROBLEMS = {
    "extra_cells": "Die Zeile hat mehr Zellen, als die Kopfzeile Spalten hat.",
    "bad_json": "Die Zeile ist kein gültiges JSON.",
    "not_object": "Die Zeile ist kein JSON-Objekt.",
    "unknown_fields": "Unbekannte Felder: {fields}.",
    "other_programme": (
        "Die Zeile nennt das Programm „{programme}“, gewählt ist „{chosen}“. Leeren Sie die "
        "Zelle oder importieren Sie die Zeile in ihr eigenes Programm."
    ),
    "no_programme": "Das Programm fehlt.",
    "bad_participant_id": (
        "Die Teilnehmer-ID muss aus 1 bis 100 Buchstaben, Ziffern oder . _ : - bestehen."
    ),
    "bad_role": "Unbekannte Rolle „{value}“: möglich sind Mentee, Mentor:in und Peer.",
    "bad_kind": "Unbekannte Art „{value}“: möglich sind Ziel, Angebot und Reflexion.",
    "bad_stage": "Unbekannte Phase: möglich sind seminar, simulation, forum, application.",
    "bad_text": "{reason}",
    "bad_date": "„{value}“ ist kein Datum (etwa 31.03.2026 oder 2026-03-31).",
    "future_date": "Das Datum {date} liegt in der Zukunft.",
    "bad_entry_id": "Die Eintrags-ID muss aus 1 bis 100 Buchstaben, Ziffern oder . _ : - bestehen.",
    "bad_number": "{field} muss eine ganze Zahl von {low} bis {high} sein, nicht „{value}“.",
    "bad_age_band": "Die Altersgruppe muss eine Spanne wie 25-34 oder 60+ sein (oder leer).",
    "bad_email": "Die E-Mail-Adresse ist ungültig (eine Adresse wie name@beispiel.de).",
    "bad_boolean": "{field} muss Ja oder Nein sein, nicht „{value}“.",
    "person_differs": "Person {participant}: {field} weicht von Zeile {line} ab.",
    "entry_id_reused": "Die Eintrags-ID {entry_id} steht schon in Zeile {line} mit anderem Inhalt.",
    "entry_exists": "Die Eintrags-ID {entry_id} ist schon mit anderem Inhalt gespeichert.",
    "foreign_person": (
        "Person {participant} nimmt an einem anderen Programm teil, das Sie nicht ändern dürfen."
    ),
}
IMPORT_FILE_PROBLEMS = {
    "too_large": (
        "{name}: {size} MiB sind mehr als die {max} MiB, die ein Import haben darf. Bitte "
        "teilen Sie die Datei."
    ),
    "unreadable": "{name} kann nicht gelesen werden.",
    "bad_type": "{name}: Dieser Dateityp wird nicht unterstützt. Möglich sind CSV, JSONL, XLSX.",
    "bad_encoding": (
        "{name}: Zeile {line} ist kein gültiges UTF-8, die Datei mischt Kodierungen. Bitte "
        "speichern Sie sie als UTF-8."
    ),
    "unknown_encoding": (
        "{name}: Die Kodierung ist weder UTF-8 noch Windows-1252. Bitte speichern Sie die Datei "
        "als UTF-8."
    ),
    "bad_columns": (
        "{name}: Die Spalten passen nicht zum Importformat (unbekannt: {unknown}; fehlend: "
        "{missing}). Ordnen Sie die Spalten zu."
    ),
    "missing_consent": (
        "{name}: Keine Spalte für {fields}. Eine Einwilligung wird nie angenommen: Nehmen Sie "
        "die Einwilligungsfrage in die Datei auf und ordnen Sie die Spalte zu."
    ),
    "mapping_incomplete": "{name}: Keine Spalte zugeordnet für {fields}.",
    "bad_mapping": "Die Zuordnung „{name}“ ist ungültig ({problem}).",
    "empty_file": "{name}: Die Datei enthält keine Datenzeilen.",
    "invalid_rows": "Die Datei enthält fehlerhafte Zeilen.",
}
# -- command line: the rows of ``assistant import --dry-run`` ----------------------------------
CLI_DRY_RUN = Counted(
    "Probelauf, nichts gespeichert: {rows:gültiger Eintrag|gültige Einträge}, {rejected} abgelehnt."
)
CLI_DRY_RUN_ROW = (
    "Zeile {line}: {participant} | {role} | {kind} | {date} | Einwilligung {consent} | {text}"
)
_FALLBACK = "Die Datei kann nicht importiert werden: {message}"
_ROW_FALLBACK = "Die Zeile ist ungültig."


def _german(params: Mapping[str, str]) -> dict[str, str]:
    """Field names in parameters as their German labels (``fields`` lists several)."""
    out = dict(params)
    for key in ("field", "fields"):
        if key in out:
            names = [n.strip() for n in out[key].split(",") if n.strip()]
            out[key] = ", ".join(IMPORT_FIELD_LABELS.get(n, n) for n in names)
    if "reason" in out:
        out["reason"] = INVALID.get(out["reason"], INVALID_DEFAULT)
    for key in ("unknown", "missing"):
        if key in out and not out[key]:
            out[key] = "keine"
    return out


def import_problem(code: str, params: Mapping[str, str], message: str = "") -> str:
    """Return the German words for an importer problem (a row's or a whole file's).

    Unknown codes fall back to a generic sentence with the English ``message``.
    """
    template = IMPORT_ROW_PROBLEMS.get(code) or IMPORT_FILE_PROBLEMS.get(code)
    if template is None:
        return _FALLBACK.format(message=message) if message else _ROW_FALLBACK
    try:
        return template.format(**_german(params))
    except (KeyError, IndexError):
        return _FALLBACK.format(message=message) if message else _ROW_FALLBACK
