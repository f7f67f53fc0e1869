"""All German UI copy; the only module with user-facing strings of the app."""

from __future__ import annotations

APP_TITLE = "Mentoring-Assistent"
PAGE_SUGGEST = "Themen finden"

SUGGEST_HEADER = "Welche Themen passen zu meinem Ziel?"
SUGGEST_INTRO = (
    "Beschreiben Sie in eigenen Worten, woran Sie im Mentoring arbeiten möchten. "
    "Der Assistent schlägt passende Themen aus dem Themenpool Ihres Programms vor und "
    "zeigt, welche Sätze und Stichworte dazu geführt haben. Ihr Text wird dabei nicht gespeichert."
)
GOAL_PROMPT = "Ihr Ziel oder Ihre Reflexion"
GOAL_PLACEHOLDER = "z. B. Ich möchte, dass unser Amt auf Instagram präsenter wird."
SUGGEST_BUTTON = "Themen vorschlagen"
LOADING_MODEL = (
    "Sprachmodell und Themenpool werden geladen (beim ersten Start bis zu einer Minute) …"
)
ANALYSING = "Text wird analysiert …"
LOADING_DEMO = "Demo-Programme werden beim ersten Start geladen (fiktive Daten) …"
DEMO_SIZE_HINT = 231  # entries in assistant/demo/entries.csv, for the progress bar
NO_FIT = (
    "Zu diesem Text passt kein Thema des Themenpools gut. Formulieren Sie Ihr Anliegen "
    "gern ausführlicher – oder sprechen Sie mit Ihrer Programmkoordination über ein neues Thema."
)
SCORE = "Passung"
EVIDENCE = "Belege aus Ihrem Text"
KEYWORDS = "Stichworte"
REFLECTION_QUESTIONS = "Fragen zur Reflexion"
LANGUAGE = {"de": "Deutsch", "en": "Englisch"}
DETECTED_LANGUAGE = "Erkannte Sprache"

INVALID = {
    "empty": "Bitte geben Sie einen Text ein.",
    "too_long": "Der Text ist zu lang. Bitte teilen Sie ihn in mehrere Einträge auf.",
    "control_chars": (
        "Der Text enthält unzulässige Steuerzeichen. Bitte nur einfachen Text eingeben."
    ),
    "markup": "Der Text enthält HTML- oder Script-Tags. Bitte nur einfachen Text eingeben.",
    "no_words": "Der Text enthält keine Wörter. Bitte beschreiben Sie Ihr Anliegen in Worten.",
}
INVALID_DEFAULT = "Der Text kann nicht verarbeitet werden."
ERROR_GENERIC = "Es ist ein Fehler aufgetreten: {message}"


def invalid_entry(code: str) -> str:
    """Return the German message for an ``InvalidEntryError`` code."""
    return INVALID.get(code, INVALID_DEFAULT)
