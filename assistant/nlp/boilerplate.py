"""Boilerplate answers: what people type when they have nothing to add ("s.o.", "k.A.", "-").

The one list of such answers. A boilerplate answer is a valid text that fits no topic: ``suggest``
answers it with "no fit" (not the "no words" refusal), a saved entry gets the "no topic" score
row, and theme clustering sets it aside and counts it. Texts without any letter that are not on
the list ("!!!", "123") are still refused by ``validate_text``.
"""

from __future__ import annotations

import re

from assistant.nlp.text import fold

__all__ = ["BOILERPLATE_ANSWERS", "is_boilerplate_answer", "normalise_answer"]

_NON_WORD = re.compile(r"[\W_]+")

# Compared after ``normalise_answer``: folded, punctuation gone, so "s.o." is "s o",
# "k.A." is "k a", "n/a" is "n a" and "Weiß nicht!" is "weiss nicht". Exact matches only: a real
# answer that starts with "keine" ("keine Zeit für Weiterbildung") is a text, not boilerplate.
BOILERPLATE_ANSWERS = frozenset(
    {
        "bisher nichts",
        "dito",
        "don t know",
        "dto",
        "entfaellt",
        "ich weiss es nicht",
        "ich weiss nicht",
        "idk",
        "ja",
        "k a",
        "ka",
        "kein",
        "keine",
        "keine ahnung",
        "keine angabe",
        "keine angaben",
        "keine aenderung",
        "keine aenderungen",
        "keiner",
        "keines",
        "keins",
        "n a",
        "na",
        "nein",
        "nichts",
        "nichts besonderes",
        "nichts neues",
        "nichts weiter",
        "nix",
        "no",
        "none",
        "nothing",
        "nothing new",
        "noch nichts",
        "ok",
        "okay",
        "passt",
        "passt so",
        "s o",
        "siehe oben",
        "so",
        "tbd",
        "test",
        "unveraendert",
        "vgl oben",
        "weiss ich nicht",
        "weiss nicht",
        "wie oben",
        "x",
        "xx",
        "xxx",
    }
)

# Answers without a letter that people use for "nothing to add" (dashes, dots, a slash). Other
# letterless texts ("!!!", "123", "?") say nothing and stay refused as "no words".
_SYMBOL_ANSWERS = frozenset({"-", "--", "---", "–", "—", ".", "..", "...", "/", "//", "./."})


def normalise_answer(text: str) -> str:
    """Return ``text`` folded (lower case, umlauts spelled out), punctuation and spacing gone."""
    return _NON_WORD.sub(" ", fold(text)).strip()


def is_boilerplate_answer(text: str) -> bool:
    """Return True for a whole answer that says "nothing to add".

    Case, umlaut spelling ("entfällt", "entfaellt"), punctuation and spacing do not matter
    ("k. A." is "k.A."). Short real answers ("Führung", "KI") are not boilerplate.
    """
    if "".join(text.split()) in _SYMBOL_ANSWERS:
        return True
    return normalise_answer(text) in BOILERPLATE_ANSWERS
