"""German copy of themes: fallback names, the "Sonstiges" cluster, the theme view, adoption."""

from __future__ import annotations

from assistant.texts.common import Counted

THEME_NEW = "Neues Thema"
THEME_OTHER = "Sonstiges"
THEME_MAPPING_NEW = "neu"

# The evaluation report's overview (``report.evaluation_html``), each count in agreement.
REPORT_ENTRIES = Counted("{n:ausgewerteter Eintrag|ausgewertete Einträge}")
REPORT_THEMES = Counted("{themes:Thema|Themen}, davon {emerging:neues|neue} (nicht im Themenpool)")
REPORT_SET_ASIDE = Counted(
    "{boilerplate:Eintrag|Einträge} ohne Inhalt (z. B. „keine“) und "
    "{duplicates:doppelter Eintrag|doppelte Einträge} nicht berücksichtigt"
)


def theme_other(n_entries: int) -> str:
    """Return the label of the "Sonstiges" cluster with its number of entries: "Sonstiges (6)"."""
    return f"{THEME_OTHER} ({n_entries})"


# -- adopting a new theme into the pool (coordinator page, "Neue Themen") ---------------------
# Reflection questions and forum prompts of an adopted theme, made from its label; the
# coordinator can reword them later on the pool page.
ADOPTED_QUESTIONS = (
    "Was bedeutet das Thema „{label}“ für Ihre Arbeit?",
    "Wo begegnet Ihnen „{label}“ im Alltag, und was hilft Ihnen dabei?",
    "Was möchten Sie zu „{label}“ in den nächsten Wochen ausprobieren?",
)
ADOPTED_PROMPTS = (
    "Welche Erfahrungen haben Sie mit „{label}“ gemacht?",
    "Was hat Ihnen bei „{label}“ geholfen, und was würden Sie heute anders machen?",
)
ADOPT_HEADER = "Neues Thema „{label}“ in den Themenpool übernehmen"
ADOPT_HINT = (
    "Beschreiben Sie das Thema in Ihren eigenen Worten. Drei Beispielsätze genügen – so, wie "
    "Teilnehmende ein solches Anliegen formulieren könnten, allgemein und ohne Namen oder "
    "Einzelheiten, die auf eine Person schließen lassen. Fragen zur Reflexion und Impulse für "
    "das Forum werden aus der Bezeichnung erstellt und lassen sich im Themenpool ändern."
)
ADOPT_INSPIRATION = (
    "Zur Anregung: so schreiben Teilnehmende über dieses Thema (maskiert). Bitte nicht "
    "übernehmen, sondern eigene Sätze formulieren."
)
ADOPT_FORM = {
    "label": "Bezeichnung (ein bis drei Wörter)",
    "description": "Beschreibung (ein Satz)",
    "examples_de": "Beispielsätze in eigenen Worten (mindestens 3, einer pro Zeile)",
    "examples_en": "Beispielsätze auf Englisch (optional, einer pro Zeile)",
}
ADOPT_SAVE = "Thema übernehmen"
ADOPT_COPIED = Counted(
    "{n:Beispielsatz stammt|Beispielsätze stammen} fast wörtlich von Teilnehmenden. "
    "Bitte formulieren Sie eigene Beispiele: Sätze von Teilnehmenden kommen nicht in den "
    "Themenpool."
)
