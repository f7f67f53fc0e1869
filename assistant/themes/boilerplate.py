"""Answers set aside before clustering: boilerplate ("keine", "s.o.", "-") and duplicate texts."""

from __future__ import annotations

import re

import numpy as np
from numpy.typing import NDArray

from assistant.nlp.text import fold
from assistant.themes.model import ThemeInput

__all__ = ["is_boilerplate", "set_aside"]

_NON_WORD = re.compile(r"[\W_]+")
_LETTER = re.compile(r"[^\W\d_]")

# Compared after ``_normalise_answer``: folded, punctuation gone, so "s.o." is "s o",
# "k.A." is "k a" and "Weiß nicht!" is "weiss nicht". Exact matches only: a real answer that
# starts with "keine" ("keine Zeit für Weiterbildung") is a theme, not boilerplate.
_BOILERPLATE = frozenset(
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


def _normalise_answer(text: str) -> str:
    return _NON_WORD.sub(" ", fold(text)).strip()


def is_boilerplate(text: str) -> bool:
    """Return True for answers that carry no theme: "keine", "s.o.", "-", "k.A.", "weiß nicht".

    Case, umlaut spelling ("weiss"), punctuation and spacing do not matter; a text without any
    letter ("-", "?", "0") is boilerplate too. Only whole answers match, so "Keine Zeit für
    Weiterbildung" is not boilerplate.
    """
    normalised = _normalise_answer(text)
    return not _LETTER.search(normalised) or normalised in _BOILERPLATE


def _dedup_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def set_aside(entries: list[ThemeInput]) -> tuple[NDArray[np.intp], int, int]:
    """Return indices of usable entries, then the numbers of boilerplate and duplicates.

    Boilerplate is checked first, so ten "keine" count as ten boilerplate answers. Of equal
    texts the earliest (by ``created_at``, then ``entry_id``) is kept.
    """
    boilerplate = {i for i, e in enumerate(entries) if is_boilerplate(e.text)}
    seen: set[str] = set()
    usable = []
    for i in sorted(
        (i for i in range(len(entries)) if i not in boilerplate),
        key=lambda i: (entries[i].created_at, entries[i].entry_id),
    ):
        key = _dedup_key(entries[i].text)
        if key not in seen:
            seen.add(key)
            usable.append(i)
    n_duplicates = len(entries) - len(boilerplate) - len(usable)
    return np.array(sorted(usable), dtype=np.intp), len(boilerplate), n_duplicates
