"""Keep spaCy's thinc from importing torch: the pipelines here run on numpy alone.

``thinc.compat`` imports torch, when it is installed, as soon as spaCy is imported, to offer
its PyTorch layers, which the project's pipelines (a blank or a small CNN pipeline) never use.
That import cost about 3 s of every start that touches spaCy (``python -X importtime``), also
with the ONNX Runtime backend, which needs no torch at all. ``keep_torch_out_of_thinc``
installs an import hook that answers ``import torch`` with ImportError for ``thinc.compat``
alone, so thinc records ``has_torch = False``; torch stays importable for everyone else (the
torch backends, sentence-transformers), in any thread, before or after spaCy.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

__all__ = ["keep_torch_out_of_thinc"]

_BLOCKED_FOR = "thinc.compat"


class _NoTorchForThinc(MetaPathFinder):
    """Refuse torch to ``thinc.compat``'s module-level import; pass on everything else."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        """Raise ImportError when ``thinc.compat`` imports torch; otherwise defer (None)."""
        if fullname != "torch":
            return None
        frame = sys._getframe(1)
        for _ in range(20):  # importlib's own frames lie between the import and this hook
            if frame is None:
                break
            if frame.f_globals.get("__name__") == _BLOCKED_FOR:
                raise ImportError("torch is not offered to thinc (assistant.nlp.torchless)")
            frame = frame.f_back  # type: ignore[assignment]
        return None


def keep_torch_out_of_thinc() -> None:
    """Install the hook once (before spaCy is imported; a later call changes nothing)."""
    if "thinc.compat" in sys.modules:
        return
    if not any(isinstance(finder, _NoTorchForThinc) for finder in sys.meta_path):
        sys.meta_path.insert(0, _NoTorchForThinc())
