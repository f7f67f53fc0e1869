"""German copy of cohort matching: reasons, trade-offs, unmatched, binding rules, pages, errors.

The codes come from ``assistant/matching/model.py`` (``PAIR_REASONS``, ``RULE_CODES``,
``TRADE_OFF_CODES``, ``UNMATCHED_REASONS``, ``BINDING_CODES``, ``GROUP_REASONS``); a test
checks that every code has its words here. The coordinator sees these lines on "Tandems und
Gruppen"; the two sentences behind a pair's evidence are shown only to the two people involved,
on "Mein Mentoring".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.texts.common import Counted

MATCH_PAIR_REASON = {
    "need_offer": "Ein Angebot passt zu einem Ziel",
    "shared_topics": "Gemeinsame Themen",
    "other_organisation": "andere Behörde",
    "more_senior": "Mentor:in erfahrener (höhere Ebene)",
    "less_senior": "Mentor:in jünger im Amt (niedrigere Ebene)",
    "level_unknown": "Ebene nicht angegeben: keine Regel zur Ebene angewandt",
    "locked": "von der Koordination festgelegt",
    "kept": "aus dem bisherigen Entwurf beibehalten",
    "entered": "von der Koordination eingetragen",
}
MATCH_RULE = {
    "same_organisation": "gleiche Behörde",
    "seniority": "Ebene passt nicht",
    "excluded": "von der Koordination ausgeschlossen",
    "no_capacity": "nimmt in dieser Runde niemanden",
}
MATCH_TRADE_OFF = {
    "better_ruled_out": "Besser passend wäre {mentor} ({score}), aber: {rule}",
    "better_full": "Besser passend wäre {mentor} ({score}), aber alle Plätze sind vergeben",
}
MATCH_UNMATCHED = {
    "no_allowed_mentor": Counted(
        "Keine Mentor:in erlaubt: von {mentors} scheiden {same_organisation} wegen gleicher "
        "Behörde, {seniority} wegen der Ebene, {excluded} durch Ausschluss und {no_capacity} "
        "ohne Platz aus"
    ),
    "places_taken": Counted(
        "Kein Platz mehr frei bei {allowed_mentors:erlaubter Mentor:in|erlaubten Mentor:innen} "
        "({places:Platz|Plätze} vergeben)"
    ),
    "no_capacity": Counted("Nimmt in dieser Runde niemanden (Kapazität 0)"),
    "not_needed": Counted("{places:Platz|Plätze} frei, niemand zugeordnet"),
    "level_spread": Counted(
        "Nur {peers_near_level:Person|Personen} auf ähnlicher Ebene, die kleinste Gruppe "
        "braucht {min_size}"
    ),
    "no_group_place": Counted(
        "Kein Platz in {groups:Gruppe|Gruppen} ({min_size} bis {max_size} Personen, Regeln zu "
        "Behörden und Ebenen)"
    ),
}
MATCH_BINDING = {
    "capacity": Counted(
        "{mentees:Mentee|Mentees}, aber nur {places:Platz|Plätze} bei Mentor:innen"
    ),
    "other_organisation": Counted(
        "{mentees:Mentee|Mentees}, aber nur {matchable:Platz|Plätze} bei Mentor:innen aus "
        "anderen Behörden"
    ),
    "seniority": Counted(
        "{mentees:Mentee|Mentees}, aber nur {matchable:Platz|Plätze} bei Mentor:innen "
        "passender Ebene"
    ),
    "exclusions": Counted(
        "{mentees:Mentee|Mentees}, aber nach den Ausschlüssen nur {matchable:Platz|Plätze}"
    ),
    "level_spread": Counted(
        "{peers:Person hat|Personen haben} zu wenige andere auf ähnlicher Ebene für eine "
        "Gruppe ab {min_size}"
    ),
    "organisation_limit": Counted(
        "{peers_of_organisation:Person|Personen} aus einer Behörde, aber nur "
        "{places:Platz|Plätze} für sie in den Gruppen"
    ),
    "group_size": Counted(
        "{assigned} von {peers:Person passt|Personen passen} in Gruppen von {min_size} bis "
        "{max_size}"
    ),
    "combined": Counted("Erst alle Regeln zusammen lassen Personen ohne Zuordnung"),
}
MATCH_NO_CONSENT = "Keine Einwilligung in die Vermittlung"  # not matched: no consent to matching
MATCH_GROUP_REASON = {
    "shared_topics": "Gemeinsame Themen",
    "level_within": "ähnliche Ebene",
    "organisation_limit": Counted("höchstens {max_per_organisation:Person|Personen} je Behörde"),
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
        mentor=mentor, score=decimal(score), rule=MATCH_RULE.get(rule or "", "")
    )


def decimal(value: float, places: int = 2) -> str:
    """Return a number as German writes it: 0,86."""
    return f"{value:.{places}f}".replace(".", ",")


def match_unmatched(reason: str, numbers: Mapping[str, int]) -> str:
    """Return the German line for one ``Unmatched`` reason with its numbers."""
    return MATCH_UNMATCHED[reason].format(**numbers)


def match_binding(code: str, numbers: Mapping[str, int]) -> str:
    """Return the German message for a binding rule, e.g. "63 Mentees, aber nur 58 Plätze ..."."""
    return MATCH_BINDING[code].format(**numbers)


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


# -- coordinator page ("Tandems und Gruppen") --------------------------------------------------
MATCH_HEADER = "Tandems und Gruppen"
MATCH_INTRO_PAIRS = (
    "Der Assistent schlägt Tandems vor: aus den Zielen der Mentees und den Angeboten der "
    "Mentor:innen, unter den Regeln des Programms. Berücksichtigt werden nur Personen, die der "
    "Vermittlung zugestimmt haben. Sie sehen Themen, Regeln und Passung, keine Texte. Sie "
    "können Tandems festlegen, ausschließen oder neu zuordnen; die Teilnehmenden sehen ihr "
    "Tandem erst, wenn Sie es veröffentlichen."
)
MATCH_INTRO_GROUPS = (
    "Der Assistent schlägt Peer-Gruppen vor: Personen mit ähnlichen Zielen und Themen, auf "
    "ähnlicher Ebene und höchstens zwei aus einer Behörde je Gruppe. Berücksichtigt werden nur "
    "Personen, die der Vermittlung zugestimmt haben; bestehende Gruppen behalten ihre "
    "Mitglieder. Die Teilnehmenden sehen ihre Gruppe erst, wenn Sie sie veröffentlichen."
)
MATCH_COMPUTING = "Zuordnung wird berechnet …"
MATCH_STATUS_LABEL = "Stand"
MATCH_STATUS = {
    "draft": "Entwurf – für die Teilnehmenden noch nicht sichtbar",
    "published": "veröffentlicht – die Teilnehmenden sehen ihre Zuordnung",
}
MATCH_PAIRS_HEADER = "Tandems"
MATCH_PAIR_COLUMNS = {
    "mentee": "Mentee",
    "mentee_organisation": "Behörde der Mentee",
    "mentor": "Mentor:in",
    "mentor_organisation": "Behörde der Mentor:in",
    "score": "Passung",
    "topics": "Gemeinsame Themen",
    "reasons": "Begründung",
}
MATCH_SCORE_HELP = (
    "Passung zwischen 0 und 1: wie gut ein Angebot der Mentor:in zu einem Ziel der Mentee "
    "passt, aus Texten und Themen berechnet."
)
MATCH_GROUP_SCORE_HELP = (
    "Passung zwischen 0 und 1: wie ähnlich sich die Ziele und Themen der Mitglieder im Mittel sind."
)
MATCH_NO_PAIRS = "Im Entwurf gibt es noch kein Tandem."
MATCH_TRADE_OFFS = "Abwägungen im Entwurf"
MATCH_TRADE_OFF_LINE = "{mentee}: {lines}"
MATCH_UNMATCHED_HEADER = "Ohne Zuordnung"
MATCH_UNMATCHED_COLUMNS = {"person": "Person", "reason": "Grund"}
MATCH_ALL_MATCHED = "Alle Personen, die der Vermittlung zugestimmt haben, sind zugeordnet."
MATCH_ADJUST_HEADER = "Anpassen und veröffentlichen"
MATCH_PAIR_PICK = "Tandem"
MATCH_PAIR_OPTION = "{mentee} – {mentor}"
MATCH_LOCK = "Festlegen"
MATCH_EXCLUDE = "Ausschließen"
MATCH_REMATCH = "Passt nicht – neu zuordnen"
MATCH_ADJUST_HELP = (
    "„Festlegen“ behält das Tandem bei jeder Neuberechnung. „Ausschließen“ bildet es nie "
    "wieder. „Passt nicht – neu zuordnen“ sucht der Mentee eine andere Mentor:in und ändert "
    "dabei so wenige andere Tandems wie möglich."
)
MATCH_PUBLISHED_FIXED = (
    "Veröffentlichte Tandems bleiben bestehen. Kommen neue Personen hinzu, ordnet „Neu "
    "berechnen“ sie in einem neuen Entwurf zu."
)
MATCH_RECOMPUTE = "Neu berechnen"
MATCH_PUBLISH = "Veröffentlichen"
MATCH_PUBLISH_HELP_PAIRS = (
    "Nach dem Veröffentlichen sieht jede zugeordnete Person unter „Mein Mentoring“ ihr Tandem: "
    "Pseudonym und Behörde der anderen Person, die gemeinsamen Themen, deren Angebote und die "
    "beiden Sätze, auf denen die Passung beruht. Diese Sätze sehen nur die beiden, nicht Sie. "
    "Veröffentlichte Tandems bleiben bestehen."
)
MATCH_PUBLISH_HELP_GROUPS = (
    "Nach dem Veröffentlichen sieht jede zugeordnete Person unter „Mein Mentoring“ ihre Gruppe: "
    "Pseudonym und Behörde der anderen Mitglieder und die gemeinsamen Themen, keine Texte. Die "
    "Gruppen werden im Programm angelegt und bleiben bestehen."
)
MATCH_DONE = {
    "lock": "Das Tandem {mentee} – {mentor} ist festgelegt; der Entwurf wurde neu berechnet.",
    "exclude": "Das Tandem {mentee} – {mentor} wird nicht gebildet; der Entwurf wurde neu "
    "berechnet.",
    "rematch": "Für {mentee} wurde neu zugeordnet; die anderen Tandems bleiben möglichst gleich.",
    "recompute": "Der Entwurf wurde neu berechnet.",
    "publish": "Veröffentlicht. Die Teilnehmenden sehen ihre Zuordnung ab jetzt unter „Mein "
    "Mentoring“.",
    "group_lock": "{person} ist in „{group}“ festgelegt; der Entwurf wurde neu berechnet.",
    "group_exclude": "{person} kommt nicht in „{group}“; der Entwurf wurde neu berechnet.",
}
MATCH_GROUPS_HEADER = "Peer-Gruppen"
MATCH_GROUP_COLUMNS = {
    "group": "Gruppe",
    "people": "Personen",
    "organisations": "Behörden",
    "score": "Passung",
    "topics": "Gemeinsame Themen",
    "reasons": "Begründung",
}
MATCH_NO_GROUPS = "Im Entwurf gibt es noch keine Gruppe."
MATCH_SIZE_MIN = "Kleinste Gruppe (Personen)"
MATCH_SIZE_MAX = "Größte Gruppe (Personen)"
MATCH_GROUP_PERSON = "Person"
MATCH_GROUP_PICK = "Gruppe"
MATCH_GROUP_LOCK = "In diese Gruppe festlegen"
MATCH_GROUP_EXCLUDE = "Aus dieser Gruppe heraushalten"
MATCH_GROUP_ADJUST_HELP = (
    "„In diese Gruppe festlegen“ behält die Person bei jeder Neuberechnung in der Gruppe, "
    "„Aus dieser Gruppe heraushalten“ setzt sie nie wieder hinein. Eine geänderte Gruppengröße "
    "gilt ab „Neu berechnen“; Anpassungen behalten die Größe des Entwurfs."
)
MATCH_EXPORT_HEADER = "Export"
MATCH_EXPORT_CSV = "Veröffentlichte Zuordnung als CSV herunterladen"
MATCH_EXPORT_XLSX = "Veröffentlichte Zuordnung als Excel-Datei (XLSX) herunterladen"
MATCH_EXPORT_LATER = (
    "Herunterladen lässt sich nur die veröffentlichte Zuordnung: Die Downloads erscheinen, "
    "sobald Sie veröffentlicht haben und kein neuer Entwurf offen ist."
)
MATCH_EXPORT_SHEET = {"pairs": "Tandems", "groups": "Peer-Gruppen"}
MATCH_EXPORT_FILE = {"pairs": "tandems-{slug}", "groups": "peer-gruppen-{slug}"}
MATCH_EXPORT_PAIR_COLUMNS = (
    "Mentee", "Behörde der Mentee", "Mentor:in", "Behörde der Mentor:in", "Gemeinsame Themen",
    "Passung",
)  # fmt: skip
MATCH_EXPORT_GROUP_COLUMNS = ("Gruppe", "Person", "Behörde", "Gemeinsame Themen", "Passung")

MATCH_ERRORS = {
    "no_mentors": "Im Programm gibt es keine Mentor:innen, die der Vermittlung zugestimmt haben.",
    "no_mentees": "Im Programm gibt es keine Mentees, die der Vermittlung zugestimmt haben.",
    "no_peers": "Im Programm gibt es keine Personen, die der Vermittlung zugestimmt haben.",
    "bad_capacity": "Eine Kapazität ist ungültig: Bitte eine ganze Zahl ab 0 angeben "
    "(0 = nimmt in dieser Runde niemanden).",
    "bad_level": "Eine Ebene ist ungültig: Bitte eine ganze Zahl angeben (höher = erfahrener) "
    "oder das Feld leer lassen.",
    "bad_id": "Ein Pseudonym ist leer oder ungültig.",
    "duplicate_person": "Eine Person ist doppelt aufgeführt.",
    "wrong_side": "Eine Person hat eine Rolle, die zu dieser Programmart nicht passt.",
    "bad_vector": "Die Auswertung eines Textes ist unvollständig. Bitte später erneut versuchen.",
    "too_few_peers": "Es sind weniger Personen als die kleinste Gruppe groß sein soll. Bitte "
    "die kleinste Gruppengröße verringern.",
    "bad_group_size": "Mit dieser Gruppengröße lassen sich die Personen nicht aufteilen. Bitte "
    "ganze Zahlen ab 2 angeben (kleinste höchstens so groß wie größte) oder die Spanne "
    "erweitern.",
    "bad_rule": "Eine Regel der Gruppenbildung ist ungültig.",
    "unknown_person": "Diese Person gehört nicht zum Entwurf. Bitte die Seite neu laden.",
    "unknown_group": "Diese Gruppe gibt es im Entwurf nicht. Bitte die Seite neu laden.",
    "bad_lock": "Eine Festlegung verstößt gegen eine Regel des Programms (z. B. gleiche "
    "Behörde, Ebene, Kapazität, Gruppengröße oder höchstens zwei Personen einer Behörde je "
    "Gruppe). Als festgelegt gelten auch veröffentlichte Tandems und bestehende Gruppen mit "
    "ihren Mitgliedern.",
    "bad_kind": "Diese Programmart wird anders zugeordnet (Tandems oder Peer-Gruppen).",
    "no_draft": "Es gibt keinen Entwurf zum Veröffentlichen. Bitte zuerst neu berechnen.",
    "published_pair": "Dieses Tandem ist veröffentlicht und bleibt bestehen; im Entwurf lässt "
    "es sich nicht neu zuordnen.",
}
MATCH_ERROR_DEFAULT = "Die Zuordnung ist so nicht möglich."


def match_error(code: str) -> str:
    """Return the German message for a ``MatchingError`` code (a general one when unknown)."""
    return MATCH_ERRORS.get(code, MATCH_ERROR_DEFAULT)


# -- participant page ("Mein Mentoring"): the own published match -------------------------------
MY_TANDEM = "Mein Tandem"
MY_GROUP = "Meine Gruppe"
MY_MATCH_NONE = {
    "pairs": "Ihre Koordination hat noch kein Tandem für Sie veröffentlicht.",
    "groups": "Ihre Koordination hat noch keine Gruppe für Sie veröffentlicht.",
}
MY_MATCH_NO_CONSENT = (
    "Sie haben der Vermittlung nicht zugestimmt. Deshalb ordnet der Assistent Ihnen kein Tandem "
    "und keine Gruppe zu, und Sie erscheinen bei niemandem. Ihre Einwilligung können Sie unter "
    "„Meine Daten“ ändern."
)
MY_PARTNER = "Tandempartner:in: {partner} ({role}, {organisation})"
MY_MATCH_ROLE = {"mentee": "Mentee", "mentor": "Mentor:in", "peer": "Peer"}
MY_SHARED_TOPICS = "Gemeinsame Themen: {topics}"
MY_NO_SHARED_TOPICS = "Gemeinsame Themen: keine aus dem Themenpool"
MY_PARTNER_OFFERS = "Angebote von {partner}"
MY_PARTNER_MORE_OFFERS = "Weitere Angebote von {partner}"
MY_WHY = "Warum wir zusammenpassen"
MY_WHY_INTRO = (
    "Diese beiden Sätze haben am besten zueinander gepasst. Sie sehen nur Sie und {partner}, "
    "nicht die Koordination."
)
MY_OWN_GOAL = "Ihr Ziel"
MY_OWN_OFFER = "Ihr Angebot"
MY_PARTNER_GOAL = "Ziel von {partner}"
MY_PARTNER_OFFER = "Angebot von {partner}"
MY_GROUP_NAME = "Ihre Gruppe: {group}"
MY_GROUP_MEMBERS = "Weitere Mitglieder"
MY_GROUP_COLUMNS = {"person": "Pseudonym", "organisation": "Organisation"}
