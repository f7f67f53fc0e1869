"""Answers set aside before clustering: boilerplate ("keine", "s.o.", "-") and duplicate texts."""

from __future__ import annotations

import re

import numpy as np
from numpy.typing import NDArray

from assistant.nlp.boilerplate import is_boilerplate_answer, normalise_answer
from assistant.themes.model import ThemeInput

__all__ = ["is_boilerplate", "set_aside"]

_LETTER = re.compile(r"[^\W\d_]")


def is_boilerplate(text: str) -> bool:
    """Return True for answers that carry no theme: "keine", "s.o.", "-", "k.A.", "weiß nicht".

    The answers of ``assistant.nlp.boilerplate`` (the one list), and any text without a letter
    ("?", "0"): an import keeps those, clustering sets them aside. Only whole answers match, so
    "Keine Zeit für Weiterbildung" is not boilerplate.
    """
    return is_boilerplate_answer(text) or not _LETTER.search(normalise_answer(text))


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
