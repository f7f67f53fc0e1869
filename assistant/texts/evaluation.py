"""German copy of the programme evaluation and the end-of-programme questionnaire (issue #13)."""

from __future__ import annotations

from assistant.texts.common import Counted

__all__ = [
    "DIMENSION_LABELS",
    "EVAL_AGREEMENT_COLUMNS",
    "EVAL_AGREEMENT_HEADING",
    "EVAL_AGREEMENT_LINE",
    "EVAL_ERROR",
    "EVAL_HEADER",
    "EVAL_INTRO",
    "EVAL_K_RULE",
    "EVAL_NO_TANDEMS",
    "EVAL_PDF_DOWNLOAD",
    "EVAL_PDF_MAKE",
    "EVAL_PROGRESS_COLUMNS",
    "EVAL_PROGRESS_HEADING",
    "EVAL_PROGRESS_INTRO",
    "EVAL_QUESTIONNAIRE_COLUMNS",
    "EVAL_QUESTIONNAIRE_HEADING",
    "EVAL_QUESTIONNAIRE_N",
    "EVAL_REPORT_DATE",
    "EVAL_REPORT_PROGRAMME",
    "EVAL_REPORT_TITLE",
    "EVAL_RHYTHM_CATEGORIES",
    "EVAL_RHYTHM_COLUMNS",
    "EVAL_RHYTHM_HEADING",
    "EVAL_RHYTHM_INTRO",
    "EVAL_SHIFT_COLUMNS",
    "EVAL_SHIFT_HEADING",
    "EVAL_SHIFT_INTRO",
    "EVAL_TANDEMS",
    "EVAL_TOO_FEW_ANSWERS",
    "EVAL_TOO_FEW_TANDEMS",
    "EVAL_TOO_FEW_TOPICS",
    "INVALID_QUESTIONNAIRE",
    "PAGE_EVALUATION",
    "QUESTIONNAIRE_FREE_TEXT",
    "QUESTIONNAIRE_HEADING",
    "QUESTIONNAIRE_INTRO",
    "QUESTIONNAIRE_QUESTIONS",
    "QUESTIONNAIRE_SAVE",
    "QUESTIONNAIRE_SAVED",
    "QUESTIONNAIRE_SCALE",
    "QUESTIONNAIRE_TEXT_NO_CONSENT",
    "QUESTIONNAIRE_TEXT_SAVED",
    "QUESTIONNAIRE_YOURS",
]

PAGE_EVALUATION = "Evaluation"

# -- the questionnaire (participants) ----------------------------------------------------------
QUESTIONNAIRE_HEADING = "Abschlussbefragung"
QUESTIONNAIRE_INTRO = (
    "Zum Ende des Programms: Wie hat es Ihnen geholfen? Ihre Antwort fließt nur zusammen mit "
    "mindestens {k} weiteren in die Evaluation ein; niemand sieht Ihre einzelnen Werte. Sie "
    "können Ihre Antwort jederzeit ändern."
)
QUESTIONNAIRE_SCALE = {1: "1 – gar nicht", 2: "2", 3: "3", 4: "4", 5: "5 – sehr"}
QUESTIONNAIRE_QUESTIONS = {
    "satisfaction": "Wie zufrieden sind Sie insgesamt mit dem Programm?",
    "networking": "Wie sehr hat Ihnen das Programm bei der Vernetzung geholfen?",
    "exchange": "Wie sehr hat Ihnen das Programm beim Erfahrungsaustausch geholfen?",
    "advice": "Wie sehr hat Ihnen das Programm bei der Beratung in eigenen Fragen geholfen?",
    "feedback": "Wie sehr hat Ihnen das Programm dabei geholfen, Feedback zu bekommen?",
    "future": "Wie sehr hat Ihnen das Programm für Ihre berufliche Zukunft geholfen?",
}
QUESTIONNAIRE_FREE_TEXT = (
    "Was möchten Sie noch sagen? (freiwillig; mit Ihrer Einwilligung zur Auswertung wird der "
    "Text eine Reflexion wie jede andere)"
)
QUESTIONNAIRE_SAVE = "Antwort speichern"
QUESTIONNAIRE_SAVED = "Danke! Ihre Antwort ist gespeichert."
QUESTIONNAIRE_TEXT_SAVED = "Ihr Text ist als Reflexion gespeichert."
QUESTIONNAIRE_TEXT_NO_CONSENT = (
    "Ihr Text wurde nicht gespeichert: Sie haben der Auswertung Ihrer Texte nicht zugestimmt."
)
QUESTIONNAIRE_YOURS = "Ihre Antwort vom {date} ist gespeichert; Sie können sie hier ändern."
INVALID_QUESTIONNAIRE = "Bitte wählen Sie für jede Frage einen Wert von 1 bis 5."

