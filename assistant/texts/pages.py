"""German copy of the moderator, coordinator, topic pool, my-data and audit pages."""

from __future__ import annotations

import re

from assistant.texts.common import Counted

# -- moderator page ("Peer-Gruppe") -----------------------------------------------------------
MODERATOR_HEADER = "Forum der Peer-Gruppe"
MODERATOR_INTRO = (
    "Welche Themen haben die Mitglieder Ihrer Gruppe in den letzten Monaten beschäftigt? "
    "Gezählt werden nur Personen, die der Auswertung zugestimmt haben. Einzelne Texte "
    "sehen Sie hier nicht, nur Anzahlen."
)
GROUP_PICK = "Peer-Gruppe"
GROUP_OPTION = "{group} ({programme})"
NO_GROUPS = "Ihrem Konto ist noch keine Peer-Gruppe zugeordnet."
FORUM_LOADING = "Themen der Gruppe werden ausgewertet …"
FORUM_RANKING = "Themen nach Anzahl der Mitglieder"
FORUM_NONE = "In dieser Gruppe wurden in den letzten Monaten noch keine Themen erkannt."
FORUM_CHART_ALT = (
    "Balkendiagramm: Themen der Peer-Gruppe, sortiert nach der Anzahl der Mitglieder, die sie "
    "angesprochen haben. Die Tabelle daneben enthält dieselben Zahlen."
)
FORUM_COLUMNS = {
    "label": "Thema",
    "members": "Mitglieder",
    "entries": "Einträge",
    "origin": "Herkunft",
    "discussed": "Bereits besprochen am",
}
FORUM_ORIGIN = {False: "Themenpool", True: "Neues Thema"}
FORUM_PROMPTS = "Impulsfragen für das Forum"
FORUM_PROMPTS_TOPIC = Counted("{topic} – {members:Mitglied|Mitglieder}")
FORUM_NO_PROMPTS = (
    "Für dieses neue Thema enthält der Themenpool noch keine Impulsfragen. Die "
    "Programmkoordination kann es in den Themenpool aufnehmen."
)
FORUM_PICK_HEADER = "Themen für den nächsten Forumstermin"
FORUM_DATE = "Datum des Forums"
FORUM_TOPICS = "Themen auswählen"
FORUM_CHOOSE = "Für das Forum vormerken"
FORUM_CHOSEN = "Für den {date} vorgemerkt: {topics}."
FORUM_ALREADY = "Bereits für den {date} vorgemerkt: {topics}."
FORUM_PICK_NONE = "Bitte wählen Sie mindestens ein Thema aus."
FORUM_HISTORY = "Bereits besprochene und vorgemerkte Themen"
FORUM_HISTORY_EMPTY = "Für diese Gruppe wurden noch keine Themen vorgemerkt."
FORUM_HISTORY_COLUMNS = {"date": "Datum", "label": "Thema"}

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


