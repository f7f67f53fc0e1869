"""German copy of learning from use: when a programme's suggester last learned (#17.2)."""

from __future__ import annotations

from assistant.texts.common import Counted

__all__ = [
    "LEARNING_LAST",
    "LEARNING_NEVER",
    "LEARNING_OFF",
    "LEARNING_PENDING",
]

LEARNING_LAST = Counted(
    "Zuletzt dazugelernt am {date} aus {n:Rückmeldung|Rückmeldungen} der Teilnehmenden "
    "und der Koordination."
)
LEARNING_NEVER = (
    "Die Themenvorschläge dieses Programms haben noch nicht aus Rückmeldungen dazugelernt."
)
LEARNING_OFF = (
    "Die Themenvorschläge lernen nicht aus angenommenen und verworfenen Vorschlägen: Das bleibt "
    "ausgeschaltet, bis es nachweislich bessere Vorschläge bringt (der Betrieb schaltet es mit "
    "der Einstellung learn_enabled ein)."
)
LEARNING_PENDING = Counted(
    "Seitdem {n:neue Rückmeldung|neue Rückmeldungen}; bei {after} lernt der Assistent erneut dazu."
)
