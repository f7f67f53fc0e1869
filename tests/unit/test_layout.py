"""The layout stays small: no module over 450 lines (issue #11), migrations aside."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "assistant"


def test_no_module_over_450_lines():
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert long == {}
