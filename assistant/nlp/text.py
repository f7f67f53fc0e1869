"""Text validation at the edge, and the umlaut folding shared by all lexical features."""

from __future__ import annotations

import re
import unicodedata

from assistant.errors import InvalidEntryError

MAX_TEXT_CHARS = 20_000  # a long reflection is ~3,000 words; beyond that it is not one entry

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?\s*>")
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SOFT_SPACE = re.compile(r"[\x0b\x0c\x85\u2028\u2029\xa0]")
_WORD = re.compile(r"[^\W\d_]{2,}")


def fold(text: str) -> str:
    """Lower-case and fold umlauts and ß, so "Führung" and "Fuehrung" become the same string.

    Both sides of every lexical comparison are folded, so typed "ae/oe/ue" and real umlauts
    produce the same n-grams.
    """
    return unicodedata.normalize("NFC", text).lower().translate(_FOLD)


def _is_boilerplate_answer(text: str) -> bool:
    # Imported here: the boilerplate module folds with ``fold`` from this module.
    from assistant.nlp.boilerplate import is_boilerplate_answer

    return is_boilerplate_answer(text)


def validate_text(text: object, *, field: str = "text", require_words: bool = True) -> str:
    """Return ``text`` cleaned for processing, or raise ``InvalidEntryError``.

    Unicode is NFC-normalised, soft line breaks become spaces, outer white space goes.
    A boilerplate answer ("s.o.", "k.A.", "-": ``assistant.nlp.boilerplate``) is valid even
    without a word: it fits no topic. ``require_words=False`` lets every letterless text through
    ("?", "0"): an import keeps them, and theme clustering sets them aside and counts them.

    Raises
    ------
    InvalidEntryError
        With ``code`` one of ``not_text``, ``empty``, ``too_long``, ``control_chars``,
        ``markup`` or ``no_words``; the message names the field and the rule, never the text.
    """
    if not isinstance(text, str):
        raise InvalidEntryError(f"{field}: expected text, got {type(text).__name__}.", "not_text")
    cleaned = _SOFT_SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    if not cleaned:
        raise InvalidEntryError(f"{field}: the text is empty.", "empty")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise InvalidEntryError(
            f"{field}: the text has {len(cleaned):,} characters; at most {MAX_TEXT_CHARS:,} "
            "are allowed. Split it into several entries.",
            "too_long",
        )
    if _BAD_CONTROL.search(cleaned):
        raise InvalidEntryError(
            f"{field}: the text contains control characters (e.g. U+0000); send plain text.",
            "control_chars",
        )
    if _MARKUP.search(cleaned):
        raise InvalidEntryError(
            f"{field}: the text contains HTML or script tags; send plain text without markup.",
            "markup",
        )
    if require_words and not _WORD.search(cleaned) and not _is_boilerplate_answer(cleaned):
        raise InvalidEntryError(
            f"{field}: the text has no words (only symbols, numbers or emoji).", "no_words"
        )
    return cleaned
