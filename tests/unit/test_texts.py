"""German copy: numbers agree with their nouns (issue #14: "1 Mitglieder", "1 Einträge")."""

from __future__ import annotations

import string

import pytest

from assistant import texts
from assistant.texts.common import Counted, count


@pytest.mark.parametrize(
    ("n", "expected"), [(0, "0 Einträge"), (1, "1 Eintrag"), (2, "2 Einträge"), (11, "11 Einträge")]
)
def test_count_takes_the_singular_only_for_one(n, expected):
    assert count(n, "Eintrag", "Einträge") == expected


def test_counted_template_formats_counts_and_plain_fields_like_str_format():
    template = Counted("{name}: {n:Thema|Themen}, Wert {score:.2f}")
    assert template.format(name="Pool", n=1, score=0.5) == "Pool: 1 Thema, Wert 0.50"
    assert template.format(name="Pool", n=3, score=0.5) == "Pool: 3 Themen, Wert 0.50"
    assert isinstance(template, str)


def test_copy_with_counts_says_one_entry_and_one_member():
    done = texts.COORD_IMPORT_DONE.format(imported=1, unchanged=0, participants=1)
    assert done == "Import abgeschlossen: 1 neuer Eintrag, 0 unverändert, 1 Person."
    assert (
        texts.FORUM_PROMPTS_TOPIC.format(topic="Konflikte", members=1) == "Konflikte – 1 Mitglied"
    )
    assert texts.FORUM_PROMPTS_TOPIC.format(topic="Konflikte", members=4) == (
        "Konflikte – 4 Mitglieder"
    )
    assert texts.COORD_IMPORT_REJECTED.format(n=1).startswith(
        "Die Datei enthält 1 fehlerhafte Zeile."
    )
    assert texts.CLI_REPROCESSED.format(n=1) == "1 offener Eintrag analysiert."
    assert "1 Thema" in texts.POOL_SUMMARY.format(name="Mini-Pool", n=1)


def test_no_copy_says_one_with_a_plural_noun():
    """Every template in the namespace, filled with 1 for each count, reads "1 <singular>"."""
    plurals = ("Einträge", "Mitglieder", "Personen", "Themen", "Zeilen", "Texte")
    for name in dir(texts):
        template = getattr(texts, name)
        if isinstance(template, Counted):
            fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
            text = template.format(**dict.fromkeys(fields, 1))
            assert not any(f"1 {p}" in text for p in plurals), (name, text)
