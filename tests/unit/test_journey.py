"""The pure journey: guide and agreement composed from data, rendered and read back."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from docx import Document as read_docx
from pypdf import PdfReader

from assistant import texts
from assistant.domain import Programme
from assistant.errors import InvalidEntryError
from assistant.journey import (
    LIMITS,
    AgreementContent,
    AgreementDefaults,
    GoalItem,
    Tandem,
    agreement_document,
    compose_guide,
    draft_agreement,
    to_docx,
    to_pdf,
    validate_agreement,
)
from assistant.journey.documents import pdf_safe

PROGRAMME = Programme(1, "Cross Nord", "cross")
TANDEM = Tandem(
    PROGRAMME,
    mentee="m1",
    mentor="t1",
    shared_topics=("leadership",),
    mentee_topics=("leadership", "career_planning"),
    mentor_topics=("new_work", "leadership"),
    goals_by_topic=(("leadership", "Ich möchte mein Team gut führen."), ("", "Mehr Größe.")),
)
AT = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    doc = read_docx(io.BytesIO(data))
    header = "\n".join(p.text for s in doc.sections for p in s.header.paragraphs)
    return header + "\n" + "\n".join(p.text for p in doc.paragraphs)


def test_tandem_complementary_topics_are_one_sided_mentee_first():
    assert TANDEM.complementary_topics == ("career_planning", "new_work")
    assert TANDEM.partners == {"m1", "t1"}


def test_guide_has_the_four_parts_and_an_agenda_from_the_pool(default_pool):
    guide = compose_guide(TANDEM, default_pool)
    headings = [s.heading for s in guide.sections]
    assert headings[:5] == [
        texts.GUIDE_KNOW,
        texts.GUIDE_CONCERN,
        texts.GUIDE_SUPPORT,
        texts.GUIDE_RULES,
        texts.GUIDE_AGENDA,
    ]
    labels = {t.id: t for t in default_pool.topics}
    lead = labels["leadership"]
    assert headings[5] == texts.GUIDE_AGENDA_SHARED.format(topic=lead.label_in("de"))
    assert headings[6] == texts.GUIDE_AGENDA_COMPLEMENTARY.format(
        topic=labels["career_planning"].label_in("de")
    )
    assert guide.sections[5].items == lead.reflection_questions["de"]
    assert "„Ich möchte mein Team gut führen.“" in guide.sections[1].items
    rules = " ".join(guide.sections[3].items)
    for word in ("Offenheit", "Vertrauen", "Respekt", "Verbindlichkeit", "Vertraulichkeit"):
        assert word in rules
    assert "m1" in guide.subtitle and "t1" in guide.subtitle and not guide.draft


def test_guide_without_topics_says_to_collect_them(default_pool):
    bare = Tandem(PROGRAMME, "m1", "t1")
    guide = compose_guide(bare, default_pool)
    assert guide.sections[-1].paragraphs == (texts.GUIDE_AGENDA_EMPTY,)


def test_draft_holds_goals_per_topic_then_shared_topics_and_defaults(default_pool):
    draft = draft_agreement(TANDEM, default_pool, AgreementDefaults(months=9))
    assert draft.goals == (
        GoalItem("leadership", "Ich möchte mein Team gut führen."),
        GoalItem("", "Mehr Größe."),
    )
    assert (draft.rhythm, draft.minutes, draft.months) == ("monthly", 90, 9)
    assert "vertraulich" in draft.confidentiality
    no_goals = Tandem(PROGRAMME, "m1", "t1", shared_topics=("new_work", "gone"))
    assert draft_agreement(no_goals, default_pool, AgreementDefaults()).goals == (
        GoalItem("new_work", ""),
    )
    nothing = Tandem(PROGRAMME, "m1", "t1")
    assert draft_agreement(nothing, default_pool, AgreementDefaults()).goals == (GoalItem("", ""),)


def test_content_roundtrips_through_its_stored_form(default_pool):
    draft = draft_agreement(TANDEM, default_pool, AgreementDefaults())
    assert AgreementContent.from_dict(draft.as_dict()) == draft


def _content(**change: object) -> AgreementContent:
    base = AgreementContent(
        goals=(GoalItem("leadership", "  Führen  "), GoalItem("", "  ")),
        rhythm="monthly",
        minutes=90,
        months=12,
        confidentiality="Vertraulich.",
    )
    return AgreementContent(**{**base.__dict__, **change})  # type: ignore[arg-type]


def test_validate_strips_and_drops_empty_goals():
    assert validate_agreement(_content()).goals == (GoalItem("leadership", "Führen"),)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"goals": (GoalItem("", "x" * (LIMITS["goal"] + 1)),)}, "too_long"),
        ({"confidentiality": "y" * (LIMITS["confidentiality"] + 1)}, "too_long"),
        ({"excluded_topics": "z" * (LIMITS["excluded_topics"] + 1)}, "too_long"),
        ({"goals": (GoalItem("", " "),)}, "goals"),
        ({"goals": tuple(GoalItem("", f"Ziel {i}") for i in range(9))}, "goals"),
        ({"rhythm": "daily"}, "rhythm"),
        ({"minutes": 5}, "minutes"),
        ({"months": 37}, "months"),
    ],
)
def test_validate_refuses_bad_fields_in_german(change, code):
    with pytest.raises(InvalidEntryError) as err:
        validate_agreement(_content(**change))
    assert err.value.code == code
    assert any(word in str(err.value) for word in ("Bitte", "muss", "braucht", "zu lang"))


def test_a_too_long_goal_without_a_topic_is_named_as_the_form_names_it():
    with pytest.raises(InvalidEntryError) as err:
        validate_agreement(_content(goals=(GoalItem("", "x" * (LIMITS["goal"] + 1)),)))
    assert texts.AGREEMENT_FIELD_GOAL_FREE in str(err.value) and "„“" not in str(err.value)


def test_agreement_is_a_draft_until_both_confirmed(default_pool):
    content = draft_agreement(TANDEM, default_pool, AgreementDefaults())
    one = agreement_document(TANDEM, content, default_pool, version=1, confirmations=[("m1", AT)])
    both = agreement_document(
        TANDEM, content, default_pool, version=1, confirmations=[("m1", AT), ("t1", AT)]
    )
    assert one.draft and not both.draft
    assert texts.AGREEMENT_CONFIRMED_BY.format(person="m1", at="30.11.2026 09:15") in one.text()
    assert texts.AGREEMENT_UNCONFIRMED.format(person="t1") in one.text()
    assert texts.AGREEMENT_CONFIRMED in both.text()
    assert "monatlich, je 90 Minuten; Laufzeit: 12 Monate" in both.text()


def test_pdf_reads_back_with_umlauts_and_draft_mark(default_pool):
    content = draft_agreement(TANDEM, default_pool, AgreementDefaults())
    draft = agreement_document(TANDEM, content, default_pool, version=1, confirmations=[])
    text = pdf_text(to_pdf(draft))
    assert "Zielvereinbarung (Entwurf)" in text
    assert "ENTWURF - noch nicht von beiden best" in text
    assert "Ich möchte mein Team gut führen." in text and "Mehr Größe." in text
    final = agreement_document(
        TANDEM, content, default_pool, version=2, confirmations=[("m1", AT), ("t1", AT)]
    )
    assert "Entwurf" not in pdf_text(to_pdf(final))


def test_pdf_wraps_the_longest_allowed_texts_without_losing_them(default_pool):
    long_goal = "Verwaltungsdigitalisierung " * (LIMITS["goal"] // 27)
    no_spaces = "Ä" * LIMITS["goal"]
    content = AgreementContent(
        goals=tuple(GoalItem("", long_goal if i % 2 else no_spaces) for i in range(8)),
        rhythm="monthly",
        minutes=90,
        months=12,
        confidentiality="Vertraulich " * (LIMITS["confidentiality"] // 12),
    )
    doc = agreement_document(
        TANDEM, validate_agreement(content), default_pool, version=1, confirmations=[]
    )
    data = to_pdf(doc)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    text = "".join(pdf_text(data).split())
    assert text.count("Ä") == 4 * LIMITS["goal"]
    assert text.count("Verwaltungsdigitalisierung") == 4 * (LIMITS["goal"] // 27)


def test_pdf_transliterates_what_latin1_lacks():
    assert pdf_safe("„Größe“ – 5 € … Łódź 中\x07") == '"Größe" - 5 EUR ... Lódz ?'


def test_docx_reads_back_with_draft_mark_and_sections(default_pool):
    content = draft_agreement(TANDEM, default_pool, AgreementDefaults())
    draft = agreement_document(TANDEM, content, default_pool, version=1, confirmations=[])
    text = docx_text(to_docx(draft))
    assert texts.DRAFT_HEADER in text and "Zielvereinbarung (Entwurf)" in text
    for heading in (
        texts.AGREEMENT_GOALS,
        texts.AGREEMENT_CONFIDENTIALITY,
        texts.AGREEMENT_EXCLUDED,
    ):
        assert heading in text
    assert "Ich möchte mein Team gut führen." in text


def test_guide_pdf_reads_back(default_pool):
    text = pdf_text(to_pdf(compose_guide(TANDEM, default_pool)))
    assert "Leitfaden für das Erstgespräch" in text and "Spielregeln" in text
    assert "Entwurf" not in text
