"""German copy of the "Datenschutzhinweise" page and the one "who sees what" list it shares.

``privacy_notice`` composes the page from the settings (k, retention, contact), so the page
states what the installation does, not what a template promised.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.texts.common import Counted

__all__ = [
    "PAGE_PRIVACY",
    "PRIVACY_HEADER",
    "WHO_SEES",
    "PrivacySection",
    "privacy_notice",
]

PAGE_PRIVACY = "Datenschutzhinweise"
PRIVACY_HEADER = "Datenschutzhinweise"

# One line per role, as assistant.policy allows it and the pages show it. Any page that says
# who sees a participant's texts says it in these words.
WHO_SEES = {
    "self": "Sie selbst sehen alle Ihre Texte, Themenvorschläge und Einwilligungen.",
    "coordinator": Counted(
        "Die Programmkoordination sieht Themen und Personenzahlen Ihres Programms. Sätze aus "
        "Ihren Texten sieht sie nur mit Ihrer Einwilligung zur Auswertung, ohne Namen und "
        "maskiert (z. B. Namen und E-Mail-Adressen ersetzt), und nur in Themen, die "
        "mindestens {k:Person|Personen} teilen. Für Tandems und Gruppen sieht sie Pseudonyme, "
        "Themen und Passung, keine Texte. (Texte, die die Koordination selbst aus einer Datei "
        "importiert hat, kennt sie aus dieser Datei.)"
    ),
    "partner": (
        "Ihre Tandempartnerin oder Ihr Tandempartner (nur mit Ihrer Einwilligung zur "
        "Vermittlung und erst nach der Veröffentlichung) sieht die beiden Sätze, auf denen die "
        "Zuordnung beruht, und Ihre Angebote. Vorgeschlagene passende Personen sehen nur Ihr "
        "Pseudonym und Ihre Organisation, nie Ihre Texte."
    ),
    "moderator": (
        "Die Moderation einer Peer-Gruppe sieht nur, wie viele Mitglieder zu welchem Thema "
        "geschrieben haben, nie Texte oder Sätze."
    ),
    "admin": (
        "Die Administration sieht den Themenpool und das Protokoll (wer wann was angesehen oder "
        "geändert hat), keine Texte."
    ),
}


@dataclass(frozen=True)
class PrivacySection:
    """One heading of the notice and its paragraphs."""

    heading: str
    paragraphs: tuple[str, ...]


def privacy_notice(k: int, retention_months: int, contact: str = "") -> tuple[PrivacySection, ...]:
    """Return the "Datenschutzhinweise" for these settings, section by section.

    Parameters
    ----------
    k : int
        ``Settings.k_min_cluster``: the fewest people a theme must have to show sentences.
    retention_months : int
        Months after a programme's end its entries are kept (``DEFAULT_RETENTION_MONTHS``).
    contact : str
        ``Settings.privacy_contact``; empty: the programme's coordination is named instead.
    """
    retention = Counted("{n:Monat|Monate}").format(n=retention_months)
    return (
        PrivacySection(
            "Wozu der Assistent Ihre Texte verarbeitet",
            (
                "Sie schreiben Ziele, Angebote und Reflexionen zu Ihrem Mentoring. Der "
                "Assistent schlägt dazu Themen aus dem Themenpool vor, findet passende "
                "Personen (mit Ihrer Einwilligung zur Vermittlung) und zeigt der "
                "Koordination, welche Themen das Programm beschäftigen (mit Ihrer "
                "Einwilligung zur Auswertung). Alles läuft auf dem Server dieser "
                "Installation; kein Text geht an einen fremden Dienst.",
                "Auf der Seite „Themen finden“ eingegebene Texte werden nur ausgewertet, "
                "nicht gespeichert.",
            ),
        ),
        PrivacySection(
            "Wer was sieht",
            (
                WHO_SEES["self"],
                WHO_SEES["coordinator"].format(k=k),
                WHO_SEES["partner"],
                WHO_SEES["moderator"],
                WHO_SEES["admin"],
            ),
        ),
        PrivacySection(
            "Einwilligung und Widerruf",
            (
                "Beide Einwilligungen (Auswertung, Vermittlung) sind freiwillig. Sie ändern "
                "oder widerrufen sie jederzeit unter „Meine Daten“; das gilt sofort, auch für "
                "bereits gespeicherte Texte.",
            ),
        ),
        PrivacySection(
            "Auskunft und Löschung",
            (
                "Unter „Meine Daten“ laden Sie alle über Sie gespeicherten Daten als Datei "
                "herunter oder löschen sich vollständig. Eine Löschung entfernt Ihre Texte, "
                "Vorschläge, Einwilligungen und Ihr Konto sofort; das Protokoll vermerkt "
                "die Löschung, ohne Ihre Texte.",
                f"Ohne Löschung werden Ihre Texte {retention} nach dem Ende des Programms "
                "gelöscht, sofern für das Programm keine andere Frist festgelegt ist.",
            ),
        ),
        PrivacySection(
            "Kontakt",
            (
                f"Fragen zum Datenschutz: {contact}"
                if contact.strip()
                else "Fragen zum Datenschutz richten Sie an die Koordination Ihres Programms.",
            ),
        ),
    )
