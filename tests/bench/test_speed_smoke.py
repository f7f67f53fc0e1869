"""bench/speed.py runs end to end (tiny, hashing embedder, mini pool); asserts no timings."""

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_speed():
    spec = importlib.util.spec_from_file_location("bench_speed", ROOT / "bench" / "speed.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_speed"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_speed_benchmark_smoke_run_writes_the_expected_figures(tmp_path, capsys):
    out = tmp_path / "speed.json"
    # In-process: the test session has the imports already (a fresh interpreter costs seconds).
    code = load_speed().main(
        [
            "--smoke",
            "--embedder",
            "hashing",
            "--smoke-entries",
            "120",
            "--queries",
            "5",
            "--pool",
            str(ROOT / "tests" / "fixtures" / "mini_pool.yaml"),
            "--json-out",
            str(out),
        ]
    )
    assert code == 0
    assert "| 1k " in capsys.readouterr().out  # the table
    result = json.loads(out.read_text())
    assert result["embedder"] == "hashing"
    assert result["machine"]["gemm_gflops"] > 0
    size = result["sizes"]["1k"]
    assert size["entries"] == 120
    ingest = size["ingest (import + embed + index)"]
    assert ingest["imported"] == 120
    assert ingest["entries_per_s"] > 0 and ingest["ratio_to_raw_encode"] > 0
    assert ingest["encoded_texts"] > 0 and ingest["peak_rss_gib"] > 0
    assert size["raw batch encode (baseline)"]["texts"] == 120
    for figure in ("suggest_60_words", "find_peers"):
        assert size[figure]["n"] == 5
        assert 0 < size[figure]["p50_ms"] <= size[figure]["p99_ms"]
    assert size["find_peers"]["recall@10"] == 1.0
    assert size["cold_start"]["seconds"] > 0 and size["cold_start"]["fresh_process"] is False
    assert 0 < size["app_memory"]["rss_gib"] <= size["app_memory"]["peak_rss_gib"]
    starts = size["command_start"]
    assert set(starts) == {"info", "audit verify", "export", "suggest (first suggestion)"}
    assert all(s["median_s"] > 0 and len(s["runs"]) == 1 for s in starts.values())
    fresh = size["fresh_install"]
    assert fresh["median_s"] >= fresh["model_and_suggester_s"] > 0 and len(fresh["runs"]) == 1
    assert fresh["seeded"] is False  # the mini pool with the hashing embedder has no seed
    clustering = size["theme clustering (ThemeClusterer.fit, embeddings given)"]
    assert clustering["clusters"] >= 1 and 0.0 <= clustering["nmi"] <= 1.0
    assert size["theme_clusters (whole programme, service path)"]["clusters"] >= 1


def test_encoder_backend_rows_give_ratios_to_torch_int8():
    speed = load_speed()

    def figures(texts_per_s: float, cpu_seconds: float) -> dict:
        return {
            "texts": 10,
            "texts_per_s": texts_per_s,
            "tokens_per_s": 70 * texts_per_s,
            "gflops": 70 * texts_per_s * speed.E5_FLOPS_PER_TOKEN / 1e9,
            "cpu_seconds": cpu_seconds,
        }

    found = {"onnx": figures(30.0, 4.0), "int8": figures(20.0, 6.0), "float32": figures(10.0, 12.0)}
    rows = speed.backend_rows(found, gemm=150.0)
    assert [r[1] for r in rows] == ["30.0", "20.0", "10.0"]
    assert "×1.50 of torch int8 (CPU time: ×1.50)" in rows[0][2]
    assert "×0.50 of torch int8 (CPU time: ×0.50)" in rows[2][2]
    assert "2100 tokens/s" in rows[0][2] and "of the float32 GEMM peak 150" in rows[0][2]


def test_speed_benchmark_only_ingest_rows_compare_overlap_settings(tmp_path, capsys):
    out = tmp_path / "ingest.json"
    code = load_speed().main(
        [
            "--smoke",
            "--only-ingest",
            "--embedder",
            "hashing",
            "--smoke-entries",
            "300",  # two batches: the overlapped path runs
            "--pool",
            str(ROOT / "tests" / "fixtures" / "mini_pool.yaml"),
            "--json-out",
            str(out),
        ]
    )
    assert code == 0
    assert "ingest (process): entries/s, median of 1" in capsys.readouterr().out
    size = json.loads(out.read_text())["sizes"]["1k"]
    assert [r["overlap"] for r in size["runs"]] == ["process", "off"]
    for overlap in ("process", "off"):
        row = size[f"ingest ({overlap})"]
        assert row["entries_per_s"] > 0 and row["raw_texts_per_s"] > 0
        assert 0 < row["encoder_share"] < 1 and row["ratio_to_raw_encode"] > 0
