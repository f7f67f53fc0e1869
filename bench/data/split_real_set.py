"""The one split of the real-source set: participants shuffled with seed 17, first half "tune".

Run ``python bench/data/split_real_set.py`` to check that ``real_set.jsonl`` still carries
exactly this split (it prints the counts and exits 1 on a mismatch). The split was made once,
when the set was built; never re-draw it to get nicer figures.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

SEED = 17
REAL_SET = Path(__file__).resolve().parent / "real_set.jsonl"


def assign_splits(participants: Sequence[str], seed: int = SEED) -> dict[str, str]:
    """Map each participant id to "tune" or "heldout": sorted, shuffled once, halves."""
    order = sorted(participants)
    random.Random(seed).shuffle(order)
    half = (len(order) + 1) // 2
    return {p: ("tune" if i < half else "heldout") for i, p in enumerate(order)}


def main() -> int:
    rows = [json.loads(line) for line in REAL_SET.read_text(encoding="utf-8").splitlines() if line]
    expected = assign_splits(sorted({r["participant"] for r in rows}))
    wrong = [r["id"] for r in rows if r["split"] != expected[r["participant"]]]
    people = Counter(v for v in expected.values())
    texts = Counter(r["split"] for r in rows)
    print(f"participants {dict(people)}, texts {dict(texts)}")
    if wrong:
        print(f"{len(wrong)} texts carry another split, e.g. {wrong[:5]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
