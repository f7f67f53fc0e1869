"""bench/matching.py runs end to end (tiny, hashing embedder, mini pool); asserts no quality."""

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_matching", ROOT / "bench" / "matching.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_matching"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_matching_benchmark_smoke_run_keeps_every_rule(tmp_path, capsys):
    out = tmp_path / "matching.json"
    assert load_bench().main(["--smoke", "--json-out", str(out)]) == 0
    assert "### Pairs, kind `cross`" in capsys.readouterr().out
    result = json.loads(out.read_text())
    for kind in ("cross", "tandem"):
        assert result[f"pairs_{kind}_identical_on_rerun"] is True
        assert all(m["violations"] == 0 for m in result[f"pairs_{kind}"].values())
    assert result["groups"]["identical_on_rerun"] is True
    assert result["groups"]["shipped"]["violations"] == 0
    assert result["scale_pairs"]["violations"] == 0 == result["scale_groups"]["violations"]
