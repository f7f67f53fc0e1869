import pytest

from assistant.errors import InvalidEntryError
from assistant.nlp.text import MAX_TEXT_CHARS, fold, validate_text


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("🙂🎉👍", "no_words"),
        ("!!! ??? 123", "no_words"),
        ("a" * (MAX_TEXT_CHARS + 1), "too_long"),
        ("Wort " * 40_000, "too_long"),
        ("<script>alert(1)</script> Ich möchte Social Media", "markup"),
        ("Mehr <b>Sichtbarkeit</b> im Amt", "markup"),
        ("Konflikte\x00 im Team", "control_chars"),
        ("Konflikte\x1b[31m im Team", "control_chars"),
        (None, "not_text"),
        (42, "not_text"),
    ],
)
def test_validate_text_rejects_bad_input_with_code(raw, code):
    with pytest.raises(InvalidEntryError) as info:
        validate_text(raw)
    assert info.value.code == code
    assert "Sichtbarkeit" not in str(info.value)  # messages never echo the text


def test_validate_text_keeps_german_text_and_normalises_soft_breaks():
    text = "  Führung üben –\x0bß, Umlaute <3  "
    assert validate_text(text) == "Führung üben – ß, Umlaute <3"


def test_validate_text_normalises_unicode_to_nfc():
    decomposed = "Fu\u0308hrung"
    assert validate_text(decomposed) == "Führung"


@pytest.mark.parametrize(
    ("left", "right"),
    [("Führung", "Fuehrung"), ("Größe", "groesse"), ("Maßnahme", "MASSNAHME"), ("Übung", "uebung")],
)
def test_fold_meets_umlaut_spellings(left, right):
    assert fold(left) == fold(right)
