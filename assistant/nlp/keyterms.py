"""Key terms: the one rule for which lemmas may become keywords, and one form per lemma.

Theme keywords, theme labels and the evidence keywords of topic suggestions
(``evidence_keywords``: the pool keywords a text contains and the classifier's terms) all go
through ``is_key_term`` (no stop word, no filler, no number, no mask) and group the forms of a
word by ``term_key`` (a light German suffix stemmer over the folded word), so "Bauanträge" and
"Bauantrags" are one keyword, shown in one form.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from assistant.nlp.fillers import FILLER_WORDS
from assistant.nlp.pii import EMAIL_MASK, IBAN_MASK, NAME_MASK, PHONE_MASK
from assistant.nlp.preprocess import DOMAIN_STOP_WORDS
from assistant.nlp.text import fold

__all__ = [
    "FILLER_WORDS",
    "MASKS",
    "display_form",
    "evidence_keywords",
    "is_key_term",
    "key_term_pairs",
    "term_key",
]

MASKS = (EMAIL_MASK, PHONE_MASK, IBAN_MASK, NAME_MASK)
_MASK_WORDS = frozenset(fold(m.strip("[]")) for m in MASKS)
_MASK_PATTERN = re.compile("|".join(re.escape(m) for m in MASKS))


@functools.cache  # spaCy's lists load at the first keyword, not at import (seconds: thinc, torch)
def _stop_words() -> frozenset[str]:
    from spacy.lang.de.stop_words import STOP_WORDS as DE
    from spacy.lang.en.stop_words import STOP_WORDS as EN

    return frozenset(fold(w) for w in DE | EN) | DOMAIN_STOP_WORDS | FILLER_WORDS


_LETTER = re.compile(r"[^\W\d_]")
_UMLAUTS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
# Longest first; a suffix goes only when a stem of at least _MIN_STEM letters stays.
_SUFFIXES = ("ern", "em", "en", "er", "es", "e", "s", "n")
_MIN_STEM = 4


def is_key_term(word: str) -> bool:
    """Whether a lemma may be a keyword: three letters up, no stop or filler word, no digit."""
    key = fold(word.strip())
    return (
        len(key) >= 3
        and key not in _stop_words()
        and key not in _MASK_WORDS
        and _LETTER.search(key) is not None
        and not any(ch.isdigit() for ch in key)
    )


def term_key(word: str) -> str:
    """Group key of a word's forms: folded, umlauts undone, one inflection suffix removed.

    "Bauanträge", "Bauantrags" and "Bauantrag" share the key "bauantrag". A key groups
    forms; it is never shown.
    """
    key = fold(word.strip())
    for umlaut, vowel in _UMLAUTS:
        key = key.replace(umlaut, vowel)
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= _MIN_STEM:
            return key[: -len(suffix)]
    return key


def key_term_pairs(lemmas: Iterable[str], text: str) -> list[tuple[str, str]]:
    """Return (``term_key``, lemma) pairs of the lemmas that may become keywords.

    Parameters
    ----------
    lemmas : iterable of str
        Lemmas of an entry, possibly taken before masking.
    text : str
        The entry's masked text. When it holds a mask, a lemma must still be visible in it, so
        a masked name can never come back as a keyword.
    """
    visible = fold(_MASK_PATTERN.sub(" ", text)) if _MASK_PATTERN.search(text) else None
    pairs = []
    for lemma in (w.strip() for w in lemmas):
        if not is_key_term(lemma):
            continue
        if visible is not None and not re.search(r"(?<!\w)" + re.escape(fold(lemma)), visible):
            continue
        pairs.append((term_key(lemma), lemma))
    return pairs


def display_form(forms: Counter[str]) -> str:
    """Most frequent surface form; ties prefer umlauts/ß, then a capital, then the shorter.

    The shorter form on ties is usually the base form ("Bauantrag" before "Bauantrags").
    """
    return min(
        forms,
        key=lambda f: (-forms[f], fold(f) == f.lower(), not f[:1].isupper(), len(f), f),
    )


def evidence_keywords(
    pool_keywords: Sequence[str],
    classifier_terms: Sequence[str],
    surface: Mapping[str, str],
    limit: int = 6,
) -> tuple[str, ...]:
    """Return the keywords shown as a topic suggestion's evidence, through the one rule.

    Parameters
    ----------
    pool_keywords : sequence of str
        The topic's pool keywords found in the text, in the pool's order; shown as written.
    classifier_terms : sequence of str
        Folded lemmas that pushed the topic up most (``TopicSuggester.evidence_terms``), best
        first.
    surface : mapping of str to str
        Folded lemma to the text's own spelling, so a term is shown as the text wrote it.
    limit : int, default=6

    Returns
    -------
    tuple of str
        Pool keywords first, then classifier terms; every one passes ``is_key_term`` and
        no two share a ``term_key`` (nor is a term part of a pool keyword already shown).
    """
    shown: list[str] = []
    keys: set[str] = set()
    for keyword in pool_keywords:
        key = term_key(keyword)
        if is_key_term(keyword) and key not in keys:
            keys.add(key)
            shown.append(keyword)
    for term in classifier_terms:
        key = term_key(term)
        if not is_key_term(term) or key in keys or any(term in fold(k) for k in shown):
            continue
        keys.add(key)
        shown.append(surface.get(term, term))
    return tuple(shown[:limit])
