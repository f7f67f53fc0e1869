"""German copy shared by every page: app, roles, sign-in, errors, the participant page."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from typing import Any

from assistant.texts.peers import REASON_SIMILAR_WORDING

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def count(n: int, one: str, many: str) -> str:
    """Return ``n`` with the German noun phrase for it: "1 Eintrag", "0 Einträge", "2 Einträge"."""
    return f"{n} {one if n == 1 else many}"


class _CountFormatter(string.Formatter):
    """``{n:Eintrag|Einträge}`` gives ``count(n, "Eintrag", "Einträge")``; other fields as usual."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return count(value, one, many)
        return super().format_field(value, format_spec)


_COUNT_FORMATTER = _CountFormatter()


class Counted(str):
    """A template whose ``{n:Eintrag|Einträge}`` fields agree in number ("1 Eintrag").

    Callers keep ``texts.X.format(n=...)``; the copy, not the page, knows the singular.
    """

    __slots__ = ()

    def format(self, *args: object, **kwargs: object) -> str:
        """Fill the template like ``str.format``, with the singular or plural for counts."""
        return _COUNT_FORMATTER.vformat(self, args, kwargs)


def plain(text: str) -> str:
    """Return ``text`` with every Markdown character escaped: shown as written.

    Pool topics and cluster labels are written by people: never a link, an image, emphasis or
    HTML on the page (issue #15, finding 12).
    """
    return _MARKDOWN.sub(r"\\\1", text)


APP_TITLE = "Mentoring-Assistent"
PAGE_SUGGEST = "Themen finden"

PAGE_SIGN_IN = "Anmelden"
PAGE_PARTICIPANT = "Mein Mentoring"
PAGE_MY_DATA = "Meine Daten"
PAGE_MODERATOR = "Peer-Gruppe"
PAGE_COORDINATOR = "Programmübersicht"
PAGE_MATCHING = "Tandems und Gruppen"
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
    "Sie entscheiden, welche Themen passen."
)
PARTICIPANT_WHO_SEES = (
    "Wer Ihre Texte sieht: Sie selbst. Mit Ihrer Zustimmung zur Auswertung erscheinen Sätze "
    "daraus ohne Namen in der Themenübersicht der Koordination, und nur in Themen, zu denen "
    "genügend Personen geschrieben haben. Mit Ihrer Zustimmung zur Vermittlung sieht Ihre "
    "Tandempartnerin oder Ihr Tandempartner nach der Veröffentlichung die beiden Texte, die Sie "
    "zusammengeführt haben, und Ihre Angebote. Die Moderation sieht nur Zahlen. Ihre "
    "Zustimmungen ändern Sie unter „Meine Daten“."
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
    "fit": "Passung",
    "shared": "Gemeinsame Themen",
    "reason": "Warum vorgeschlagen",
    "score": "Ähnlichkeit",
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
    "similar_wording": REASON_SIMILAR_WORDING,  # no shared topic: only the wording compared
}


def peer_reason(reasons: Sequence[str], shared_topic_labels: Sequence[str]) -> str:
    """Return the German line saying why a peer is suggested.

    Parameters
    ----------
    reasons : sequence of str
        ``PeerMatch.reasons``: one of ``"similar_goals"``, ``"need_offer"``, ``"offer_need"``
        (each with ``"shared_topics"``) or ``"similar_wording"`` (no shared topic), then
        optionally ``"other_organisation"``.
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
