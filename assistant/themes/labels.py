"""Theme labels: a short German key phrase from a cluster's own words, not a keyword list.

The label of an emerging theme is a noun phrase of one or two words that occurs in the
cluster's texts: an "adjective + noun" or "noun + noun" pair with the cluster's top noun
(by class-based TF-IDF) when enough of its entries use it ("Vegetarisches Essen"), else that
noun
("Barrierefreiheit"). German nouns are capitalised, which is how nouns are told apart without
a POS tagger. Masked words are never part of a label: masks break the text into pieces and
words are only paired within a piece.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from itertools import pairwise

from assistant.nlp.keyterms import MASKS, display_form, is_key_term, term_key

__all__ = ["theme_label"]

_PIECES = re.compile("|".join(re.escape(m) for m in MASKS) + r"|[.,;:!?()\[\]\"„“”'/–—\n]+")
_WORD = re.compile(r"[^\W\d_][^\W\d_-]*(?:-[^\W\d_]+)*")
_MIN_PAIR_SHARE = 1 / 3  # of the cluster's entries; and at least two entries


def _is_noun(form: str) -> bool:
    return form[:1].isupper()


def _pairs(text: str) -> set[tuple[str, str, str]]:
    """(key of first word, key of second word, surface pair) of adjacent content words."""
    found = set()
    for piece in _PIECES.split(text):
        words = _WORD.findall(piece)
        for first, second in pairwise(words):
            if _is_noun(second) and is_key_term(first) and is_key_term(second):
                key1, key2 = term_key(first), term_key(second)
                if key1 != key2:
                    found.add((key1, key2, f"{first} {second}"))
    return found


def theme_label(
    texts: Sequence[str], ranked_keys: Sequence[str], forms: Mapping[str, Counter[str]]
) -> str:
    """Return a key phrase for a cluster, or "" when it has no usable word.

    Parameters
    ----------
    texts : sequence of str
        The cluster's masked texts, one per entry.
    ranked_keys : sequence of str
        The cluster's keyword group keys (``term_key``), best first (class-based TF-IDF).
    forms : mapping of str to Counter
        Group key to the counted surface forms of its lemmas.

    Returns
    -------
    str
        One or two words, the first letter capitalised.
    """
    shown = {key: display_form(forms[key]) for key in ranked_keys if forms.get(key)}
    nouns = [key for key in ranked_keys if key in shown and _is_noun(shown[key])]
    if nouns:
        entries_with: defaultdict[tuple[str, str], int] = defaultdict(int)
        surfaces: defaultdict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for text in texts:
            seen = set()
            for key1, key2, surface in _pairs(text):
                # The head noun is a keyword of the cluster, one word its top noun.
                if key2 in shown and nouns[0] in (key1, key2):
                    surfaces[(key1, key2)][surface] += 1
                    seen.add((key1, key2))
            for pair in seen:
                entries_with[pair] += 1
        needed = max(2, math.ceil(_MIN_PAIR_SHARE * len(texts)))
        common = [pair for pair, n in entries_with.items() if n >= needed]
        if common:
            best = min(
                common,
                key=lambda p: (-entries_with[p], p),
            )
            return _capitalised(display_form(surfaces[best]))
        return _capitalised(shown[nouns[0]])
    if shown:
        return _capitalised(shown[ranked_keys[0]] if ranked_keys[0] in shown else next(iter(shown)))
    return ""


def _capitalised(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]
