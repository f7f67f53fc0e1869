"""Matching benchmark: cohort pairs and peer groups against an oracle and baselines.

Run: ``.venv/bin/python bench/matching.py`` (about 1.5 minutes on two cores; ``--smoke`` for a
tiny run with the hashing embedder). Figures go to stdout as Markdown tables and to
``bench/results/matching.json``.

The development cohort is built from ``bench/data/dev_set.jsonl`` (measuring only: nothing
here is tuned on it). The 25 participants who wrote an offer are mentors (their offers), the
other 55 are mentees (their goals). Organisations, levels and capacities are drawn by a seeded
RNG, ten cohorts (seeds 0-9), and every figure is the mean over the ten:

- 5 organisations, uniformly; programme kind ``cross`` (other organisation, mentor more
  senior when both levels are given), and ``tandem`` (capacity only) for comparison;
- levels: mentees 1-4, mentors 2-5, each person without a level with probability 0.2;
- capacities 1-3 per mentor.

Definitions:
- coverage: share of mentees whose mentor's offers carry one of the mentee's gold topics
  (a mentee's gold topics: those of their goals; a mentor's: those of their offers);
- oracle: knows the gold labels, obeys the same hard rules and capacities, and maximises
  coverage among the assignments that match the most mentees (as the shipped system does);
  "oracle, coverage first" drops the "most mentees" priority (a pure upper bound);
- matched / possible: matched mentees over the most that the hard rules and capacities allow
  (maximum flow); violations: pairs that break a hard rule, by an independent check here;
- worst decile: mean need-offer score of the 10% worst-off mentees (unmatched count 0);
- blocking pairs: allowed (mentee, mentor) not paired where both prefer each other to what
  they have (a free place counts as preferring anyone), preferences by the need-offer score;
- groups: 80 participants as peers (goals and reflections), 10 organisations, levels 1-4
  (0.2 without), size 5-8; coherence = mean over groups of the share of member pairs that
  share a gold topic (and, stricter, the same main topic); random = random groups of the
  same sizes (100 draws); oracle = the same solver on gold topic profiles.
Scale: 2,000 mentees × 2,000 mentors (20 organisations, capacities 1-3) and 600 peers
(30 organisations, levels 1-5), synthesised by replicating the dev set's real vectors and
topic rows with noise (as ``bench/speed.py`` does); time and tracemalloc peak of the call.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import math
import os
import random
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import load_settings  # noqa: E402
from assistant.factory import build_assistant  # noqa: E402
from assistant.matching import (  # noqa: E402
    Candidate,
    Cohort,
    GroupRules,
    PairRules,
    Passage,
    form_groups,
    match_pairs,
)
from assistant.matching.pairs import solve_assignment  # noqa: E402
from assistant.matching.rules import max_matchable, pair_masks  # noqa: E402
from assistant.matching.scoring import need_offer_scores  # noqa: E402
from assistant.matching.validate import prepare_pairs  # noqa: E402
from assistant.topics import load_topic_pool  # noqa: E402

DEV_SET = ROOT / "bench" / "data" / "dev_set.jsonl"
RESULTS = ROOT / "bench" / "results"
SEEDS = range(10)


@dataclasses.dataclass
class Dev:
    """The dev set with the shipped analyser's vectors and topic rows."""

    rows: list[dict[str, Any]]
    vectors: np.ndarray  # (n, d)
    topics: np.ndarray  # (n, t) without "no topic"
    topic_ids: tuple[str, ...]

    def passage(self, i: int) -> Passage:
        return Passage(self.rows[i]["id"], self.vectors[i], self.topics[i])


def analyse_dev(smoke: bool) -> Dev:
    with DEV_SET.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    settings = dataclasses.replace(load_settings(), data_dir=tempfile.mkdtemp(prefix="bm-"))
    kwargs: dict[str, Any] = {"storage": False}
    if smoke:
        settings = dataclasses.replace(settings, embedder="hashing")
        kwargs["pool"] = load_topic_pool(ROOT / "tests" / "fixtures" / "mini_pool.yaml")
    assistant = build_assistant(settings, **kwargs)
    analyses = assistant._analyzer.analyse([r["text"] for r in rows])  # the text stages alone
    vectors = np.stack([a.vector for a in analyses]).astype(np.float32)
    topics = np.stack([a.scores[:-1] for a in analyses])
    return Dev(rows, vectors, topics, tuple(assistant.pool.ids))


