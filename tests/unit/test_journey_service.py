"""A published tandem's guide and agreement through the facade: partners only, versions, privacy.

Runs on the hashing embedder and a fresh database (SQLite, or PostgreSQL under
``.ci/postgres.sh``).
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from docx import Document as read_docx
from pypdf import PdfReader

from assistant.errors import AccessDenied, InvalidEntryError
from assistant.journey import LIMITS, GoalItem
from assistant.policy import Principal, operator
from tests.matching_cohort import CROSS
from tests.unit.journey_support import cross_assistant
from tests.unit.privacy_support import stores_of

pytestmark = pytest.mark.postgres

OPERATOR = operator("cli:test")
COORDINATOR = Principal("koordination", "coordinator", programmes=frozenset({CROSS}))
MODERATOR = Principal(
    "mod", "moderator", programmes=frozenset({CROSS}), groups=frozenset({(CROSS, "G1")})
)
ADMIN = Principal("admin", "admin")


def person(pid: str) -> Principal:
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({CROSS}))


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    yield from cross_assistant(hashing_assistant, tmp_path)


@pytest.fixture
def tandem(engine):
    """(mentee, mentor) of me-1's published tandem, and an unmatched mentee's id."""
    engine.match(COORDINATOR, CROSS)
    pairs = {p.mentee: p.mentor for p in engine.match_publish(COORDINATOR, CROSS).result.pairs}
    return "me-1", pairs["me-1"]


def _rows(engine, action):
    return [r for r in stores_of(engine).audit.rows() if r.action == action]


def test_nothing_before_publishing(engine):
    assert engine.tandem_guide(person("me-1"), CROSS) is None
    assert engine.tandem_agreement(person("me-1"), CROSS) is None
    with pytest.raises(AccessDenied):
        engine.confirm_agreement(person("me-1"), CROSS, 0)


def test_both_partners_see_the_same_guide_with_the_goal(engine, tandem):
    mentee, mentor = tandem
    mine = engine.tandem_guide(person(mentee), CROSS)
    theirs = engine.tandem_guide(person(mentor), CROSS)
    assert mine is not None and mine == theirs
    assert "Instagram" in mine.text() and mentor in mine.subtitle
    rows = _rows(engine, "tandem.view")
    assert rows[0].subject == mentee and rows[0].detail == {"document": "guide"}


@pytest.mark.parametrize("who", [COORDINATOR, MODERATOR, ADMIN, person("me-2"), person("me-4")])
def test_nobody_else_sees_or_confirms_and_each_refusal_is_audited(engine, tandem, who):
    mentee, _ = tandem
    for call in (
        lambda: engine.tandem_guide(who, CROSS, mentee),
        lambda: engine.tandem_agreement(who, CROSS, mentee),
        lambda: engine.confirm_agreement(who, CROSS, 0, mentee),
        lambda: engine.tandem_document(who, CROSS, "agreement", "pdf", mentee),
    ):
        before = len(stores_of(engine).audit.rows())
        with pytest.raises(AccessDenied):
            call()
        rows = stores_of(engine).audit.rows()
        assert len(rows) == before + 1 and rows[0].outcome == "denied"
    assert stores_of(engine).agreements.count() == 0


def test_draft_is_prefilled_and_confirmed_by_both_with_time(engine, tandem):
    mentee, mentor = tandem
    draft = engine.tandem_agreement(person(mentor), CROSS)
    assert draft is not None and draft.version == 0 and not draft.confirmed
    assert any("Instagram" in g.goal for g in draft.content.goals)
    assert (draft.content.rhythm, draft.content.minutes, draft.content.months) == (
        "monthly",
        90,
        12,
    )
    one = engine.confirm_agreement(person(mentee), CROSS, 0)
    assert one.version == 1 and one.confirmed_by(mentee) and not one.confirmed
    both = engine.confirm_agreement(person(mentor), CROSS, 1)
    assert both.confirmed and [c.participant_id for c in both.confirmations] == [mentee, mentor]
    assert all(c.at.tzinfo is not None for c in both.confirmations)
    details = [r.detail for r in _rows(engine, "agreement.edit")]
    assert {"step": "confirm", "version": 1, "confirmed": True} in details


def test_change_after_confirmation_needs_both_again_and_keeps_history(engine, tandem):
    mentee, mentor = tandem
    engine.confirm_agreement(person(mentee), CROSS, 0)
    confirmed = engine.confirm_agreement(person(mentor), CROSS, 1)
    same = engine.save_agreement(person(mentee), CROSS, confirmed.content)
    assert same.version == 1 and same.confirmed  # nothing changed, nothing to confirm again
    changed = replace(confirmed.content, minutes=60, excluded_topics="Personalakten")
    second = engine.save_agreement(person(mentee), CROSS, changed)
    assert second.version == 2 and not second.confirmed and second.confirmations == ()
    assert [a.version for a in second.history] == [1, 2]
    assert second.in_force is not None and second.in_force.version == 1
    # The partner read version 1 only: confirming it now is refused as stale.
    with pytest.raises(InvalidEntryError) as err:
        engine.confirm_agreement(person(mentor), CROSS, 1)
    assert err.value.code == "stale" and "Fassung 2" in str(err.value)
    # Until both confirmed version 2, the print is version 1; then version 2.
    assert "je 90 Minuten" in _pdf(
        engine.tandem_document(person(mentor), CROSS, "agreement", "pdf")
    )
    engine.confirm_agreement(person(mentor), CROSS, 2)
    engine.confirm_agreement(person(mentee), CROSS, 2)
    text = _pdf(engine.tandem_document(person(mentor), CROSS, "agreement", "pdf"))
    assert "je 60 Minuten" in text and "Personalakten" in text and "Entwurf" not in text


def test_too_long_field_is_refused_in_german_and_nothing_is_stored(engine, tandem):
    mentee, _ = tandem
    draft = engine.tandem_agreement(person(mentee), CROSS)
    long = replace(draft.content, goals=(GoalItem("", "x" * (LIMITS["goal"] + 1)),))
    with pytest.raises(InvalidEntryError) as err:
        engine.save_agreement(person(mentee), CROSS, long)
    assert err.value.code == "too_long" and "zu lang" in str(err.value)
    assert stores_of(engine).agreements.count() == 0


def test_documents_for_partners_and_the_operator_on_request(engine, tandem):
    mentee, mentor = tandem
    draft_pdf = _pdf(engine.tandem_document(person(mentee), CROSS, "agreement", "pdf"))
    assert "Zielvereinbarung (Entwurf)" in draft_pdf
    docx = read_docx(
        io.BytesIO(engine.tandem_document(OPERATOR, CROSS, "agreement", "docx", mentor))
    )
    assert any("Entwurf" in p.text for p in docx.paragraphs)
    guide = _pdf(engine.tandem_document(OPERATOR, CROSS, "guide", "pdf", mentee))
    assert "Leitfaden" in guide
    printed = _rows(engine, "tandem.print")
    assert printed[0].detail == {"document": "guide", "format": "pdf"}
    assert printed[0].actor == "cli:test" and printed[0].subject == mentee
    with pytest.raises(InvalidEntryError) as err:
        engine.tandem_document(OPERATOR, CROSS, "guide", "pdf", "me-4")  # in no tandem
    assert err.value.code == "no_tandem"


def test_export_has_the_agreements_and_erasure_removes_them(engine, tandem):
    mentee, mentor = tandem
    engine.confirm_agreement(person(mentee), CROSS, 0)
    exported = engine.export(OPERATOR, mentor)
    assert [(a["programme"], a["mentee"], a["version"]) for a in exported["agreements"]] == [
        (CROSS, mentee, 1)
    ]
    agreement = exported["agreements"][0]
    assert agreement["created_by"] == mentee  # by pseudonym: no account name of the partner
    assert [set(c) for c in agreement["confirmations"]] == [{"participant", "at"}]
    assert agreement["confirmations"][0]["participant"] == mentee
    assert "Instagram" in str(exported["agreements"][0]["content"])
    engine.erase(OPERATOR, mentee)
    assert stores_of(engine).agreements.count() == 0
    assert stores_of(engine).db.count("agreement_confirmations") == 0


def test_retention_removes_the_programmes_agreements(engine, tandem):
    mentee, _ = tandem
    engine.confirm_agreement(person(mentee), CROSS, 0)
    stores = stores_of(engine)
    prog = stores.programmes.get(CROSS)
    with stores.db.transaction() as tx:
        stores.programmes.upsert(tx, CROSS, prog.kind, ends_on=date(2026, 3, 31))
    planned = engine.run_retention(ADMIN, today=date(2030, 1, 1), dry_run=True)
    assert planned["programmes"][0]["agreements"] == 1 and stores.agreements.count() == 1
    done = engine.run_retention(ADMIN, today=date(2030, 1, 1), dry_run=False)
    assert done["programmes"][0]["removed"]["agreements"] == 1
    assert stores.agreements.count() == 0


def _pdf(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