# -- the evaluation (coordinators, the PDF report, the CLI's words) ----------------------------
DIMENSION_LABELS = {
    "satisfaction": "Zufriedenheit insgesamt",
    "networking": "Vernetzung",
    "exchange": "Erfahrungsaustausch",
    "advice": "Beratung",
    "feedback": "Feedback",
    "future": "Zukunft",
}
EVAL_HEADER = "Evaluation des Programms"
EVAL_INTRO = (
    "Zahlen über alle Tandems und Antworten des Programms: keine Namen, keine Texte, keine "
    "Notizen. Jedes Diagramm hat seine Tabelle darunter."
)
EVAL_K_RULE = (
    "Jede Zahl beruht auf mindestens {k} Personen oder Tandems; kleinere Gruppen werden nicht "
    "ausgewiesen, damit niemand erkennbar wird."
)
EVAL_ERROR = "Die Evaluation ist nicht verfügbar: {message}"
EVAL_TANDEMS = Counted("Veröffentlichte Tandems: {n}")
EVAL_NO_TANDEMS = "Dieses Programm hat noch keine veröffentlichten Tandems."
EVAL_TOO_FEW_TANDEMS = "zu wenige Tandems (mindestens {k})"
EVAL_TOO_FEW_ANSWERS = "zu wenige Antworten (mindestens {k})"
EVAL_TOO_FEW_TOPICS = "Kein Thema erreicht mindestens {k} Personen."
EVAL_RHYTHM_HEADING = "Treffen im vereinbarten Rhythmus"
EVAL_RHYTHM_INTRO = (
    "Wie viele Tandems sich so oft getroffen haben, wie ihr Rhythmus seit Programmbeginn "
    "vorsieht (Anzahl Tandems)."
)
EVAL_RHYTHM_CATEGORIES = {
    "met": "im Rhythmus oder öfter",
    "below": "seltener als vereinbart",
    "none": "noch kein Treffen",
}
EVAL_RHYTHM_COLUMNS = {"category": "Treffen", "tandems": "Tandems"}
EVAL_AGREEMENT_HEADING = "Bestätigte Zielvereinbarungen"
EVAL_AGREEMENT_LINE = (
    "{confirmed} von {tandems} Tandems haben eine bestätigte Zielvereinbarung ({share})."
)
EVAL_AGREEMENT_COLUMNS = {"confirmed": "bestätigt", "tandems": "Tandems", "share": "Anteil"}
EVAL_PROGRESS_HEADING = "Fortschritt der Ziele nach Thema"
EVAL_PROGRESS_INTRO = (
    "Mittelwert des zuletzt eingetragenen Fortschritts (1 bis 5) der Ziele je Thema des "
    "Themenpools; ein Thema erscheint ab {k} Personen."
)
EVAL_PROGRESS_COLUMNS = {"topic": "Thema", "people": "Personen", "mean": "Fortschritt (1–5)"}
EVAL_QUESTIONNAIRE_HEADING = "Abschlussbefragung"
EVAL_QUESTIONNAIRE_N = Counted("{n:Antwort|Antworten}")
EVAL_QUESTIONNAIRE_COLUMNS = {"question": "Frage", "mean": "Mittelwert (1–5)"}
EVAL_SHIFT_HEADING = "Ziele zu Beginn und Reflexionen am Ende"
EVAL_SHIFT_INTRO = (
    "Anteil der Personen, deren Ziele ein Thema nennen, neben dem Anteil, deren Reflexionen es "
    "nennen (nach den gespeicherten Themenvorschlägen); ein Thema erscheint ab {k} Personen."
)
EVAL_SHIFT_COLUMNS = {
    "topic": "Thema",
    "people": "Personen",
    "goals": "in Zielen",
    "reflections": "in Reflexionen",
}
EVAL_PDF_MAKE = "Bericht als PDF erstellen"
EVAL_PDF_DOWNLOAD = "Bericht als PDF herunterladen"
EVAL_REPORT_TITLE = "Evaluation des Mentoring-Programms"
EVAL_REPORT_PROGRAMME = "Programm: {programme}"
EVAL_REPORT_DATE = "Stand: {date}"
