"""All German copy of the app and the command line, in one module that imports no streamlit.

The CLI, the report and the app share it: code returns codes and numbers, this gives them words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

APP_TITLE = "Mentoring-Assistent"
PAGE_SUGGEST = "Themen finden"

PAGE_SIGN_IN = "Anmelden"
PAGE_PARTICIPANT = "Mein Mentoring"
PAGE_MY_DATA = "Meine Daten"
PAGE_MODERATOR = "Peer-Gruppe"
PAGE_COORDINATOR = "Programmübersicht"
PAGE_POOL = "Themenpool"
PAGE_AUDIT = "Protokoll"
ROLE = {
    "participant": "Teilnehmende:r",
    "moderator": "Moderation",
    "coordinator": "Koordination",
    "admin": "Administration",
}
SIGNED_IN_AS = "Angemeldet als {name} ({role})"
SIGN_OUT = "Abmelden"
SIGN_IN_HEADER = "Anmelden"
SIGN_IN_INTRO = (
    "Melden Sie sich an, um Ihre Ziele und Reflexionen, die Programmübersicht oder Ihre "
    "Peer-Gruppe zu sehen. Was Sie sehen, hängt von Ihrer Rolle ab."
)
SIGN_IN_OIDC = "Mit dem Dienstkonto anmelden"
USERNAME = "Benutzername"
PASSWORD = "Passwort"
SIGN_IN_BUTTON = "Anmelden"
SIGN_IN_FAILED = "Anmeldung fehlgeschlagen. Bitte prüfen Sie Benutzername und Passwort."
SIGN_IN_LOCKED = (
    "Zu viele Fehlversuche. Das Konto ist vorübergehend gesperrt; bitte versuchen Sie es später."
)
SIGN_IN_DEMO_HINT = (
    "Demo: Beim ersten Start legt der Assistent je Rolle ein Konto an und gibt die Passwörter "
    "einmalig im Terminal aus, in dem „make run“ läuft."
)
SESSION_EXPIRED = "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."
SIGN_IN_FIRST = "Bitte melden Sie sich zuerst an."
ACCESS_DENIED = "Diese Ansicht ist für Ihre Rolle nicht freigegeben."

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
DEMO_ACCOUNTS_HEADER = (
    "Demo-Konten (fiktive Daten; die Passwörter werden nur dieses eine Mal angezeigt):\n"
    "  Rolle        Benutzername             Passwort"
)
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


# -- participant page ("Mein Mentoring") ------------------------------------------------------
PARTICIPANT_HEADER = "Mein Mentoring"
PARTICIPANT_INTRO = (
    "Halten Sie hier Ihre Ziele, Angebote und Reflexionen fest. Der Assistent schlägt passende "
    "Themen aus dem Themenpool Ihres Programms vor und zeigt, welche Sätze dazu geführt haben. "
    "Sie entscheiden, welche Themen passen. Ihre Texte sieht außer Ihnen niemand."
)
PROGRAMME_PICK = "Programm"
NO_PROGRAMME = (
    "Ihrem Konto ist noch kein Programm zugeordnet. Bitte wenden Sie sich an Ihre "
    "Programmkoordination."
)
NEW_ENTRY = "Neuer Eintrag"
ENTRY_KIND = "Art des Eintrags"
ENTRY_KINDS = {"goal": "Ziel", "offer": "Angebot", "reflection": "Reflexion"}
ENTRY_STAGE = "Phase der Peer-Gruppe"
STAGES = {
    "": "keine Angabe",
    "seminar": "Seminar",
    "simulation": "Simulation",
    "forum": "Forum",
    "application": "Anwendung",
}
ENTRY_TEXT = "Ihr Text"
ENTRY_PLACEHOLDER = "z. B. Ich möchte lernen, Konflikte in meinem Team früher anzusprechen."
ENTRY_SAVE = "Speichern und Themen vorschlagen"
ENTRY_SAVED = "Ihr Eintrag wurde gespeichert. Die Themenvorschläge finden Sie unten."
MY_ENTRIES = "Meine Einträge und Themenvorschläge"
NO_ENTRIES = "Sie haben noch keine Einträge. Beginnen Sie oben mit Ihrem ersten Ziel."
ENTRY_PICK = "Eintrag auswählen"
ENTRY_OPTION = "{date} · {kind} · {start}"
ENTRY_EDIT = "Eintrag bearbeiten"
ENTRY_EDIT_TEXT = "Text des Eintrags"
ENTRY_EDIT_SAVE = "Änderung speichern"
ENTRY_EDITED = (
    "Ihre Änderung wurde gespeichert. Die Themenvorschläge wurden neu berechnet; bitte "
    "entscheiden Sie erneut, welche passen."
)
SUGGESTION_STATUS = {
    "suggested": "Vorschlag – noch nicht entschieden",
    "accepted": "Angenommen",
    "dismissed": "Verworfen",
}
ACCEPT_TOPIC = "„{topic}“ annehmen"
UNDO_ACCEPT_TOPIC = "„{topic}“ nicht mehr annehmen"
DISMISS_TOPIC = "„{topic}“ verwerfen"
RESTORE_TOPIC = "„{topic}“ wieder vorschlagen"
DISMISSED_TOPICS = "Verworfene Vorschläge:"
MY_TOPICS = "Meine Themen – Fragen zur Reflexion"
NO_ACCEPTED = (
    "Sobald Sie einen Themenvorschlag annehmen, erscheinen hier Fragen aus dem Themenpool, "
    "die Sie in Ihre nächste Reflexion oder Ihr nächstes Treffen mitnehmen können."
)
PEERS = "Passende Personen im Programm"
PEERS_INTRO = (
    "Vorgeschlagen werden nur Personen, die dem Abgleich zugestimmt haben. Sie sehen ihr "
    "Pseudonym und ihre Organisation, nie ihre Texte."
)
PEERS_NO_CONSENT = (
    "Sie haben dem Abgleich mit anderen Teilnehmenden nicht zugestimmt. Deshalb schlägt Ihnen "
    "der Assistent keine passenden Personen vor, und Sie werden auch anderen nicht "
    "vorgeschlagen. Ihre Einwilligung können Sie unter „Meine Daten“ ändern."
)
PEERS_NO_TEXTS = (
    "Schreiben Sie zuerst ein Ziel oder ein Angebot, damit passende Personen gefunden werden."
)
PEERS_NONE = "Zurzeit gibt es in Ihrem Programm keine passenden Personen."
PEER_COLUMNS = {
    "participant": "Pseudonym",
    "organisation": "Organisation",
    "score": "Ähnlichkeit",
    "shared": "Gemeinsame Themen",
    "reason": "Warum vorgeschlagen",
}
# Peer reasons, by the codes of PeerMatch.reasons (assistant/peers/matches.py, REASON_CODES).
REASON_SIMILAR = "Ähnliche Ziele"
REASON_SIMILAR_TOPICS = "gemeinsame Themen"
REASON_OFFERS_NEED = "Bietet an, was gesucht wird"
REASON_NEEDS_OFFER = "Sucht, was angeboten wird"
REASON_OTHER_ORGANISATION = "andere Behörde"
_PEER_BASE_REASONS = {
    "similar_goals": REASON_SIMILAR,
    "need_offer": REASON_OFFERS_NEED,
    "offer_need": REASON_NEEDS_OFFER,
}


def peer_reason(reasons: Sequence[str], shared_topic_labels: Sequence[str]) -> str:
    """Return the German line saying why a peer is suggested.

    Parameters
    ----------
    reasons : sequence of str
        ``PeerMatch.reasons``: one of ``"similar_goals"``, ``"need_offer"``, ``"offer_need"``,
        then optionally ``"shared_topics"`` and ``"other_organisation"``.
    shared_topic_labels : sequence of str
        Labels of ``PeerMatch.shared_topics``, in that order.

    Returns
    -------
    str
        For example "Ähnliche Ziele; gemeinsame Themen: Social Media; andere Behörde" or
        "Bietet an, was gesucht wird: Konflikte".

    Raises
    ------
    ValueError
        For an unknown code.
    """
    line, similar = "", False
    for code in reasons:
        if code in _PEER_BASE_REASONS:
            line, similar = _PEER_BASE_REASONS[code], code == "similar_goals"
        elif code == "shared_topics":
            if not shared_topic_labels:
                continue
            labels = ", ".join(shared_topic_labels)
            # "Ähnliche Ziele" needs a noun for the topics; "Bietet an, was gesucht wird: …"
            # reads with the topics as its object.
            line += f"; {REASON_SIMILAR_TOPICS}: {labels}" if similar else f": {labels}"
        elif code == "other_organisation":
            line += f"; {REASON_OTHER_ORGANISATION}"
        else:
            raise ValueError(f"Unknown peer reason code '{code}'.")
    return line


HISTORY = "Mein Verlauf"
HISTORY_COLUMNS = {
    "date": "Datum",
    "kind": "Art",
    "stage": "Phase",
    "text": "Text",
    "topics": "Angenommene Themen",
}
DATE_FORMAT = "%d.%m.%Y"
NOT_IN_PROGRAMME = (
    "Für Ihr Konto sind in diesem Programm keine Daten hinterlegt. Bitte wenden Sie sich an "
    "Ihre Programmkoordination."
)

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
FORUM_PROMPTS_TOPIC = "{topic} – {members} Mitglieder"
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
    "keine einzelnen Personen."
)
COORD_PROGRAMME = "Programm"
COORD_NO_PROGRAMMES = (
    "Ihrem Konto ist noch kein Programm zugeordnet. Bitte wenden Sie sich an die Administration."
)
COORD_CLUSTERING = "Themen werden ermittelt …"
COORD_TOO_FEW = "Zu wenige Texte für eine Themenübersicht ({n} verwertbare Einträge)."
COORD_SUMMARY = "{entries} Einträge ausgewertet · {themes} Themen · davon {emerging} neu"
COORD_SET_ASIDE = (
    "Nicht berücksichtigt: {boilerplate} Einträge ohne Inhalt (z. B. „keine“), "
    "{duplicates} doppelte Einträge."
)
COORD_MAP_HEADER = "Themenkarte"
COORD_MAP_HELP = (
    "Jeder Punkt ist ein Eintrag, Farbe und Form zeigen sein Thema. Nahe beieinander liegende "
    "Punkte sind inhaltlich ähnlich. Beim Darüberfahren erscheint nur das Thema – keine Person "
    "und kein Text. Mit dem Mausrad lässt sich die Karte vergrößern."
)
COORD_MAP_ALT = "Themenkarte: {n} Einträge in {k} Themen; die Tabelle darunter nennt die Zahlen."
COORD_MAP_X = "Inhaltliche Achse 1"
COORD_MAP_Y = "Inhaltliche Achse 2"
COORD_MAP_TABLE = "Themenkarte als Tabelle"
COORD_THEME = "Thema"
COORD_POINTS = "Punkte auf der Karte"
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
COORD_FREQ_ALT = "Balkendiagramm: Personen je Thema; die Tabelle darunter nennt die Zahlen."
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
    "den Pool übernehmen; Bezeichnung, Beschreibung und Beispiele sind vorausgefüllt und "
    "lassen sich vor dem Speichern bearbeiten."
)
COORD_EMERGING_NONE = "Zurzeit gibt es keine neuen Themen außerhalb des Themenpools."
COORD_EMERGING_ADD = "„{label}“ in den Themenpool übernehmen"
COORD_EMERGING_FORM = "Neues Thema aus „{label}“"
COORD_IMPORT_HEADER = "Daten importieren"
COORD_IMPORT_HELP = (
    "CSV-, XLSX- oder JSONL-Datei mit den Spalten participant_id, role, organisation, "
    "age_band, consent_analysis, consent_matching, entry_id, kind, text, created_at, group "
    "(siehe README, „Import format“). Alle Zeilen werden dem Programm „{programme}“ "
    "zugeordnet. Enthält eine Zeile einen Fehler, wird nichts importiert."
)
COORD_IMPORT_FILE = "Datei auswählen"
COORD_IMPORT_BUTTON = "Importieren"
COORD_IMPORTING = "Einträge werden analysiert … ({done} von etwa {total})"
COORD_IMPORT_DONE = (
    "Import abgeschlossen: {imported} neue Einträge, {unchanged} unverändert, "
    "{participants} Personen."
)
COORD_IMPORT_REJECTED = (
    "Die Datei enthält {n} fehlerhafte Zeile(n). Es wurde nichts importiert. Bitte korrigieren "
    "Sie die Zeilen und laden Sie die Datei erneut hoch."
)
COORD_IMPORT_FAILED = "Die Datei kann nicht importiert werden: {message}"
COORD_IMPORT_REPORT = "Prüfbericht"
COORD_REPORT_COLUMNS = {"line": "Zeile", "reason": "Grund"}
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
POOL_SUMMARY = "{name}: {n} Themen"
POOL_READ_ONLY = (
    "Dieser Themenpool ist in der Konfiguration fest eingestellt (Einstellung „pool“) und kann "
    "hier nur angesehen werden."
)
POOL_NO_EDIT = "Bearbeiten dürfen nur Koordination und Administration."
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
    "examples_de": "Beispielsätze auf Deutsch (mindestens 15, einer pro Zeile)",
    "examples_en": "Beispielsätze auf Englisch (mindestens 5, einer pro Zeile)",
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
CONSENT_ANALYSIS = "Meine Texte fließen anonym in die Themenübersicht des Programms ein"
CONSENT_ANALYSIS_HELP = (
    "Die Koordination sieht nur Themen mit Personenzahlen; einzelne Sätze erscheinen "
    "maskiert und nur in Themen, die mindestens {k} Personen teilen."
)
CONSENT_MATCHING = "Ich möchte anderen Teilnehmenden als passende Person vorgeschlagen werden"
CONSENT_MATCHING_HELP = (
    "Sie sehen Vorschläge nur, wenn Sie selbst einwilligen; andere sehen Ihr Kürzel und Ihre "
    "Organisation, nie Ihre Texte."
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

AUDIT_HEADER = "Protokoll"
AUDIT_INTRO = (
    "Wer hat wann welche Programmansicht gesehen oder exportiert, jede Anmeldung, Löschung, "
    "Einwilligungs- und Rollenänderung. Das Protokoll kann nicht geändert werden."
)
AUDIT_LIMIT = "Neueste Einträge"
AUDIT_EMPTY = "Noch keine Einträge."
AUDIT_COLUMNS = {
    "at": "Zeitpunkt (UTC)",
    "actor": "Wer",
    "action": "Aktion",
    "outcome": "Ergebnis",
    "programme": "Programm",
    "group": "Gruppe",
    "subject": "Betrifft",
    "detail": "Details",
}
AUDIT_OUTCOME = {"ok": "erlaubt", "denied": "verweigert", "failed": "fehlgeschlagen"}


# -- command line: text output (JSON output has no German apart from data) -------------------
CLI_LANGUAGE = "Sprache: {language}"
CLI_NO_FIT = "Kein Thema des Themenpools passt zu diesem Text."
CLI_TOPIC_LINE = "{rank}. {label} [{id}]  Wert {score:.2f}"
CLI_EVIDENCE = "   Beleg: {sentence}"
CLI_KEYWORDS = "   Stichworte: {keywords}"
CLI_POOL_VALID = "OK: {source} ist gültig ({n} Themen)."
CLI_POOL_HEADER = "{name} ({source}), {n} Themen"
CLI_POOL_TOPIC = "- {id}: {label} – {description}"
CLI_INFO = (
    "Version: {version}\n"
    "Embedder: {kind} ({model_id}, {dimension} dim)\n"
    "Themenpool: {pool} ({source}), {topics} Themen\n"
    "Datenbank: {database}"
)
CLI_IMPORT_REPORT = (
    "{imported} Einträge importiert, {unchanged} unverändert, {rejected} abgelehnt "
    "({participants} Teilnehmende, Programme: {programmes})."
)
CLI_REJECTS_FILE = "Abgelehnte Zeilen mit Grund: {path}"
CLI_REPROCESSED = "{n} offene Einträge analysiert."
CLI_PEERS_HEADER = "Passende Personen für {participant} ({programme}):"
CLI_PEERS_NONE = "Keine passenden Personen mit Einwilligung zum Matching gefunden."
CLI_PEER_LINE = "{rank}. {participant}  Wert {score:.2f} – {reason}"
THEMES_TOO_FEW = "zu wenige Texte"
CLI_THEMES_HEADER = (
    "Themen in {programme} ({n} Texte; {boilerplate} Floskeln, {duplicates} Duplikate "
    "beiseitegelegt)"
)
CLI_THEMES_TOO_FEW = "Zu wenige Texte für Themencluster."
CLI_THEME_LINE = "- {label} [{id}, {kind}] {size} Personen: {keywords}"
CLI_THEME_NEW = "neu"
CLI_FORUM_CHOSEN = "Vorgemerkt: {topic} am {date} für {group}."
CLI_FORUM_CHOSEN_BEFORE = "War bereits vorgemerkt: {topic} am {date} für {group}."
CLI_FORUM_HEADER = "Forumsthemen für {group} ({programme}):"
CLI_FORUM_LINE = "{rank}. {label} [{id}] – {members} Personen{seen}"
CLI_FORUM_SEEN = ", besprochen am {dates}"
CLI_ERASED = "{participant} gelöscht: {counts}"
CLI_ROLE_CHANGED = "Rolle von {username}: {role}"
CLI_USER_ADDED = (
    "Konto {username} ({role}) angelegt. Passwort (wird nur jetzt angezeigt): {password}"
)
CLI_CONSENT = "{participant}: Analyse {analysis}, Matching {matching}"
CLI_YES, CLI_NO = "ja", "nein"
CLI_RETENTION_NONE = "Keine Programme über ihrer Aufbewahrungsfrist."
CLI_RETENTION_LINE = "{programme}: {entries} Einträge {verb} (Frist {deadline})"
CLI_RETENTION_DRY, CLI_RETENTION_DONE = "würden gelöscht", "gelöscht"
