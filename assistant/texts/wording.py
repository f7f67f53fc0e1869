"""German copy of issue #14 (items 6-8): scores in words, widget texts, audit action names."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

__all__ = [
    "AUDIT_ACTION",
    "AUDIT_ACTION_UNKNOWN",
    "AUDIT_ALL",
    "AUDIT_FILTER_ACTION",
    "AUDIT_FILTER_DATES",
    "AUDIT_FILTER_PERSON",
    "AUDIT_NO_MATCH",
    "DATE_INPUT_FORMAT",
    "FIT_WORD",
    "LOCAL_ZONE",
    "PEER_FIT_EXPLAIN",
    "PICK_MANY",
    "PICK_ONE",
    "SCORE_CAPTION_TOPIC",
    "SCORE_CAPTION_TOPIC_ALL",
    "UPLOAD_HINT",
    "audit_action",
    "fit_word",
    "local_time",
    "percent",
    "topic_score_caption",
]

# -- scores in words (assistant.scores.fit_band) ----------------------------------------------
FIT_WORD = {"good": "passt gut", "partial": "passt teilweise", "below_floor": "passt kaum"}
SCORE_CAPTION_TOPIC = "Wert {score} – höher als bei {strength} der Texte zu anderen Themen"
SCORE_CAPTION_TOPIC_ALL = "Wert {score} – höher als bei allen Texten zu anderen Themen"
PEER_FIT_EXPLAIN = (
    "„Passung“ vergleicht die Ähnlichkeit mit der zufälliger Paare dieses Programms: „passt "
    "gut“ ist ähnlicher als 99 von 100 zufälligen Paaren; „passt teilweise“ ist ähnlicher als "
    "95 von 100 oder hat ein gemeinsames Thema; „passt kaum“ ist nicht deutlich ähnlicher als "
    "ein zufälliges Paar und teilt kein Thema. Die Ähnlichkeit in Prozent steht zum Vergleich "
    "in der letzten Spalte."
)


def percent(share: float) -> str:
    """Return a share as a German percentage with a space: 0.28 → "28 %"."""
    return f"{share * 100:.0f} %"


def topic_score_caption(score: float, strength: float) -> str:
    """Return the small line under a topic's words: its score and what the score beats."""
    if percent(strength) == "100 %":  # "höher als bei 100 %" reads like a rounding slip
        return SCORE_CAPTION_TOPIC_ALL.format(score=percent(score))
    return SCORE_CAPTION_TOPIC.format(score=percent(score), strength=percent(strength))


def fit_word(band: str) -> str:
    """Return the German words of a fit band ("good", "partial", "below_floor")."""
    return FIT_WORD[band]


# -- Streamlit widgets: German where Streamlit lets us ----------------------------------------
PICK_MANY = "Bitte auswählen …"
PICK_ONE = "Bitte eine Option wählen"
DATE_INPUT_FORMAT = "DD.MM.YYYY"  # st.date_input(format=...): shown as 30.11.2026
# Streamlit 1.67 has no option to translate the file uploader's own words ("Drag and drop a
# file here", "Upload", "Limit … per file"): this German line above it says the same.
UPLOAD_HINT = (
    "Ziehen Sie die Datei in das Feld darunter oder klicken Sie dort auf „Upload“ "
    "(Dateien bis {mb} MB)."
)

# -- Protokoll ---------------------------------------------------------------------------------
LOCAL_ZONE = ZoneInfo("Europe/Berlin")
AUDIT_ALL = "alle"
AUDIT_FILTER_ACTION = "Aktion"
AUDIT_FILTER_PERSON = "Wer"
AUDIT_FILTER_DATES = "Zeitraum"
AUDIT_NO_MATCH = "Kein Eintrag passt zu diesen Filtern."
AUDIT_ACTION_UNKNOWN = "sonstige Aktion ({code})"
AUDIT_ACTION = {
    # assistant.policy.Action
    "suggest": "Themen zu einem Text vorgeschlagen",
    "entries.read": "eigene Einträge angesehen",
    "entries.write": "eigenen Eintrag geschrieben",
    "peers.view": "passende Personen angesehen",
    "self.export": "Datenexport erstellt",
    "self.erase": "Person gelöscht",
    "consent.change": "Einwilligung geändert",
    "themes.view": "Themenübersicht angesehen",
    "report.export": "Bericht heruntergeladen",
    "programme.import": "Programmdaten importiert",
    "programme.end": "Programmende gesetzt",
    "programme.match": "Tandems oder Gruppen bearbeitet",
    "match.view": "eigenes Tandem oder eigene Gruppe angesehen",
    "tandem.view": "Leitfaden oder Zielvereinbarung des eigenen Tandems angesehen",
    "agreement.edit": "Zielvereinbarung des eigenen Tandems geändert oder bestätigt",
    "meeting.log": "Treffen des eigenen Tandems eingetragen",
    "tandem.print": "Unterlagen eines Tandems auf dessen Wunsch gedruckt",
    "forum.view": "Forum der Peer-Gruppe angesehen",
    "forum.choose": "Forumsthema gewählt",
    "group.plan": "Sitzung einer Peer-Gruppe geplant",
    "group.checkin": "Rückmeldung zu einer Sitzung der eigenen Peer-Gruppe gegeben",
    "group.sessions": "Sitzungen einer Peer-Gruppe angesehen",
    "pool.view": "Themenpool angesehen",
    "pool.edit": "Themenpool geändert",
    "audit.view": "Protokoll angesehen",
    "users.manage": "Konten verwaltet",
    "retention.run": "Aufbewahrungsfristen angewendet",
    "config.view": "Einstellungen angesehen",
    "roster.confirm": "Teilnehmendenliste bestätigt",
    "entries.reprocess": "Einträge neu ausgewertet",
    "themes.entries": "Einträge eines Themas abgefragt",
    "peers.any": "passende Personen einer anderen Person abgefragt",
    "feedback.view": "Rückmeldungen zu Themenvorschlägen angesehen",
    "evaluation.view": "Evaluation eines Programms angesehen",
    "meetings.list": "Treffen je Tandem abgefragt (nur Anzahlen)",
    "questionnaire.answer": "Abschlussbefragung beantwortet",
    # assistant.services.accounts
    "signin": "Anmeldung",
    "session.start": "Sitzung begonnen (Anmeldung im Browser)",
    "session.end": "Sitzung beendet (Abmeldung)",
    "user.add": "Konto angelegt",
    "user.role": "Rolle geändert",
    "user.disable": "Konto gesperrt",
    "user.enable": "Konto entsperrt",
    "user.delete": "Konto gelöscht",
}


def audit_action(code: str) -> str:
    """Return the German name of an audit action code; unknown codes stay visible."""
    return AUDIT_ACTION.get(code) or AUDIT_ACTION_UNKNOWN.format(code=code)


def local_time(moment: datetime) -> str:
    """Return ``moment`` in German local time, "30.11.2026, 14:05" (naive times are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_ZONE).strftime("%d.%m.%Y, %H:%M")
