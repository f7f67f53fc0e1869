"""Shared set-up of the tandem pages' tests: a published demo tandem and a partner's page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from assistant import Assistant
from assistant.policy import Principal, operator
from tests.ui.conftest import APP, sign_in_as

CROSS = "Cross-Mentoring Frauen in Führung 2026"
OPERATOR = operator("cli:test")


def publish_first_tandem(engine: Assistant) -> tuple[str, str]:
    """(mentee, mentor) of a tandem the operator published in the demo's cross programme."""
    engine.match(OPERATOR, CROSS)
    first = engine.match_publish(OPERATOR, CROSS).result.pairs[0]
    return first.mentee, first.mentor


def page(participant_id: str) -> AppTest:
    """ "Mein Mentoring" as the participant ``participant_id`` of the cross programme sees it."""
    who = Principal(
        username=f"demo-{participant_id}",
        role="participant",
        participant_id=participant_id,
        programmes=frozenset({CROSS}),
    )
    at = sign_in_as(AppTest.from_file(APP, default_timeout=180), who).run()
    assert not at.exception, at.exception
    return at