# -- the development cohort ------------------------------------------------------------------


def pair_cohort(dev: Dev, seed: int) -> tuple[Cohort, dict[str, set[str]]]:
    """Mentors = offer writers, mentees = the others; returns the cohort and gold topics."""
    rng = np.random.default_rng(seed)
    by_person: dict[str, list[int]] = {}
    for i, row in enumerate(dev.rows):
        by_person.setdefault(row["participant"], []).append(i)
    gold: dict[str, set[str]] = {}
    people = []
    for pid, rows in sorted(by_person.items()):
        offers = [i for i in rows if dev.rows[i]["kind"] == "offer"]
        side = "mentor" if offers else "mentee"
        texts = offers if offers else [i for i in rows if dev.rows[i]["kind"] == "goal"]
        gold[pid] = {t for i in texts for t in dev.rows[i]["topics"]}
        level = None if rng.random() < 0.2 else int(rng.integers(1, 5) + (side == "mentor"))
        org = f"org{rng.integers(5)}"
        passages = tuple(dev.passage(i) for i in texts)
        if side == "mentor":
            people.append(
                Candidate(pid, "mentor", org, level, int(rng.integers(1, 4)), (), passages)
            )
        else:
            people.append(Candidate(pid, "mentee", org, level, None, passages, ()))
    return Cohort(dev.topic_ids, tuple(people)), gold


def pair_violations(cohort: Cohort, rules: PairRules, pairs: dict[str, str]) -> int:
    """Count pairs breaking a hard rule, checked from the raw people (not the solver's masks)."""
    people = {p.id: p for p in cohort.people}
    load = Counter(pairs.values())
    bad = sum(load[m] > (1 if people[m].capacity is None else people[m].capacity) for m in load)
    for e, m in pairs.items():
        a, b = people[e], people[m]
        both = a.level is not None and b.level is not None
        bad += a.side != "mentee" or b.side != "mentor"
        bad += rules.kind == "cross" and a.organisation == b.organisation
        bad += rules.kind == "cross" and both and not b.level > a.level
    return int(bad)


def pair_metrics(
    pairs: dict[str, str], cohort: Cohort, rules: PairRules, gold: dict[str, set[str]]
) -> dict[str, float]:
    prepared = prepare_pairs(cohort, rules)
    masks = pair_masks(prepared, rules.kind)
    scores = need_offer_scores(prepared.mentees, prepared.mentors, len(cohort.topic_ids))
    mentee_at = {p.id: i for i, p in enumerate(prepared.mentees)}
    mentor_at = {p.id: j for j, p in enumerate(prepared.mentors)}
    mine = np.zeros(len(prepared.mentees))
    for e, m in pairs.items():
        mine[mentee_at[e]] = scores[mentee_at[e], mentor_at[m]]
    covered = [bool(gold[e] & gold[pairs[e]]) if e in pairs else False for e in mentee_at]
    worst = np.sort(mine)[: max(1, math.ceil(len(mine) / 10))]
    return {
        "coverage": float(np.mean(covered)),
        "matched": len(pairs) / len(mentee_at),
        "matched_of_possible": len(pairs) / max(1, max_matchable(masks.allowed, masks.capacity)),
        "violations": pair_violations(cohort, rules, pairs),
        "worst_decile": float(worst.mean()),
        "blocking_pairs": blocking_pairs(pairs, prepared, masks, scores),
    }


