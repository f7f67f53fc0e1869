"""bench/quality.py's reliability diagram and ECE (issue #17, item 7), on toy examples."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location("bench_quality_rel", ROOT / "bench/quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_quality_rel"] = module
    spec.loader.exec_module(module)
    return module


def test_reliability_bins_predictions_and_weighs_each_gap_by_its_share(quality):
    # Bin 0.1-0.2: 0.1 and 0.15, one right (accuracy 0.5, confidence 0.125, gap 0.375).
    # Bin 0.9-1.0: 0.9, 0.95 and 1.0 (the last bin holds 1.0), all right (gap 0.05).
    report = quality.reliability([0.1, 0.15, 0.9, 0.95, 1.0], [True, False, True, True, True])
    assert report["n"] == 5
    low, high = report["bins"]
    assert (low["low"], low["n"], high["low"], high["n"]) == (0.1, 2, 0.9, 3)
    assert low["confidence"] == pytest.approx(0.125) and low["accuracy"] == 0.5
    assert high["confidence"] == pytest.approx(0.95) and high["accuracy"] == 1.0
    assert report["ece"] == pytest.approx(2 / 5 * 0.375 + 3 / 5 * 0.05)


def test_reliability_of_calibrated_predictions_is_zero_and_of_empty_is_nan(quality):
    # Ten predictions at 0.3, three right; ten at 0.8, eight right: calibrated.
    confidence = [0.3] * 10 + [0.8] * 10
    correct = [True] * 3 + [False] * 7 + [True] * 8 + [False] * 2
    assert quality.reliability(confidence, correct)["ece"] == pytest.approx(0.0)
    empty = quality.reliability([], [])
    assert empty["bins"] == [] and np.isnan(empty["ece"])
    with pytest.raises(ValueError, match="differ in shape"):
        quality.reliability([0.5], [True, False])
