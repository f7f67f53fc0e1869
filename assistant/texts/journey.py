"""German copy of the tandem's journey: the first-meeting guide and the goal agreement."""

from __future__ import annotations

from assistant.texts.common import Counted

__all__ = [
    "AGREEMENT_CONFIDENTIALITY",
    "AGREEMENT_CONFIDENTIALITY_DEFAULT",
    "AGREEMENT_CONFIRM",
    "AGREEMENT_CONFIRMED",
    "AGREEMENT_CONFIRMED_BY",
    "AGREEMENT_DOCX",
    "AGREEMENT_DRAFT_MARK",
    "AGREEMENT_EXCLUDED",
    "AGREEMENT_EXCLUDED_NONE",
    "AGREEMENT_FIELD_CONFIDENTIALITY",
    "AGREEMENT_FIELD_EXCLUDED",
    "AGREEMENT_FIELD_GOAL",
    "AGREEMENT_FIELD_GOAL_FREE",
    "AGREEMENT_FIELD_MINUTES",
    "AGREEMENT_FIELD_MONTHS",
    "AGREEMENT_FIELD_RHYTHM",
    "AGREEMENT_FIELD_TOPIC",
    "AGREEMENT_FRAME",
    "AGREEMENT_FRAME_LINE",
    "AGREEMENT_GOALS",
    "AGREEMENT_GOAL_NONE",
    "AGREEMENT_HEADING",
    "AGREEMENT_HISTORY",
    "AGREEMENT_HISTORY_COLUMNS",
    "AGREEMENT_INTRO",
    "AGREEMENT_NOT_STORED",
    "AGREEMENT_NO_TOPIC",
    "AGREEMENT_PDF",
    "AGREEMENT_SAVE",
    "AGREEMENT_SAVED",
    "AGREEMENT_SIGNATURES",
    "AGREEMENT_STATUS",
    "AGREEMENT_TITLE",
    "AGREEMENT_UNCONFIRMED",
    "AGREEMENT_WAITING",
    "DRAFT_HEADER",
    "GUIDE_AGENDA",
    "GUIDE_AGENDA_COMPLEMENTARY",
    "GUIDE_AGENDA_EMPTY",
    "GUIDE_AGENDA_SHARED",
    "GUIDE_CONCERN",
    "GUIDE_CONCERN_ITEMS",
    "GUIDE_HEADING",
    "GUIDE_INTRO",
    "GUIDE_KNOW",
    "GUIDE_KNOW_ITEMS",
    "GUIDE_MENTEE_GOALS",
    "GUIDE_PDF",
    "GUIDE_RULES",
    "GUIDE_RULES_ITEMS",
    "GUIDE_SUPPORT",
    "GUIDE_SUPPORT_ITEMS",
    "GUIDE_TITLE",
    "INVALID_AGREEMENT",
    "RHYTHMS",
    "TANDEM_OUTSIDE",
    "TANDEM_SUBTITLE",
    "agreement_too_long",
]

TANDEM_SUBTITLE = "Programm {programme} · Mentee {mentee} · Mentor:in {mentor}"