def blocking_pairs(pairs, prepared, masks, scores) -> int:
    """Allowed unpaired (mentee, mentor) who both prefer each other to what they have."""
    mentee_at = {p.id: i for i, p in enumerate(prepared.mentees)}
    mentor_at = {p.id: j for j, p in enumerate(prepared.mentors)}
    n, m = scores.shape
    current = np.full(n, -np.inf)
    worst_of = np.full(m, np.inf)
    load = np.zeros(m, dtype=int)
    for e, mm in pairs.items():
        i, j = mentee_at[e], mentor_at[mm]
        current[i] = scores[i, j]
        worst_of[j] = min(worst_of[j], scores[i, j])
        load[j] += 1
    free = load < masks.capacity
    mentee_wants = scores > current[:, None]
    mentor_wants = free[None, :] | (scores > worst_of[None, :])
    # A mentee's own mentor is never "wanted": its score equals the current one.
    return int((masks.allowed & mentee_wants & mentor_wants).sum())


def pair_systems(
    cohort: Cohort, rules: PairRules, gold: dict[str, set[str]], seed: int
) -> dict[str, dict[str, str]]:
    """Run the shipped matcher, the oracles and the baselines on one cohort."""
    prepared = prepare_pairs(cohort, rules)
    masks = pair_masks(prepared, rules.kind)
    mentees, mentors = prepared.mentees, prepared.mentors
    scores = need_offer_scores(mentees, mentors, len(cohort.topic_ids))

    def named(assignment: dict[int, int]) -> dict[str, str]:
        return {mentees[i].id: mentors[j].id for i, j in assignment.items()}

    def hungarian(weights: np.ndarray, count_first: bool = True) -> dict[str, str]:
        return named(
            solve_assignment(weights, masks.allowed, masks.capacity, count_first=count_first)
        )

    cover = np.array([[float(bool(gold[e.id] & gold[m.id])) for m in mentors] for e in mentees])
    result = match_pairs(cohort, rules)
    rng = np.random.default_rng(1000 + seed)
    return {
        "shipped: need-offer score + Hungarian": {p.mentee: p.mentor for p in result.pairs},
        "oracle (gold topics, same rules)": hungarian(cover),
        "oracle, coverage first": hungarian(cover, count_first=False),
        "random assignment (same rules)": hungarian(rng.random(scores.shape)),
        "greedy on the need-offer score": named(greedy(scores, masks.allowed, masks.capacity)),
        "rule scores only (mentor-match style)": hungarian(rule_scores(mentees, mentors)),
        "cosine of raw embeddings + Hungarian": hungarian(raw_cosine(mentees, mentors)),
    }


def greedy(scores: np.ndarray, allowed: np.ndarray, capacity: np.ndarray) -> dict[int, int]:
    """Best allowed pair first (ties by id order) while the mentee is free and places remain."""
    order = np.lexsort((np.arange(scores.size), -scores.ravel()))
    left = capacity.astype(int).copy()
    out: dict[int, int] = {}
    for flat in order:
        i, j = divmod(int(flat), scores.shape[1])
        if allowed[i, j] and i not in out and left[j] > 0:
            out[i] = j
            left[j] -= 1
    return out