# -- coordinator page ("Programmübersicht") ----------------------------------------------------
COORD_HEADER = "Programmübersicht"
COORD_INTRO = (
    "Welche Themen beschäftigen die Teilnehmenden Ihres Programms? Ausgewertet werden nur "
    "Einträge von Personen, die der Auswertung zugestimmt haben. Sie sehen Themen und Zahlen, "
    "keine Namen; Sätze aus den Texten erscheinen maskiert und nur in Themen, die genügend "
    "Personen teilen (siehe „Datenschutzhinweise“)."
)
COORD_PROGRAMME = "Programm"
COORD_NO_PROGRAMMES = (
    "Ihrem Konto ist noch kein Programm zugeordnet. Bitte wenden Sie sich an die Administration."
)
COORD_CLUSTERING = "Themen werden ermittelt …"
COORD_TOO_FEW = Counted(
    "Zu wenige Texte für eine Themenübersicht ({n:verwertbarer Eintrag|verwertbare Einträge})."
)
COORD_SUMMARY = Counted(
    "{entries:Eintrag|Einträge} ausgewertet · {themes:Thema|Themen} · davon {emerging} neu"
)
COORD_SET_ASIDE = Counted(
    "Nicht berücksichtigt: {boilerplate:Eintrag|Einträge} ohne Inhalt (z. B. „keine“), "
    "{duplicates:doppelter Eintrag|doppelte Einträge}."
)
COORD_THEME = "Thema"
COORD_TABLE_HEADER = "Themen"
COORD_COLUMNS = {
    "label": "Thema",
    "keywords": "Stichworte",
    "participants": "Personen",
    "entries": "Einträge",
    "mapping": "Zuordnung",
}
COORD_SENTENCES = "Typische Formulierungen (maskiert)"
COORD_SENTENCES_RULE = (
    "Formulierungen erscheinen nur bei Themen, die mindestens {k} Personen genannt haben; "
    "Namen, E-Mail-Adressen und Telefonnummern sind maskiert."
)
COORD_FREQ_HEADER = "Wie viele Personen nennen welches Thema?"
COORD_FREQ_HELP = (
    "Themen nach der Zahl der Personen, die sie nennen, das größte zuerst. Blau: Themen aus dem "
    "Themenpool, orange: neue Themen. Sonstiges fasst kleine und vereinzelte Einträge zusammen "
    "und steht nur in der Tabelle darunter."
)
COORD_FREQ_ALT = "Balkendiagramm: Personen je Thema; die Tabelle daneben nennt die Zahlen."
COORD_PERSONS = "Personen"
COORD_ENTRIES = "Einträge"
COORD_KIND = "Herkunft"
COORD_KIND_POOL = "Themenpool"
COORD_KIND_NEW = "neu"
COORD_NUMBERS = "Zahlen zum Diagramm"
COORD_TIME_HEADER = "Themen im Zeitverlauf"
COORD_TIME_ALT = (
    "Gestapeltes Balkendiagramm: Einträge je Thema und Zeitraum; die Tabelle darunter nennt "
    "die Zahlen."
)
COORD_PERIOD = "Zeitraum"
COORD_PERIODS = {"month": "Monat", "quarter": "Quartal"}
COORD_TIME_EMPTY = "Noch keine Einträge mit Datum."
COORD_EMERGING_HEADER = "Neue Themen"
COORD_EMERGING_INTRO = (
    "Diese Themen passen zu keinem Thema des Themenpools. Sie können eines als neues Thema in "
    "den Pool übernehmen: mit einer Bezeichnung, einer Beschreibung und drei Beispielsätzen in "
    "Ihren eigenen Worten."
)
COORD_EMERGING_NONE = "Zurzeit gibt es keine neuen Themen außerhalb des Themenpools."
COORD_EMERGING_ADD = "„{label}“ in den Themenpool übernehmen"
COORD_IMPORT_HEADER = "Daten importieren"
COORD_IMPORT_HELP = (
    "CSV-, XLSX- oder JSONL-Datei: eine Zeile je Text (das Langformat aus dem README, „Import "
    "format“) oder ein Export aus Microsoft Forms, LimeSurvey oder Excel mit eigenen "
    "Spaltennamen. Nach dem Hochladen ordnen Sie die Spalten zu und sehen eine Vorschau; "
    "gespeichert wird erst mit „Importieren“. Alle Zeilen gehören zum Programm „{programme}“; "
    "eine Zeile, die ein anderes Programm nennt, wird abgelehnt. Enthält eine Zeile einen "
    "Fehler, wird nichts importiert."
)
COORD_IMPORT_FILE = "Datei auswählen"
COORD_IMPORT_BUTTON = "Importieren"
COORD_IMPORTING = "Einträge werden analysiert … ({done} von etwa {total})"
COORD_IMPORT_DONE = Counted(
    "Import abgeschlossen: {imported:neuer Eintrag|neue Einträge}, {unchanged} unverändert, "
    "{participants:Person|Personen}."
)
COORD_IMPORT_KEPT = Counted(
    " Bei {n:bereits bekannten Person|bereits bekannten Personen} weicht die Datei von den "
    "gespeicherten Angaben ab (Einwilligung, Organisation oder Altersgruppe). Diese Angaben "
    "wurden nicht geändert: sie gehören der Person und ändern sich nur über „Meine Daten“ "
    "oder auf ihren Wunsch."
)
COORD_IMPORT_CHANGED = Counted(
    " Bei {n:bereits bekannten Person|bereits bekannten Personen} wurden Kapazität, Stufe oder "
    "E-Mail-Adresse im Programm aus der Datei übernommen."
)
COORD_IMPORT_REJECTED = Counted(
    "Die Datei enthält {n:fehlerhafte Zeile|fehlerhafte Zeilen}. Es wurde nichts importiert. "
    "Bitte korrigieren Sie die Datei und laden Sie sie erneut hoch."
)
COORD_IMPORT_FAILED = "Die Datei kann nicht importiert werden: {message}"
COORD_IMPORT_REPORT = "Prüfbericht"
COORD_REPORT_COLUMNS = {"line": "Zeile", "reason": "Grund"}
COORD_END_HEADER = "Programmende und Löschfrist"
COORD_END_HELP = (
    "Ab dem Programmende läuft die Löschfrist (standardmäßig 12 Monate); danach löscht der "
    "Assistent die Einträge des Programms. Ohne Programmende wird nichts automatisch gelöscht."
)
COORD_END_DATE = "Programmende"
COORD_END_SAVE = "Programmende speichern"
COORD_END_SAVED = "Gespeichert: Das Programm endet am {date}; die Löschfrist zählt ab diesem Tag."
COORD_END_CLEARED = (
    "Gespeichert: Das Programm hat kein Programmende; nichts wird automatisch gelöscht."
)
COORD_EXPORT_HEADER = "Export"
COORD_EXPORT_CSV = "Thementabelle als CSV herunterladen"
COORD_EXPORT_HTML = "Kurzbericht für die Evaluation (HTML) herunterladen"


