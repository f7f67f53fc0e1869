"""spaCy runs without torch (thinc is refused it); torch stays importable for everyone else."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_CODE = """
import json, sys
from assistant.nlp.preprocess import Preprocessor
processed = Preprocessor().process_many(["Ich möchte Führung lernen. Und Teilzeit planen."])
import thinc.compat
after_spacy = "torch" in sys.modules
import torch
print(json.dumps({
    "sentences": len(processed[0].sentences),
    "torch_after_spacy": after_spacy,
    "thinc_has_torch": thinc.compat.has_torch,
    "torch_works": float(torch.ones(2).sum()) == 2.0,
}))
"""


def test_spacy_pipeline_runs_without_importing_torch():
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.run(
        [sys.executable, "-c", _CODE], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {
        "sentences": 2,
        "torch_after_spacy": False,
        "thinc_has_torch": False,
        "torch_works": True,
    }