# -- first-meeting guide ---------------------------------------------------------------------
GUIDE_HEADING = "Leitfaden für das Erstgespräch"
GUIDE_TITLE = "Leitfaden für das Erstgespräch"
GUIDE_PDF = "Leitfaden als PDF herunterladen"
GUIDE_INTRO = (
    "Dieser Leitfaden hilft Ihnen beiden, das erste Treffen vorzubereiten. Nehmen Sie sich "
    "etwa 90 Minuten Zeit; nicht jede Frage muss beantwortet werden."
)
GUIDE_KNOW = "1. Kennenlernen"
GUIDE_KNOW_ITEMS = (
    "Wer sind Sie, was machen Sie in Ihrer Organisation, wie sind Sie dorthin gekommen?",
    "Was hat Sie bewogen, am Programm teilzunehmen?",
    "Welche Erfahrungen haben Sie schon mit Mentoring oder kollegialer Beratung gemacht?",
)
GUIDE_CONCERN = "2. Das Anliegen beider Seiten"
GUIDE_CONCERN_ITEMS = (
    "Mentee: Was möchten Sie in diesem Programm erreichen, was soll am Ende anders sein?",
    "Mentor:in: Was möchten Sie weitergeben, was möchten Sie selbst lernen?",
    "Woran werden Sie beide merken, dass sich die Zusammenarbeit gelohnt hat?",
)
GUIDE_MENTEE_GOALS = "Die Ziele der Mentee-Seite, wie sie im Programm notiert sind:"
GUIDE_SUPPORT = "3. Form der Unterstützung"
GUIDE_SUPPORT_ITEMS = (
    "Welche Form passt: Beratung, Rückmeldung, Hospitation, Begleitung zu Terminen, Netzwerk?",
    "Wie oft und wie lange treffen Sie sich (z. B. monatlich 90 Minuten), vor Ort oder online?",
    "Wie halten Sie zwischen den Treffen Kontakt, und wer lädt zum nächsten Treffen ein?",
)
GUIDE_RULES = "4. Spielregeln"
GUIDE_RULES_ITEMS = (
    "Offenheit: Beide sprechen an, was sie beschäftigt, auch Unbequemes.",
    "Vertrauen: Was im Tandem besprochen wird, bleibt im Tandem (Vertraulichkeit).",
    "Respekt: Beide begegnen sich auf Augenhöhe, unabhängig von Funktion und Alter.",
    "Verbindlichkeit: Vereinbarte Termine werden eingehalten oder rechtzeitig verschoben.",
)
GUIDE_AGENDA = "5. Themen für die Agenda"
GUIDE_AGENDA_SHARED = "Gemeinsames Thema: {topic}"
GUIDE_AGENDA_COMPLEMENTARY = "Ergänzendes Thema: {topic}"
GUIDE_AGENDA_EMPTY = (
    "Aus dem Themenpool liegt noch kein gemeinsames Thema vor: Sammeln Sie im Gespräch zwei "
    "oder drei Themen, die Ihnen beiden wichtig sind."
)

