"""German copy of a peer group's sessions through the four stages and their check-ins (#13.5)."""

from __future__ import annotations

from assistant.texts.common import Counted

__all__ = [
    "CLI_GROUP_SESSIONS_HEADER",
    "CLI_GROUP_SESSIONS_NONE",
    "CLI_GROUP_SESSION_LINE",
    "CLI_GROUP_SESSION_MEAN",
    "GROUP_CHECKIN_FIELD_NOTE",
    "GROUP_CHECKIN_FIELD_REFLECTION",
    "GROUP_CHECKIN_FIELD_SESSION",
    "GROUP_CHECKIN_FIELD_VALUE",
    "GROUP_CHECKIN_HEADING",
    "GROUP_CHECKIN_NONE_PAST",
    "GROUP_CHECKIN_REFLECTION_NO_CONSENT",
    "GROUP_CHECKIN_REFLECTION_SAVED",
    "GROUP_CHECKIN_SAVE",
    "GROUP_CHECKIN_SAVED",
    "GROUP_FORUM_SESSION_PROMPT",
    "GROUP_MEAN_HIDDEN",
    "GROUP_MY_CHECKINS",
    "GROUP_MY_CHECKINS_COLUMNS",
    "GROUP_PANEL_HEADING",
    "GROUP_PANEL_INTRO",
    "GROUP_PROMPTS",
    "GROUP_SESSIONS_COLUMNS",
    "GROUP_SESSIONS_HEADING",
    "GROUP_SESSIONS_INTRO",
    "GROUP_SESSIONS_NONE",
    "GROUP_SESSION_ADD",
    "GROUP_SESSION_ADDED",
    "GROUP_SESSION_FIELD_DATE",
    "GROUP_SESSION_FIELD_STAGE",
    "GROUP_SESSION_FIELD_TITLE",
    "GROUP_SESSION_OPTION",
    "GROUP_SESSION_PLAN",
    "INVALID_GROUP_CHECKIN",
    "INVALID_GROUP_SESSION",
]

INVALID_GROUP_SESSION = {
    "stage": "Bitte wählen Sie eine Phase: {stages}.",
    "title": "Bitte geben Sie der Sitzung einen Titel.",
    "title_too_long": "Der Titel darf höchstens {limit} Zeichen lang sein.",
}
"""Messages for a session that cannot be planned; nothing is stored then."""

INVALID_GROUP_CHECKIN = {
    "future": (
        "Die Sitzung am {date} hat noch nicht stattgefunden. Eine Rückmeldung ist erst danach "
        "möglich."
    ),
    "value": "Bitte bewerten Sie die Sitzung auf einer Skala von 1 bis 5.",
    "too_long": "Notiz und Reflexion dürfen je höchstens {limit} Zeichen lang sein.",
    "session": "Diese Sitzung gehört nicht zu Ihrer Peer-Gruppe.",
}
"""Messages for a check-in that cannot be saved; nothing is stored then."""

GROUP_FORUM_SESSION_PROMPT = (
    "Was haben Sie zu diesem Thema erlebt, und was möchten Sie von der Gruppe dazu hören?"
)
"""The one prompt of a forum session on an emerging theme (the pool has none for it)."""

# -- the moderator's section ----------------------------------------------------------------------
GROUP_SESSIONS_HEADING = "Sitzungen der Gruppe"
GROUP_SESSIONS_INTRO = (
    "Peer-Gruppen-Mentoring verläuft in vier Phasen: Seminar, Simulation, Forum und Anwendung. "
    "Planen Sie hier die Sitzungen; ein gewähltes Forumsthema wird zu einer Forumssitzung. "
    "Sie sehen, wie viele Mitglieder sich zurückgemeldet haben, den Mittelwert erst ab {k} "
    "Rückmeldungen, nie Notizen oder Reflexionen."
)
GROUP_SESSION_PLAN = "Sitzung planen"
GROUP_SESSION_FIELD_STAGE = "Phase"
GROUP_SESSION_FIELD_DATE = "Datum der Sitzung"
GROUP_SESSION_FIELD_TITLE = "Titel"
GROUP_SESSION_ADD = "Sitzung anlegen"
GROUP_SESSION_ADDED = "Die Sitzung „{title}“ am {date} ist angelegt."
GROUP_SESSIONS_NONE = "Noch keine Sitzungen geplant."
GROUP_SESSIONS_COLUMNS = {
    "stage": "Phase",
    "date": "Datum",
    "title": "Titel",
    "checkins": "Rückmeldungen",
    "mean": "Wie hilfreich (Mittelwert 1–5)",
}
GROUP_MEAN_HIDDEN = "zu wenige Rückmeldungen"
GROUP_PROMPTS = "Impulsfragen: {title}"

# -- the member's panel ---------------------------------------------------------------------------
GROUP_PANEL_HEADING = "Sitzungen Ihrer Peer-Gruppe „{group}“"
GROUP_PANEL_INTRO = (
    "Nach einer Sitzung können Sie in weniger als einer Minute zurückmelden, wie hilfreich sie "
    "war. Die Moderation sieht nur die Anzahl der Rückmeldungen und ab {k} Rückmeldungen den "
    "Mittelwert; Ihre private Notiz sehen nur Sie."
)
GROUP_CHECKIN_HEADING = "Rückmeldung zu einer Sitzung"
GROUP_CHECKIN_NONE_PAST = (
    "Es gibt noch keine vergangene Sitzung, zu der Sie sich zurückmelden können."
)
GROUP_CHECKIN_FIELD_SESSION = "Sitzung"
GROUP_SESSION_OPTION = "{date} · {stage} · {title}"
GROUP_CHECKIN_FIELD_VALUE = "Wie hilfreich war die Sitzung? (1 = gar nicht, 5 = sehr)"
GROUP_CHECKIN_FIELD_NOTE = "Private Notiz (nur für Sie sichtbar, wird nicht ausgewertet)"
GROUP_CHECKIN_FIELD_REFLECTION = (
    "Reflexion (optional; wird mit Ihrer Einwilligung wie jede Reflexion ausgewertet)"
)
GROUP_CHECKIN_SAVE = "Rückmeldung speichern"
GROUP_CHECKIN_SAVED = "Ihre Rückmeldung zur Sitzung vom {date} ist gespeichert."
GROUP_CHECKIN_REFLECTION_SAVED = "Ihre Reflexion ist als Eintrag gespeichert."
GROUP_CHECKIN_REFLECTION_NO_CONSENT = (
    "Die Reflexion wurde nicht gespeichert: Sie haben der Auswertung Ihrer Texte nicht zugestimmt."
)
GROUP_MY_CHECKINS = Counted("Ihre Rückmeldungen ({n:Sitzung|Sitzungen})")
GROUP_MY_CHECKINS_COLUMNS = {
    "date": "Datum",
    "title": "Sitzung",
    "value": "Wie hilfreich (1–5)",
    "note": "Meine Notiz",
}

# -- the command line (``assistant group sessions``) ----------------------------------------------
CLI_GROUP_SESSIONS_HEADER = "Sitzungen der Gruppe {group} ({programme}):"
CLI_GROUP_SESSIONS_NONE = "Noch keine Sitzungen geplant."
CLI_GROUP_SESSION_LINE = Counted("{date} {stage}: {title} – {n:Rückmeldung|Rückmeldungen}{mean}")
CLI_GROUP_SESSION_MEAN = ", Mittelwert {mean}"