# -- topic pool page ("Themenpool") ------------------------------------------------------------
POOL_HEADER = "Themenpool"
POOL_INTRO = (
    "Der Themenpool enthält die Themen, denen der Assistent Ziele und Reflexionen zuordnet, "
    "mit Beispielsätzen, Fragen zur Reflexion und Impulsen für das Forum. Neue Themen und "
    "Beispiele verbessern die Vorschläge; bestehende Themen lassen sich hier nicht löschen "
    "oder umbenennen, weil gespeicherte Auswertungen auf sie verweisen."
)
POOL_SUMMARY = Counted("{name}: {n:Thema|Themen}")
POOL_READ_ONLY = (
    "Dieser Themenpool ist in der Konfiguration fest eingestellt (Einstellung „pool“) und kann "
    "hier nur angesehen werden."
)
POOL_NO_EDIT = (
    "Ändern dürfen diesen Themenpool die Koordination des Programms und die Administration. "
    "Den Grundbestand für alle Programme ändert nur die Administration."
)
POOL_SCOPE = "Themenpool von"
POOL_SCOPE_BASE = "Grundbestand (für alle Programme ohne eigenen Themenpool)"
POOL_OWN = (
    "Dieses Programm hat einen eigenen Themenpool. Änderungen gelten nur für dieses Programm."
)
POOL_SHARED = (
    "Dieses Programm verwendet den Grundbestand. Mit der ersten Änderung erhält es einen "
    "eigenen Themenpool; andere Programme bleiben unverändert."
)
POOL_BASE_NOTE = "Der Grundbestand gilt für alle Programme, die keinen eigenen Themenpool haben."
POOL_BROWSE = "Themen"
POOL_DESCRIPTION = "Beschreibung"
POOL_KEYWORDS = "Stichworte"
POOL_EXAMPLES = "Beispielsätze"
POOL_QUESTIONS = "Fragen zur Reflexion"
POOL_PROMPTS = "Impulse für das Forum"
POOL_ID = "Kennung"
POOL_ADD_TOPIC = "Neues Thema anlegen"
POOL_ADD_EXAMPLES = "Beispielsätze ergänzen"
POOL_TOPIC_PICK = "Thema"
POOL_LANGUAGE = "Sprache der Beispiele"
POOL_NEW_EXAMPLES = "Neue Beispielsätze (ein Satz pro Zeile)"
POOL_SAVE_TOPIC = "Thema speichern"
POOL_SAVE_EXAMPLES = "Beispiele speichern"
POOL_INVALID = "So kann der Themenpool nicht gespeichert werden:"
POOL_SAVED = "Gespeichert. Der Assistent verwendet ab jetzt den geänderten Themenpool."
POOL_SAVED_FOR = (
    "Gespeichert. Vorschläge und Themen in „{programme}“ verwenden ab jetzt den geänderten "
    "Themenpool."
)
POOL_REFITTING = (
    "Themenpool wird gespeichert und der Assistent neu eingelernt (das kann eine Minute dauern) …"
)
POOL_EXAMPLES_HINT = (
    "Bitte formulieren Sie Beispiele allgemein – ohne Namen oder Einzelheiten, die auf eine "
    "Person schließen lassen."
)
POOL_FORM = {
    "id": "Kennung (Kleinbuchstaben, Ziffern und _, z. B. buergerdialog)",
    "label_de": "Bezeichnung",
    "label_en": "Bezeichnung auf Englisch (optional)",
    "description_de": "Beschreibung",
    "description_en": "Beschreibung auf Englisch (optional)",
    "keywords_de": "Stichworte (durch Komma getrennt)",
    "examples_de": "Beispielsätze auf Deutsch (mindestens 3, einer pro Zeile)",
    "examples_en": "Beispielsätze auf Englisch (optional, einer pro Zeile)",
    "reflection_questions_de": "Fragen zur Reflexion (mindestens 3, eine pro Zeile)",
    "forum_prompts_de": "Impulse für das Forum (mindestens 2, einer pro Zeile)",
}
POOL_FIELDS = {
    "id": "Kennung",
    "label.de": "Bezeichnung",
    "label.en": "Bezeichnung (Englisch)",
    "description.de": "Beschreibung",
    "description.en": "Beschreibung (Englisch)",
    "keywords.de": "Stichworte",
    "examples.de": "Beispielsätze (Deutsch)",
    "examples.en": "Beispielsätze (Englisch)",
    "reflection_questions.de": "Fragen zur Reflexion",
    "forum_prompts.de": "Impulse für das Forum",
}
_POOL_MESSAGES = (
    (
        r"List should have at least (\d+) items? after validation, not (\d+)",
        "mindestens {0} nötig, {1} angegeben",
    ),
    (r"String should have at least 1 character", "darf nicht leer sein"),
    (r"String should have at most (\d+) characters", "höchstens {0} Zeichen"),
    (
        r"String should match pattern",
        "nur Kleinbuchstaben, Ziffern und _, mit einem Buchstaben am Anfang, 2 bis 48 Zeichen",
    ),
    (r"Field required", "fehlt"),
    (r"duplicate topic id", "diese Kennung gibt es im Themenpool schon"),
    (r"reserved for theme clusters", "diese Kennung ist reserviert"),
    (r"no new example given", "kein neuer Beispielsatz angegeben"),
)


