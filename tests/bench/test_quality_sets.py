"""bench/quality.py's sets: the real-source set's integrity and the held-out guard (no model)."""

import csv
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data"
TOPIC_IDS = {
    "social_media", "new_work", "career_planning", "leadership", "self_marketing", "conflict",
    "work_life_balance", "networking", "strategy", "digital_tools", "data_protection",
    "change_innovation", "communication", "generations", "self_reflection", "negotiation",
    "ai_automation", "learning",
}  # fmt: skip


def load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quality():
    return load("bench_quality", ROOT / "bench" / "quality.py")


@pytest.fixture(scope="module")
def real(quality):
    return quality.load_dev(quality.REAL_SET)


def test_real_set_rows_are_labelled_with_pool_ids_and_known_fields(real):
    assert len(real) >= 240 and len({d["id"] for d in real}) == len(real)
    assert len({d["text"] for d in real}) == len(real)
    for d in real:
        assert set(d["topics"]) <= TOPIC_IDS and len(d["topics"]) == len(set(d["topics"])) <= 2
        assert d["lang"] in {"de", "en"} and d["kind"] in {"goal", "offer", "reflection"}
        assert d["role"] in {"mentee", "mentor", "peer"} and d["split"] in {"tune", "heldout"}
    assert sum(not d["topics"] for d in real) >= 0.1 * len(real)


def test_real_set_participants_have_two_to_four_texts_one_language_one_split(real):
    people = Counter(d["participant"] for d in real)
    assert len(people) >= 40 and set(people.values()) <= {2, 3, 4}
    for key in ("lang", "split", "role", "organisation"):
        assert all(len({d[key] for d in real if d["participant"] == p}) == 1 for p in people)


def test_real_set_split_is_the_documented_one():
    split = load("split_real_set", DATA / "split_real_set.py")
    assert split.main() == 0


def test_every_real_text_has_a_source_address():
    with (DATA / "real_sources.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    ids = [d.strip() for d in (DATA / "real_set.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(ids) and len({r["id"] for r in rows}) == len(rows)
    assert all(r["url"].startswith(("http://", "https://")) and r["paraphrases"] for r in rows)


def test_load_set_gives_each_split_its_own_texts(quality, real):
    tune, heldout = quality.load_set("real-tune"), quality.load_set("real-heldout")
    assert len(tune) + len(heldout) == len(real)
    assert not {d["participant"] for d in tune} & {d["participant"] for d in heldout}
    assert quality.load_set("dev") == quality.load_dev(quality.DEV_SET)


def test_heldout_part_needs_the_explicit_flag(quality):
    assert quality.chosen_sets(["real-tune", "dev"], heldout=False) == ["dev", "real-tune"]
    assert quality.chosen_sets(["all"], heldout=True) == ["dev", "real-tune", "real-heldout"]
    for names in (["all"], ["real-heldout"]):
        with pytest.raises(SystemExit, match="--heldout"):
            quality.chosen_sets(names, heldout=False)
