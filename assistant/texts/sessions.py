"""German copy of the start-up message, the session hand-over and the pages of other roles."""

from __future__ import annotations

__all__ = [
    "APP_LOADING",
    "NOT_FOUND_HTML",
    "PAGE_NOT_FOR_ROLE",
    "PAGE_UNKNOWN",
    "PAGE_UNKNOWN_LINK",
    "SESSION_CONTINUE",
    "SESSION_HANDOVER",
]

APP_LOADING = (
    "Der Assistent wird gestartet: Sprachmodell und Themenpool werden geladen. "
    "Nach „make run“ dauert das nur wenige Sekunden …"
)
SESSION_HANDOVER = "Sie sind angemeldet. Die Anmeldung wird für diesen Browser gespeichert …"
SESSION_CONTINUE = "Weiter"
PAGE_NOT_FOR_ROLE = "Diese Seite gibt es für Ihre Rolle nicht."
PAGE_UNKNOWN = "Diese Seite gibt es nicht."
PAGE_UNKNOWN_LINK = "Zur Startseite"
NOT_FOUND_HTML = (
    '<!doctype html><html lang="de"><head><meta charset="utf-8">'
    "<title>{title}</title></head><body>"
    '<main style="font-family:sans-serif;max-width:40rem;margin:4rem auto;color:#111">'
    '<h1>{title}</h1><p><a href="/" style="color:#0B5CAD">{link}</a></p></main></body></html>'
)
