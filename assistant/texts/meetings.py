"""German copy of a tandem's meetings and progress (issue #13, items 3 and 4)."""

from __future__ import annotations

__all__ = [
    "INVALID_MEETING",
    "MEETING_REFLECTION_NO_CONSENT",
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
