"""German copy for tandems a coordinator enters ("Tandem eintragen", issue #13 item 1).

A pair formed outside the assistant (e.g. by a steering group) becomes a published tandem; the
codes come from ``Matching.enter_pair`` (``assistant/services/matching.py``).
"""

from __future__ import annotations

from assistant.texts.matching import MATCH_RULE, match_error

__all__ = [
    "CLI_PAIR_ENDED",
    "CLI_PAIR_ENTERED",
    "PAIR_END",
    "PAIR_ENDED",
    "PAIR_END_HEADER",
    "PAIR_END_HELP",
    "PAIR_END_PICK",
    "PAIR_ENTER",
    "PAIR_ENTERED",
    "PAIR_ENTER_ERRORS",
    "PAIR_ENTER_HEADER",
    "PAIR_ENTER_HELP",
    "PAIR_ENTER_MENTEE",
    "PAIR_ENTER_MENTOR",
    "PAIR_ENTER_NOBODY",
    "pair_enter_error",
]

PAIR_ENTER_HEADER = "Tandem eintragen"
PAIR_ENTER_HELP = (
    "Für Tandems, die außerhalb des Assistenten gebildet wurden, zum Beispiel von einer "
    "Steuerungsgruppe. Das Tandem wird sofort veröffentlicht: Beide sehen es unter „Mein "
    "Mentoring“ mit Leitfaden, Zielvereinbarung und Treffen. Es bleibt bei jeder Neuberechnung "
    "bestehen. Beide müssen der Vermittlung zugestimmt haben."
)
PAIR_ENTER_MENTEE = "Mentee"
PAIR_ENTER_MENTOR = "Mentor:in"
PAIR_ENTER = "Tandem eintragen"
PAIR_ENTER_NOBODY = (
    "Niemand kann eingetragen werden: Es fehlen Mentees ohne Tandem oder Mentor:innen mit "
    "freiem Platz, die der Vermittlung zugestimmt haben."
)
PAIR_ENTERED = (
    "Das Tandem {mentee} – {mentor} ist eingetragen und veröffentlicht. Beide sehen es ab jetzt "
    "unter „Mein Mentoring“."
)
CLI_PAIR_ENTERED = "Tandem {mentee} → {mentor} eingetragen und veröffentlicht."

PAIR_END_HEADER = "Tandem beenden"
PAIR_END_HELP = (
    "Ein beendetes Tandem sieht niemand mehr, auch die beiden nicht. Zielvereinbarung und "
    "Treffen bleiben gespeichert (in Auskunft und Löschung der beiden enthalten) und erscheinen "
    "bei keinem neuen Tandem. Eine Neuberechnung bildet dieses Tandem nicht wieder."
)
PAIR_END_PICK = "Veröffentlichtes Tandem"
PAIR_END = "Tandem beenden"
PAIR_ENDED = "Das Tandem von {mentee} ist beendet."
CLI_PAIR_ENDED = "Tandem von {mentee} beendet."

PAIR_ENTER_ERRORS = {
    "not_member": "Diese Person gehört nicht zum Programm. Bitte die Seite neu laden.",
    "same_person": "Mentee und Mentor:in müssen zwei verschiedene Personen sein.",
    "not_mentee": "Diese Person ist in diesem Programm keine Mentee.",
    "not_mentor": "Diese Person ist in diesem Programm keine Mentor:in.",
    "no_consent": "Beide müssen der Vermittlung zugestimmt haben, denn im Tandem sieht jede "
    "Seite die andere. Die Einwilligung gibt die Person selbst unter „Meine Daten“.",
    "already_paired": "Diese Mentee hat schon ein veröffentlichtes Tandem.",
    "mentor_full": "Diese Mentor:in hat keinen freien Platz mehr (Kapazität erreicht).",
    "not_paired": "Diese Person hat kein veröffentlichtes Tandem (mehr). Bitte die Seite neu "
    "laden.",
}


def pair_enter_error(code: str) -> str:
    """Return the German message for a refused entry (a broken hard rule names the rule)."""
    if code in PAIR_ENTER_ERRORS:
        return PAIR_ENTER_ERRORS[code]
    if code in MATCH_RULE:
        return f"Dieses Tandem verstößt gegen eine Regel des Programms: {MATCH_RULE[code]}."
    return match_error(code)
