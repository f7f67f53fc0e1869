"""German copy of a tandem's meetings and progress (issue #13, items 3 and 4)."""

from __future__ import annotations

from assistant.texts.common import Counted

__all__ = [
    "DRIFT_HEADING",
    "DRIFT_LINE",
    "DRIFT_NONE",
    "DRIFT_NOTE",
    "INVALID_MEETING",
    "INVITATION_DESCRIPTION",
    "INVITATION_DOWNLOAD",
    "INVITATION_MAIL",
    "INVITATION_MAIL_BODY",
    "INVITATION_MAIL_FIELD",
    "INVITATION_MAIL_SUBJECT",
    "INVITATION_SUMMARY",
    "MEETINGS_COLUMNS",
    "MEETINGS_HEADING",
    "MEETINGS_INTRO",
    "MEETINGS_NEXT",
    "MEETINGS_NONE",
    "MEETINGS_OVERDUE",
    "MEETINGS_TABLE",
    "MEETING_FIELD_DATE",
    "MEETING_FIELD_MINUTES",
    "MEETING_FIELD_NOTE",
    "MEETING_FIELD_PROGRESS",
    "MEETING_FIELD_REFLECTION",
    "MEETING_FIELD_TOPICS",
    "MEETING_REFLECTION_NO_CONSENT",
    "MEETING_REFLECTION_SAVED",
    "MEETING_SAVE",
    "MEETING_SAVED",
    "PROGRESS_ALT",
    "PROGRESS_COLUMNS",
    "PROGRESS_HEADING",
    "TOPICS_COLUMNS",
    "TOPICS_HEADING",
    "TOPIC_AGREED",
]

INVALID_MEETING = {
    "future": "Das Datum liegt in der Zukunft. Bitte tragen Sie ein Treffen erst danach ein.",
    "before_start": "Das Datum liegt vor dem Programmbeginn ({start}).",
    "minutes": "Die Dauer muss zwischen 1 und {limit} Minuten liegen.",
    "progress": "Der Fortschritt wird auf einer Skala von 1 bis 5 angegeben.",
    "goal": "Dieses Ziel steht nicht in der Zielvereinbarung.",
    "topic": "Bitte wählen Sie nur Themen aus der Zielvereinbarung.",
    "too_long": "Notiz und Reflexion dürfen je höchstens {limit} Zeichen lang sein.",
}
"""Messages for a meeting that cannot be saved; nothing is stored then."""

MEETING_REFLECTION_NO_CONSENT = (
    "Die Reflexion wurde nicht gespeichert: Sie haben der Auswertung Ihrer Texte nicht zugestimmt."
)

MEETINGS_HEADING = "Treffen und Fortschritt"
MEETINGS_INTRO = (
    "Tragen Sie nach jedem Treffen kurz ein, worüber Sie gesprochen haben und wie weit Sie bei "
    "Ihren Zielen sind. Beide im Tandem sehen die Treffen; Ihre private Notiz sehen nur Sie."
)
MEETINGS_NEXT = "Nächstes Treffen laut Zielvereinbarung: {date}."
MEETINGS_OVERDUE = (
    "Das nächste Treffen war laut Zielvereinbarung am {date} fällig. Vereinbaren Sie bald einen "
    "Termin."
)
MEETING_FIELD_DATE = "Datum des Treffens"
MEETING_FIELD_MINUTES = "Dauer (Minuten)"
MEETING_FIELD_TOPICS = "Besprochene Themen"
MEETING_FIELD_PROGRESS = "Fortschritt bei Ziel {goal} (1 = am Anfang, 5 = erreicht)"
MEETING_FIELD_NOTE = "Private Notiz (nur für Sie sichtbar, wird nicht ausgewertet)"
MEETING_FIELD_REFLECTION = (
    "Reflexion (optional; wird mit Ihrer Einwilligung wie jede Reflexion ausgewertet)"
)
MEETING_SAVE = "Treffen speichern"
MEETING_SAVED = "Das Treffen vom {date} ist gespeichert."
MEETING_REFLECTION_SAVED = "Ihre Reflexion ist als Eintrag gespeichert."
MEETINGS_NONE = "Noch keine Treffen eingetragen."
MEETINGS_TABLE = "Ihre Treffen"
MEETINGS_COLUMNS = {
    "date": "Datum",
    "minutes": "Minuten",
    "topics": "Themen",
    "by": "Eingetragen von",
    "progress": "Fortschritt",
    "note": "Meine Notiz",
}
PROGRESS_HEADING = "Fortschritt je Ziel"
PROGRESS_COLUMNS = {"goal": "Ziel", "date": "Datum", "value": "Wert (1–5)"}
TOPICS_HEADING = "Besprochene und vereinbarte Themen"
TOPICS_COLUMNS = {"topic": "Thema", "meetings": "Treffen", "agreed": "vereinbart"}
TOPIC_AGREED = {True: "ja", False: "nein"}
DRIFT_HEADING = "Themen außerhalb der Zielvereinbarung"
DRIFT_NONE = "Ihre Reflexionen bleiben bei den vereinbarten Themen."
DRIFT_LINE = "{date}: Ihre Reflexion passt am besten zu „{topic}“."
DRIFT_NOTE = (
    "Grundlage sind nur Ihre eigenen Reflexionen und die dazu vorgeschlagenen Themen. Vielleicht "
    "ein Anlass, die Zielvereinbarung gemeinsam anzupassen."
)
PROGRESS_ALT = (
    "Liniendiagramm: Fortschritt je Ziel über die Treffen; dieselben Zahlen in der Tabelle."
)
INVITATION_SUMMARY = "Tandem-Treffen ({programme})"
INVITATION_DESCRIPTION = (
    "Nächstes Treffen laut Zielvereinbarung, geplant sind {minutes} Minuten. Die Uhrzeit "
    "stimmen Sie im Tandem ab."
)
INVITATION_DOWNLOAD = "Einladung zum nächsten Treffen (.ics)"
INVITATION_MAIL_FIELD = "Einladung zum nächsten Treffen per E-Mail an beide senden"
INVITATION_MAIL_SUBJECT = "Einladung: Tandem-Treffen am {date}"
INVITATION_MAIL_BODY = (
    "Guten Tag,\n\nim Anhang finden Sie die Einladung zum nächsten Treffen Ihres Tandems am "
    "{date} (Programm „{programme}“). Die Uhrzeit stimmen Sie bitte gemeinsam ab.\n\n"
    "Diese Nachricht wurde vom Mentoring-Assistenten versandt."
)
INVITATION_MAIL = {
    "sent": Counted("Die Einladung wurde per E-Mail an {n:Adresse|Adressen} gesendet."),
    "off": (
        "Der E-Mail-Versand ist nicht eingerichtet. Laden Sie die Einladung herunter und "
        "leiten Sie sie weiter."
    ),
    "no_address": (
        "Für Ihr Tandem ist keine E-Mail-Adresse hinterlegt; es wurde keine Mail gesendet."
    ),
    "failed": (
        "Das Treffen ist gespeichert, aber die E-Mail wurde nicht gesendet: Der Mailserver ist "
        "nicht erreichbar oder hat die Nachricht abgelehnt. Laden Sie die Einladung herunter."
    ),
}