def rule_scores(mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> np.ndarray:
    """mentor-match style: +1 other organisation, +1 level difference of 1 or 2; no text."""
    out = np.zeros((len(mentees), len(mentors)))
    for i, e in enumerate(mentees):
        for j, m in enumerate(mentors):
            out[i, j] += e.organisation != m.organisation
            if e.level is not None and m.level is not None:
                out[i, j] += 1 <= m.level - e.level <= 2
    return out


def raw_cosine(mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> np.ndarray:
    """Cosine of the mean raw embedding of goals against that of offers (clipped at 0)."""

    def means(people: Sequence[Candidate], attr: str) -> np.ndarray:
        rows = np.stack([np.mean([p.vector for p in getattr(c, attr)], axis=0) for c in people])
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    return np.clip(means(mentees, "needs") @ means(mentors, "offers").T, 0.0, 1.0)


# -- groups ----------------------------------------------------------------------------------


def peer_cohort(dev: Dev, seed: int, gold_profiles: bool = False) -> tuple[Cohort, dict, dict]:
    """All 80 participants as peers; returns the cohort, gold topic sets and main topics."""
    rng = np.random.default_rng(seed)
    by_person: dict[str, list[int]] = {}
    for i, row in enumerate(dev.rows):
        if row["kind"] in ("goal", "reflection"):
            by_person.setdefault(row["participant"], []).append(i)
    index = {t: k for k, t in enumerate(dev.topic_ids)}
    gold, main, people = {}, {}, []
    for pid, rows in sorted(by_person.items()):
        gold[pid] = {t for i in rows for t in dev.rows[i]["topics"]}
        primaries = Counter(dev.rows[i]["topics"][0] for i in rows if dev.rows[i]["topics"])
        main[pid] = primaries.most_common(1)[0][0] if primaries else None
        level = None if rng.random() < 0.2 else int(rng.integers(1, 5))
        if gold_profiles:  # the oracle: gold labels as topic rows and as text vectors
            passages = []
            for i in rows:
                row = np.zeros(len(dev.topic_ids))
                row[[index[t] for t in dev.rows[i]["topics"] if t in index]] = 1.0
                passages.append(Passage(dev.rows[i]["id"], row + 1e-9, row))
        else:
            passages = [dev.passage(i) for i in rows]
        people.append(
            Candidate(pid, "peer", f"org{rng.integers(10)}", level, None, tuple(passages))
        )
    return Cohort(dev.topic_ids, tuple(people)), gold, main


def coherence(groups: Sequence[Sequence[str]], gold: dict, main: dict) -> tuple[float, float]:
    """Mean over groups of the share of member pairs sharing a gold topic / the main topic."""
    share, same = [], []
    for members in groups:
        pairs = [(a, b) for k, a in enumerate(members) for b in members[k + 1 :]]
        share.append(np.mean([bool(gold[a] & gold[b]) for a, b in pairs]))
        same.append(np.mean([main[a] is not None and main[a] == main[b] for a, b in pairs]))
    return float(np.mean(share)), float(np.mean(same))


def group_violations(cohort: Cohort, rules: GroupRules, groups: Sequence[Sequence[str]]) -> int:
    people = {p.id: p for p in cohort.people}
    bad = 0
    for members in groups:
        bad += not rules.size[0] <= len(members) <= rules.size[1]
        orgs = Counter(people[m].organisation for m in members)
        bad += max(orgs.values()) > rules.max_per_organisation
        levels = [people[m].level for m in members if people[m].level is not None]
        bad += bool(levels) and max(levels) - min(levels) > rules.max_level_spread
    return int(bad)


# -- scale -----------------------------------------------------------------------------------


def replicate(dev: Dev, sources: np.ndarray, n: int, rng: np.random.Generator) -> list[Passage]:
    """``n`` passages copied from dev rows ``sources`` with noise on vectors and topic rows."""
    picks = rng.choice(sources, size=n)
    vectors = dev.vectors[picks] + rng.standard_normal((n, dev.vectors.shape[1])).astype(
        np.float32
    ) * (0.3 / np.sqrt(dev.vectors.shape[1]))
    topics = dev.topics[picks] * rng.lognormal(0.0, 0.2, size=(n, dev.topics.shape[1]))
    return [Passage(f"s{k}", vectors[k], topics[k]) for k in range(n)]


def scale_pairs(dev: Dev, n: int, seed: int = 0) -> Cohort:
    rng = np.random.default_rng(seed)
    needs_from = np.array([i for i, r in enumerate(dev.rows) if r["kind"] != "offer"])
    everything = np.arange(len(dev.rows))
    people = []
    for k in range(n):
        level = None if rng.random() < 0.1 else int(rng.integers(1, 5))
        needs = tuple(replicate(dev, needs_from, int(rng.integers(1, 4)), rng))
        people.append(
            Candidate(f"e{k:05d}", "mentee", f"org{rng.integers(20)}", level, None, needs)
        )
    for k in range(n):
        level = None if rng.random() < 0.1 else int(rng.integers(2, 6))
        offers = tuple(replicate(dev, everything, int(rng.integers(1, 3)), rng))
        cap = int(rng.integers(1, 4))
        people.append(
            Candidate(f"m{k:05d}", "mentor", f"org{rng.integers(20)}", level, cap, (), offers)
        )
    return Cohort(dev.topic_ids, tuple(people))


def scale_peers(dev: Dev, n: int, seed: int = 0) -> Cohort:
    rng = np.random.default_rng(seed)
    needs_from = np.array([i for i, r in enumerate(dev.rows) if r["kind"] != "offer"])
    people = []
    for k in range(n):
        level = None if rng.random() < 0.1 else int(rng.integers(1, 6))
        needs = tuple(replicate(dev, needs_from, int(rng.integers(1, 4)), rng))
        people.append(Candidate(f"p{k:04d}", "peer", f"org{rng.integers(30)}", level, None, needs))
    return Cohort(dev.topic_ids, tuple(people))


def measured(call: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run ``call`` twice: timed alone, then under tracemalloc; (result, seconds, peak MiB)."""
    start = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    again = call()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    assert again == result, "the rerun gave another result"
    return result, seconds, peak


def shuffled(cohort: Cohort, seed: int) -> Cohort:
    people = list(cohort.people)
    random.Random(seed).shuffle(people)
    return Cohort(cohort.topic_ids, tuple(people))


# -- main ------------------------------------------------------------------------------------


def mean_of(records: Sequence[dict[str, float]]) -> dict[str, float]:
    """Mean of each figure over the seeds, and the standard deviation of coverage."""
    out = {k: float(np.mean([r[k] for r in records])) for k in records[0]}
    if "coverage" in out:
        out["coverage_sd"] = float(np.std([r["coverage"] for r in records]))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="hashing embedder, tiny scale")
    parser.add_argument("--json-out", type=Path, default=RESULTS / "matching.json")
    parser.add_argument(
        "--seeds", type=int, default=len(SEEDS), help="cohorts to average over (a finer mean)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    seeds = range(2) if args.smoke else range(args.seeds)
    n_scale, n_peers = (200, 60) if args.smoke else (2000, 600)
    started = time.perf_counter()
    dev = analyse_dev(args.smoke)
    out: dict[str, Any] = {"seeds": len(seeds), "analyse_s": time.perf_counter() - started}

    for kind in ("cross", "tandem"):
        per_system: dict[str, list[dict[str, float]]] = {}
        identical = True
        for seed in seeds:
            cohort, gold = pair_cohort(dev, seed)
            rules = PairRules(kind)
            for name, pairs in pair_systems(cohort, rules, gold, seed).items():
                per_system.setdefault(name, []).append(pair_metrics(pairs, cohort, rules, gold))
            first = match_pairs(cohort, rules)
            identical &= match_pairs(shuffled(cohort, seed), rules) == first
        out[f"pairs_{kind}"] = {name: mean_of(rs) for name, rs in per_system.items()}
        out[f"pairs_{kind}_identical_on_rerun"] = identical

    group_runs, random_runs, oracle_runs, identical = [], [], [], True
    rules = GroupRules()
    for seed in seeds:
        cohort, gold, main_topic = peer_cohort(dev, seed)
        result = form_groups(cohort, rules)
        identical &= form_groups(shuffled(cohort, seed), rules) == result
        groups = [g.members for g in result.groups]
        share, same = coherence(groups, gold, main_topic)
        group_runs.append({
            "share": share, "same_main": same, "groups": len(groups),
            "unassigned": len(result.unassigned),
            "violations": group_violations(cohort, rules, groups),
            "gap": result.objective.gap or 0.0,
        })  # fmt: skip
        rng = random.Random(seed)
        draws = []
        for _ in range(100):
            ids = [m for g in groups for m in g]
            rng.shuffle(ids)
            sizes = np.cumsum([0] + [len(g) for g in groups])
            draws.append(
                coherence([ids[a:b] for a, b in itertools.pairwise(sizes)], gold, main_topic)
            )
        random_runs.append(
            {"share": np.mean([d[0] for d in draws]), "same_main": np.mean([d[1] for d in draws])}
        )
        oracle_cohort, _, _ = peer_cohort(dev, seed, gold_profiles=True)
        oracle = form_groups(oracle_cohort, rules)
        o_share, o_same = coherence([g.members for g in oracle.groups], gold, main_topic)
        oracle_runs.append({"share": o_share, "same_main": o_same})
    out["groups"] = {
        "shipped": mean_of(group_runs),
        "random groups of the same sizes": mean_of(random_runs),
        "oracle (gold topics, same rules)": mean_of(oracle_runs),
        "identical_on_rerun": identical,
    }

    cohort = scale_pairs(dev, n_scale)
    result, seconds, peak = measured(lambda: match_pairs(cohort, PairRules("cross")))
    prepared = prepare_pairs(cohort, PairRules("cross"))
    masks = pair_masks(prepared, "cross")
    out["scale_pairs"] = {
        "mentees": n_scale, "mentors": n_scale, "places": int(masks.capacity.sum()),
        "seconds": seconds, "peak_mib": peak, "matched": len(result.pairs),
        "possible": max_matchable(masks.allowed, masks.capacity),
        "violations": pair_violations(cohort, PairRules("cross"),
                                      {p.mentee: p.mentor for p in result.pairs}),
    }  # fmt: skip
    cohort = scale_peers(dev, n_peers)
    grouped, seconds, peak = measured(lambda: form_groups(cohort, rules))
    groups = [g.members for g in grouped.groups]
    out["scale_groups"] = {
        "peers": n_peers, "seconds": seconds, "peak_mib": peak, "groups": len(groups),
        "unassigned": len(grouped.unassigned), "gap": grouped.objective.gap,
        "violations": group_violations(cohort, rules, groups),
    }  # fmt: skip
    out["total_s"] = time.perf_counter() - started
    print(tables(out))
    args.json_out.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(json.dumps(out, indent=2, default=float))
    return 0


def tables(out: dict[str, Any]) -> str:
    lines = []
    for kind in ("cross", "tandem"):
        systems = out[f"pairs_{kind}"]
        oracle = systems["oracle (gold topics, same rules)"]["coverage"]
        lines += [
            f"\n### Pairs, kind `{kind}` (dev cohort: 55 mentees, 25 mentors; mean of "
            f"{out['seeds']} seeds)\n",
            "| system | coverage (± sd over seeds) | × oracle | matched | matched / possible "
            "| violations | worst decile | blocking pairs |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, m in systems.items():
            lines.append(
                f"| {name} | {m['coverage']:.3f} ± {m['coverage_sd']:.3f} | "
                f"{m['coverage'] / oracle:.2f} | "
                f"{m['matched']:.3f} | {m['matched_of_possible']:.3f} | {m['violations']:.0f} | "
                f"{m['worst_decile']:.3f} | {m['blocking_pairs']:.1f} |"
            )
        lines.append(f"\nIdentical on rerun and with shuffled input: "
                     f"{out[f'pairs_{kind}_identical_on_rerun']}")  # fmt: skip
    g = out["groups"]
    lines += [
        f"\n### Peer groups (dev: 80 peers, size 5-8; mean of {out['seeds']} seeds)\n",
        "| grouping | pairs sharing a gold topic | pairs with the same main topic |",
        "|---|---|---|",
    ]
    for name in ("shipped", "random groups of the same sizes", "oracle (gold topics, same rules)"):
        lines.append(f"| {name} | {g[name]['share']:.3f} | {g[name]['same_main']:.3f} |")
    s = g["shipped"]
    lines.append(
        f"\nShipped: {s['groups']:.1f} groups, {s['unassigned']:.1f} unassigned, "
        f"{s['violations']:.0f} violations, MILP gap {s['gap']:.1e}; identical on rerun and "
        f"with shuffled input: {g['identical_on_rerun']}"
    )
    p, q = out["scale_pairs"], out["scale_groups"]
    lines += [
        "\n### Scale (synthetic, replicated dev vectors)\n",
        "| run | seconds | peak MiB (tracemalloc) | result | violations |",
        "|---|---|---|---|---|",
        f"| {p['mentees']} mentees × {p['mentors']} mentors ({p['places']} places), cross | "
        f"{p['seconds']:.1f} | {p['peak_mib']:.0f} | {p['matched']} matched of "
        f"{p['possible']} possible | {p['violations']} |",
        f"| {q['peers']} peers into groups of 5-8 | {q['seconds']:.1f} | {q['peak_mib']:.0f} | "
        f"{q['groups']} groups, {q['unassigned']} unassigned, gap {q['gap']} | "
        f"{q['violations']} |",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
