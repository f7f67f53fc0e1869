"""PII masking: e-mail addresses, phone numbers, IBANs and given names of known participants.

Every text shown to someone other than its author goes through ``PiiMasker.mask``. A trained
spaCy pipeline with NER, when installed and passed in, also masks PER entities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language as SpacyLanguage

from assistant.nlp.text import fold

EMAIL_MASK = "[E-Mail]"
PHONE_MASK = "[Telefon]"
IBAN_MASK = "[IBAN]"
NAME_MASK = "[Name]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
# Candidates: an optional +49/0049 or a leading 0, digits with spaces, slashes, dashes, brackets.
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s/().-]{5,}\d(?!\w)")
_DATE_LIKE = re.compile(r"^\d{1,4}[.-]\d{1,2}[.-]\d{1,4}$")


def _is_phone(candidate: str) -> bool:
    digits = sum(c.isdigit() for c in candidate)
    stripped = candidate.strip()
    if digits < 7 or digits > 15 or _DATE_LIKE.match(stripped):
        return False
    # A phone number starts with 0, +, 00 or a bracket; plain numbers (amounts, years) do not.
    return stripped[0] in "0+("


class PiiMasker:
    """Replace personal data in a text with placeholders.

    Parameters
    ----------
    known_names : iterable of str
        Given (or full) names of the programme's participants; matched as whole words,
        case-insensitively and with umlauts folded ("Jürgen" also masks "Juergen").
    ner : spaCy Language, optional
        A trained pipeline with an ``ner`` component; its PER entities are masked too.
    """

    def __init__(self, known_names: Iterable[str] = (), ner: SpacyLanguage | None = None) -> None:
        names = sorted({fold(n.strip()) for n in known_names if len(n.strip()) >= 2}, key=len)
        self.known_names = tuple(reversed(names))  # longest first: "Anna-Lena" before "Anna"
        self.ner = ner
        self._names = (
            re.compile(r"(?<!\w)(" + "|".join(map(re.escape, self.known_names)) + r")(?!\w)")
            if self.known_names
            else None
        )

    def mask(self, text: str) -> str:
        """Return ``text`` with e-mails, IBANs, phone numbers and names replaced."""
        text = _EMAIL.sub(EMAIL_MASK, text)
        text = _IBAN.sub(IBAN_MASK, text)
        text = _PHONE.sub(lambda m: PHONE_MASK if _is_phone(m.group()) else m.group(), text)
        if self._names is not None:
            text = self._mask_names(text)
        if self.ner is not None:
            doc = self.ner(text)
            for ent in reversed(doc.ents):
                if ent.label_ in {"PER", "PERSON"}:
                    text = text[: ent.start_char] + NAME_MASK + text[ent.end_char :]
        return text

    def _mask_names(self, text: str) -> str:
        assert self._names is not None
        # Match on the folded text, then cut the same spans out of the original; folding
        # changes lengths (ü → ue), so map folded offsets back through a position table.
        folded_chars: list[str] = []
        origin: list[int] = []
        for i, char in enumerate(text):
            piece = fold(char)
            folded_chars.append(piece)
            origin.extend([i] * len(piece))
        folded = "".join(folded_chars)
        spans = [(origin[m.start()], origin[m.end() - 1] + 1) for m in self._names.finditer(folded)]
        for start, end in reversed(spans):
            text = text[:start] + NAME_MASK + text[end:]
        return text
