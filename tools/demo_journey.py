"""Fill the demo's cross programme with a fictional journey, so the evaluation has figures.

Publishes the demo's cross tandems (if not yet), then lets six of them confirm their agreement,
log two to five meetings with rising progress and answer the end-of-programme questionnaire,
all through the facade as the partners themselves would. Fictional demo data only: it runs
only in demo mode. Used for the closing note's evaluation screenshots:

    export ASSISTANT_DATA_DIR=/tmp/demo ASSISTANT_DEMO=true
    assistant prepare && .venv/bin/python tools/demo_journey.py
    assistant evaluation --programme "Cross-Mentoring Frauen in Führung 2026" --out bericht.pdf
"""

from __future__ import annotations

import sys
from datetime import date, timedelta

from assistant.config import load_settings
from assistant.factory import build_assistant
from assistant.journey.evaluation import SCORES
from assistant.journey.meetings import MeetingInput
from assistant.policy import Principal, operator
from assistant.service import QuestionnaireInput

CROSS = "Cross-Mentoring Frauen in Führung 2026"
TANDEMS = 6
DAYS_AGO = (200, 150, 100, 60, 20)
BASE = (4, 4, 3, 3, 4, 2)  # satisfaction, then the five Munich dimensions


def _partner(pid: str) -> Principal:
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({CROSS}))


def main() -> None:
    """Seed the journey; print what was done."""
    settings = load_settings()
    if not settings.demo:
        sys.exit("Demo mode is off (ASSISTANT_DEMO=false): this fills only the fictional demo.")
    engine = build_assistant(settings)
    setup = operator("cli:demo-journey")
    view = engine.match(setup, CROSS)
    if view.status != "published":
        view = engine.match_publish(setup, CROSS)
    pairs = {p.mentee: p.mentor for p in view.result.pairs}
    today = date.today()
    for i, mentee in enumerate(sorted(pairs)[1 : 1 + TANDEMS]):  # the first stays for a user
        for pid in (mentee, pairs[mentee]):
            agreement = engine.tandem_agreement(_partner(pid), CROSS)
            assert agreement is not None
            if not agreement.confirmed_by(pid):
                engine.confirm_agreement(_partner(pid), CROSS, agreement.version)
        meetings = engine.tandem_meetings(_partner(mentee), CROSS)
        assert meetings is not None
        for n, days in enumerate(DAYS_AGO[: 2 + i % 4]):
            progress = tuple((g, min(5, 2 + (n + g) // 2)) for g in range(len(meetings.goals)))
            on = today - timedelta(days=days)
            engine.log_meeting(_partner(mentee), CROSS, MeetingInput(on, 90, progress=progress))
        for j, pid in enumerate((mentee, pairs[mentee])):
            scores = {
                name: min(5, base + (i + j) % 2) for name, base in zip(SCORES, BASE, strict=True)
            }
            engine.answer_questionnaire(_partner(pid), CROSS, QuestionnaireInput(scores))
    sys.stdout.write(f"{CROSS}: {len(pairs)} published tandems, {TANDEMS} with a journey\n")


if __name__ == "__main__":
    main()
