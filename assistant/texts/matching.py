"""German copy of cohort matching: pair and group reasons, trade-offs, unmatched, binding rules.

The codes come from ``assistant/matching/model.py`` (``PAIR_REASONS``, ``RULE_CODES``,
``TRADE_OFF_CODES``, ``UNMATCHED_REASONS``, ``BINDING_CODES``, ``GROUP_REASONS``); a test
checks that every code has its words here. The coordinator sees these lines; the two
sentences behind a pair's evidence are shown only to the two people involved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

MATCH_PAIR_REASON = {
    "need_offer": "Ein Angebot passt zu einem Ziel",
    "shared_topics": "Gemeinsame Themen",
    "other_organisation": "andere Behörde",
    "more_senior": "Mentor:in erfahrener (höhere Ebene)",
    "less_senior": "Mentor:in jünger im Amt (niedrigere Ebene)",
    "level_unknown": "Ebene nicht angegeben: keine Regel zur Ebene angewandt",
    "locked": "von der Koordination festgelegt",
    "kept": "aus dem bisherigen Entwurf beibehalten",
}
MATCH_RULE = {
    "same_organisation": "gleiche Behörde",
    "seniority": "Ebene passt nicht",
    "excluded": "von der Koordination ausgeschlossen",
    "no_capacity": "nimmt in dieser Runde niemanden",
}
MATCH_TRADE_OFF = {
    "better_ruled_out": "Besser passend wäre {mentor} ({score:.2f}), aber: {rule}",
    "better_full": "Besser passend wäre {mentor} ({score:.2f}), aber alle Plätze sind vergeben",
}
MATCH_UNMATCHED = {
    "no_allowed_mentor": "Keine Mentor:in erlaubt: von {mentors} scheiden {same_organisation} "
    "wegen gleicher Behörde, {seniority} wegen der Ebene, {excluded} durch Ausschluss und "
    "{no_capacity} ohne Platz aus",
    "places_taken": "Alle Plätze bei erlaubten Mentor:innen sind vergeben (erlaubte "
    "Mentor:innen: {allowed_mentors}, Plätze: {places})",
    "no_capacity": "Nimmt in dieser Runde niemanden (Kapazität 0)",
    "not_needed": "Noch frei (Plätze: {places}); niemand wurde zugeordnet",
    "level_spread": "Nur {peers_near_level} Personen auf ähnlicher Ebene, die kleinste Gruppe "
    "braucht {min_size}",
    "no_group_place": "Kein Platz in den {groups} Gruppen ({min_size} bis {max_size} Personen, "
    "Regeln zu Behörden und Ebenen)",
}
MATCH_BINDING = {
    "capacity": "{mentees} Mentees, aber nur {places} Plätze bei Mentor:innen",
    "other_organisation": "{mentees} Mentees, aber nur {matchable} Plätze bei Mentor:innen aus "
    "anderen Behörden",
    "seniority": "{mentees} Mentees, aber nur {matchable} Plätze bei Mentor:innen passender Ebene",
    "exclusions": "{mentees} Mentees, aber nach den Ausschlüssen nur {matchable} Plätze",
    "level_spread": "{peers} Personen haben zu wenige andere auf ähnlicher Ebene für eine "
    "Gruppe ab {min_size}",
    "organisation_limit": "{peers_of_organisation} Personen aus einer Behörde, aber nur "
    "{places} Plätze für sie in den Gruppen",
    "group_size": "{assigned} von {peers} Personen passen in Gruppen von {min_size} bis {max_size}",
    "combined": "Erst alle Regeln zusammen lassen Personen ohne Zuordnung",
}
MATCH_NO_CONSENT = "Keine Einwilligung in die Vermittlung"  # not matched: no consent to matching
MATCH_GROUP_REASON = {
    "shared_topics": "Gemeinsame Themen",
    "level_within": "ähnliche Ebene",
    "organisation_limit": "höchstens {max_per_organisation} Personen je Behörde",
    "locked": "mit festgelegten Mitgliedern",
    "kept": "aus dem bisherigen Entwurf",
}


def match_pair_lines(reasons: Sequence[str], shared_topic_labels: Sequence[str]) -> list[str]:
    """Return one German line per pair reason code (``PairResult.reasons``).

    Raises
    ------
    ValueError
        For an unknown code.
    """
    lines = []
    for code in reasons:
        if code not in MATCH_PAIR_REASON:
            raise ValueError(f"Unknown pair reason code '{code}'.")
        line = MATCH_PAIR_REASON[code]
        if code == "shared_topics" and shared_topic_labels:
            line += ": " + ", ".join(shared_topic_labels)
        lines.append(line)
    return lines


def match_trade_off(code: str, mentor: str, score: float, rule: str | None) -> str:
    """Return the German line for one ``TradeOff`` (coordinator view only)."""
    return MATCH_TRADE_OFF[code].format(
        mentor=mentor, score=score, rule=MATCH_RULE.get(rule or "", "")
    )


_SINGULAR = (
    (re.compile(r"(?<![\d.,])1 Plätze\b"), "1 Platz"),
    (re.compile(r"(?<![\d.,])1 Mentees\b"), "1 Mentee"),
    (re.compile(r"(?<![\d.,])1 Personen\b"), "1 Person"),
)


def _numerus(line: str) -> str:
    """Put nouns after the number 1 into the singular ("1 Platz", not "1 Plätze")."""
    for plural, singular in _SINGULAR:
        line = plural.sub(singular, line)
    return line


def match_unmatched(reason: str, numbers: Mapping[str, int]) -> str:
    """Return the German line for one ``Unmatched`` reason with its numbers."""
    return _numerus(MATCH_UNMATCHED[reason].format(**numbers))


def match_binding(code: str, numbers: Mapping[str, int]) -> str:
    """Return the German message for a binding rule, e.g. "63 Mentees, aber nur 58 Plätze ..."."""
    return _numerus(MATCH_BINDING[code].format(**numbers))


def match_group_lines(
    reasons: Sequence[str], shared_topic_labels: Sequence[str], max_per_organisation: int
) -> list[str]:
    """Return one German line per group reason code (``GroupResult.reasons``)."""
    lines = []
    for code in reasons:
        if code not in MATCH_GROUP_REASON:
            raise ValueError(f"Unknown group reason code '{code}'.")
        line = MATCH_GROUP_REASON[code].format(max_per_organisation=max_per_organisation)
        if code == "shared_topics" and shared_topic_labels:
            line += ": " + ", ".join(shared_topic_labels)
        lines.append(line)
    return lines
