import pytest

from assistant.nlp.pii import EMAIL_MASK, IBAN_MASK, NAME_MASK, PHONE_MASK, PiiMasker


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Schreib mir an anna.schmidt@stadt-nordhafen.de bitte",
            f"Schreib mir an {EMAIL_MASK} bitte",
        ),
        ("Ruf an: 0421 361-12345.", f"Ruf an: {PHONE_MASK}."),
        ("Mobil +49 171 2345678", f"Mobil {PHONE_MASK}"),
        ("Tel. (030) 123 45 67", f"Tel. {PHONE_MASK}"),
        ("IBAN DE89 3704 0044 0532 0130 00 für Reisekosten", f"IBAN {IBAN_MASK} für Reisekosten"),
    ],
)
def test_masker_replaces_contact_data(text, expected):
    assert PiiMasker().mask(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Am 2026-11-22 treffen wir uns um 14 Uhr.",
        "Das Budget beträgt 1500000 Euro.",
        "Seit 2019 im Amt, Raum 3.14.",
    ],
)
def test_masker_leaves_dates_and_amounts(text):
    assert PiiMasker().mask(text) == text


def test_masker_masks_known_names_case_and_umlaut_insensitive():
    masker = PiiMasker(["Jürgen", "Anna-Lena", "Anna"])
    text = "Mit Juergen und Anna-Lena, später mit ANNA. Annalena bleibt."
    assert (
        masker.mask(text)
        == f"Mit {NAME_MASK} und {NAME_MASK}, später mit {NAME_MASK}. Annalena bleibt."
    )


def test_masker_without_names_keeps_words():
    assert PiiMasker().mask("Svenja hat mir geholfen.") == "Svenja hat mir geholfen."