def pool_problem(field: str, message: str) -> str:
    """Return one pool validation problem in German: the field's name and what is wrong."""
    parts = field.split(".")
    item = ""
    if parts and parts[-1].isdigit():
        item = f", Nr. {int(parts.pop()) + 1}"
    name = POOL_FIELDS.get(".".join(parts), field or "Themenpool") + item
    for pattern, german in _POOL_MESSAGES:
        found = re.search(pattern, message)
        if found:
            return f"{name}: {german.format(*found.groups())}"
    return f"{name}: {message}"


# -- Meine Daten, Protokoll (issue #5) ---------------------------------------------------------

MY_DATA_HEADER = "Meine Daten"
MY_DATA_INTRO = (
    "Hier entscheiden Sie, wofür Ihre Texte genutzt werden, laden alle gespeicherten Daten "
    "über Sie herunter oder löschen sich vollständig. Änderungen gelten sofort."
)
CONSENT_HEADER = "Einwilligungen"
CONSENT_ANALYSIS = "Meine Texte fließen ohne Namen in die Themenübersicht des Programms ein"
CONSENT_ANALYSIS_HELP = (
    "Die Koordination sieht nur Themen mit Personenzahlen; einzelne Sätze erscheinen "
    "maskiert und nur in Themen, die mindestens {k} Personen teilen."
)
CONSENT_MATCHING = (
    "Ich möchte anderen als passende Person vorgeschlagen und in ein Tandem oder eine Gruppe "
    "vermittelt werden"
)
CONSENT_MATCHING_HELP = (
    "Sie sehen Vorschläge nur, wenn Sie selbst einwilligen; vorgeschlagene Personen sehen Ihr "
    "Kürzel und Ihre Organisation, nie Ihre Texte. Ihre Tandempartnerin oder Ihr Tandempartner "
    "sieht nach der Veröffentlichung die beiden Sätze, auf denen die Zuordnung beruht, und Ihre "
    "Angebote."
)
CONSENT_SAVED = "Ihre Einwilligungen wurden gespeichert und gelten ab sofort."
EXPORT_HEADER = "Auskunft und Datenexport"
EXPORT_INTRO = (
    "Alle über Sie gespeicherten Daten als JSON-Datei: Ihre Einträge, Themenvorschläge mit "
    "Ihrer Rückmeldung, Ihre Einwilligungen mit Zeitpunkt und die Protokolleinträge zu Ihnen."
)
EXPORT_PREPARE = "Export erstellen"
EXPORT_DOWNLOAD = "JSON herunterladen"
EXPORT_FILE = "meine-daten-{participant}.json"
ERASE_HEADER = "Mich löschen"
ERASE_INTRO = (
    "Löscht Ihre Einträge, alle daraus berechneten Daten, Themenvorschläge, Einwilligungen "
    "und Ihr Konto endgültig. Das Protokoll vermerkt nur, dass gelöscht wurde."
)
ERASE_BUTTON = "Alle meine Daten löschen …"
ERASE_CONFIRM_WORD = "LÖSCHEN"
ERASE_CONFIRM_PROMPT = "Zur Bestätigung bitte „LÖSCHEN“ eingeben"
ERASE_CONFIRM_BUTTON = "Endgültig löschen"
ERASE_CANCEL = "Abbrechen"
ERASE_CONFIRM_MISMATCH = "Bitte genau „LÖSCHEN“ eingeben, um zu bestätigen."
ERASE_DONE = "Ihre Daten wurden gelöscht und Sie wurden abgemeldet."
ERASE_SCRUB_PENDING = (
    "Die Datenbankdatei wird gerade von einem anderen Vorgang gelesen. Ihre Daten sind "
    "gelöscht; letzte Reste in der Datei werden beim nächsten Aufräumen überschrieben."
)

AUDIT_HEADER = "Protokoll"
AUDIT_INTRO = (
    "Wer hat wann welche Programmansicht gesehen oder heruntergeladen, jede Anmeldung, Löschung, "
    "Einwilligungs- und Rollenänderung und jede abgelehnte Anfrage. Die Anwendung ändert "
    "keinen Eintrag; eine Änderung an der Datenbank vorbei zeigt „assistant audit verify“."
)
AUDIT_LIMIT = "Neueste Einträge"
AUDIT_EMPTY = "Noch keine Einträge."
AUDIT_COLUMNS = {
    "at": "Zeitpunkt",
    "actor": "Wer",
    "action": "Aktion",
    "outcome": "Ergebnis",
    "programme": "Programm",
    "group": "Gruppe",
    "subject": "Betrifft",
    "detail": "Details",
}
AUDIT_OUTCOME = {"ok": "erlaubt", "denied": "verweigert", "failed": "fehlgeschlagen"}
