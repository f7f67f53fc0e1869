"""Boilerplate answers ("s.o.", "k.A.", "-"): one list, valid text, always "no fit"."""

import numpy as np
import pytest

from assistant.errors import InvalidEntryError
from assistant.nlp.boilerplate import is_boilerplate_answer
from assistant.nlp.text import validate_text

# What people type when they have nothing to add (issue 17, item 5).
BOILERPLATE = ["s.o.", "S. o.", "siehe oben", "Siehe oben.", "k. A.", "k.A.", "KA", "-", "--",
               " – ", "passt", "Passt!", "nichts", "n/a", "N/A", "keine", "Keine.", "dito",
               "wie oben", "entfällt", "Entfaellt", ".", "..."]  # fmt: skip
REAL_SHORT = ["Führung", "KI", "Netzwerk", "Keine Zeit für Weiterbildung", "Passt das zu mir?",
              "Nichts Neues zur E-Akte", "s.o. und dazu: mehr Sichtbarkeit"]  # fmt: skip
NO_CONTENT = ["!!!", "123", "?", "!!! ??? 123", "🙂🎉"]


@pytest.mark.parametrize("text", BOILERPLATE)
def test_is_boilerplate_answer_recognises_nothing_to_add(text):
    assert is_boilerplate_answer(text)


@pytest.mark.parametrize("text", REAL_SHORT + NO_CONTENT)
def test_is_boilerplate_answer_leaves_real_answers_and_letterless_noise(text):
    assert not is_boilerplate_answer(text)


@pytest.mark.parametrize("text", BOILERPLATE)
def test_validate_text_accepts_boilerplate_answers(text):
    assert validate_text(text) == text.strip()


@pytest.mark.parametrize("text", NO_CONTENT)
def test_validate_text_still_refuses_letterless_noise(text):
    with pytest.raises(InvalidEntryError) as info:
        validate_text(text)
    assert info.value.code == "no_words"


@pytest.mark.parametrize("text", ["s.o.", "k.A.", "-", "passt", "Siehe oben"])
def test_suggest_answers_boilerplate_with_no_fit(hashing_assistant, text):
    result = hashing_assistant.suggest(None, text)
    assert result.no_fit and result.topics == ()


def test_suggest_many_gives_boilerplate_no_fit_and_still_refuses_noise(hashing_assistant):
    items = hashing_assistant.suggest_many(None, ["s.o.", "!!!", "123", "Streit im Team"])
    assert items[0].error is None and items[0].result.no_fit
    assert [i.error.code for i in items[1:3]] == ["no_words", "no_words"]
    assert items[3].result.topics[0].topic_id == "conflict"


def test_boilerplate_score_row_is_all_no_topic(hashing_assistant):
    [analysis] = hashing_assistant._analyzer.analyse(["k.A."])
    assert np.all(analysis.scores[:-1] == 0.0) and analysis.scores[-1] == 1.0
    assert analysis.result.no_fit