# -- goal agreement --------------------------------------------------------------------------
AGREEMENT_HEADING = "Zielvereinbarung"
AGREEMENT_TITLE = "Zielvereinbarung"
AGREEMENT_PDF = "Zielvereinbarung als PDF herunterladen"
AGREEMENT_DOCX = "Zielvereinbarung als Word-Datei (DOCX) herunterladen"
AGREEMENT_INTRO = (
    "Der Entwurf ist aus den Zielen und den gemeinsamen Themen vorausgefüllt. Passen Sie ihn "
    "gemeinsam an; er gilt, sobald Sie beide bestätigt haben. Jede Änderung danach braucht "
    "wieder beide Bestätigungen."
)
AGREEMENT_DRAFT_MARK = "Entwurf"
DRAFT_HEADER = "ENTWURF – noch nicht von beiden bestätigt"
AGREEMENT_GOALS = "Ziele je Thema"
AGREEMENT_NO_TOPIC = "Weiteres Ziel"
AGREEMENT_GOAL_NONE = "(noch offen)"
AGREEMENT_FRAME = "Rahmen"
AGREEMENT_FRAME_LINE = Counted(
    "Treffen: {rhythm}, je {minutes} Minuten; Laufzeit: {months:Monat|Monate}."
)
AGREEMENT_CONFIDENTIALITY = "Vertraulichkeit"
AGREEMENT_EXCLUDED = "Ausgeschlossene Themen"
AGREEMENT_EXCLUDED_NONE = "Keine."
AGREEMENT_SIGNATURES = "Bestätigungen"
AGREEMENT_CONFIRMED_BY = "{person} hat am {at} bestätigt."
AGREEMENT_UNCONFIRMED = "{person} hat noch nicht bestätigt."
AGREEMENT_STATUS = "Fassung {version}: {status}"
AGREEMENT_CONFIRMED = "von beiden bestätigt"
AGREEMENT_WAITING = "Entwurf, wartet auf die Bestätigung beider"
AGREEMENT_NOT_STORED = "noch nicht gespeichert"
AGREEMENT_SAVE = "Zielvereinbarung speichern"
AGREEMENT_SAVED = "Gespeichert als Fassung {version}. Bitte bestätigen Sie beide diese Fassung."
AGREEMENT_CONFIRM = "Diese Fassung bestätigen"
AGREEMENT_HISTORY = "Frühere Fassungen"
AGREEMENT_HISTORY_COLUMNS = {
    "version": "Fassung",
    "created_at": "Erstellt am",
    "created_by": "Erstellt von",
    "confirmed": "Bestätigt von",
}
AGREEMENT_FIELD_TOPIC = "Thema"
AGREEMENT_FIELD_GOAL = "Ziel zu „{topic}“"
AGREEMENT_FIELD_GOAL_FREE = "Weiteres Ziel (ohne Thema aus dem Themenpool)"
AGREEMENT_FIELD_RHYTHM = "Rhythmus der Treffen"
AGREEMENT_FIELD_MINUTES = "Dauer eines Treffens (Minuten)"
AGREEMENT_FIELD_MONTHS = "Laufzeit (Monate)"
AGREEMENT_FIELD_CONFIDENTIALITY = "Vertraulichkeit"
AGREEMENT_FIELD_EXCLUDED = "Ausgeschlossene Themen"
RHYTHMS = {
    "weekly": "wöchentlich",
    "biweekly": "alle zwei Wochen",
    "monthly": "monatlich",
    "bimonthly": "alle zwei Monate",
}
"""Meeting rhythms by code, as the agreement names them."""

AGREEMENT_CONFIDENTIALITY_DEFAULT = (
    "Was im Tandem besprochen wird, bleibt vertraulich. Keine Seite gibt Inhalte ohne "
    "Zustimmung der anderen weiter; die Programmkoordination erfährt nur, dass das Tandem "
    "sich trifft."
)
INVALID_AGREEMENT = {
    "rhythm": "Bitte wählen Sie einen Rhythmus: " + ", ".join(RHYTHMS.values()) + ".",
    "minutes": "Die Dauer eines Treffens muss zwischen {low} und {high} Minuten liegen.",
    "months": "Die Laufzeit muss zwischen {low} und {high} Monaten liegen.",
    "goals": "Die Vereinbarung braucht mindestens ein Ziel und höchstens {high} Ziele.",
    "stale": (
        "Diese Fassung ist nicht mehr aktuell: Ihr Tandem hat inzwischen Fassung {version} "
        "gespeichert. Bitte lesen Sie die neue Fassung, bevor Sie bestätigen."
    ),
    "unchanged": "Nichts geändert: Die gespeicherte Fassung gilt weiter.",
    "unsaved": (
        "Sie haben das Formular geändert, aber noch nicht gespeichert. Bitte speichern Sie "
        "zuerst; bestätigt wird immer die gespeicherte Fassung."
    ),
}
TANDEM_OUTSIDE = (
    "Nur die beiden Partner des Tandems sehen und bestätigen diese Vereinbarung; Sie gehören "
    "nicht zu diesem Tandem."
)


def agreement_too_long(field: str, length: int, limit: int) -> str:
    """Return the message for a field over its length (the text itself stays in the form)."""
    return (
        f"Das Feld „{field}“ ist mit {length} Zeichen zu lang: höchstens {limit} Zeichen, "
        "damit die Vereinbarung gedruckt lesbar bleibt. Ihr Text bleibt im Formular stehen; "
        "bitte kürzen Sie ihn."
    )
