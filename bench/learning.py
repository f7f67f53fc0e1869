"""Loop benchmark: does the suggester get better from the feedback of the people who use it?

Run: ``.venv/bin/python bench/learning.py [--set dev real-tune] [--events 25 50 100]``, or
``bench/quality.py --learning`` (after its own tables). Issue #17, item 3.

On each development set, simulated use, cross-fitted: the set's participants are split in two
halves (seeded); the feedback of one half's texts teaches the suggester, top-1 is measured on
the other half's texts, then the halves swap and the two figures are averaged. Nothing of the
measured half is ever learned from.

Feedback is what a participant does with the suggestions shown (top-3 of the shipped
suggester before any learning, as the app stores them when the text is written): accept the
gold topic when it is among them, dismiss a wrong one. The events of the feedback half come in
a seeded order, each text giving its accept then its dismissal; the first N events are used.
"10% wrong" flips a seeded tenth of the events: an accept of a wrong shown topic, or a
dismissal of the gold topic. Events go through the app's own rule (``counted_examples``:
at least ``learn_min_people`` distinct people per topic, dismissals as vetoes) with the shipped
settings, and the suggester is refitted on the pool plus the counted examples, as the app does.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.domain import ProcessedText, TopicPool  # noqa: E402
from assistant.factory import build_assistant  # noqa: E402
from assistant.nlp.preprocess import Preprocessor  # noqa: E402
from assistant.topics import load_topic_pool  # noqa: E402
from assistant.topics.analyser import TopicAnalyzer  # noqa: E402
from assistant.topics.learning import Feedback, counted_examples, with_learned  # noqa: E402
from assistant.topics.suggester import TextFeatures, TopicSuggester, pool_training_texts  # noqa: E402

log = logging.getLogger("bench.learning")

EVENTS = (25, 50, 100)
WRONG_SHARE = 0.1
SEED = 17


@dataclass(frozen=True)
class LoopRow:
    """Top-1 on the measured halves (mean of the two directions) after ``events`` events."""

    events: int
    wrong_share: float
    top1: float
    learned: float  # counted examples, mean of the two directions


class Loop:
    """The shipped text stages with preprocessing memoised: many refits, one parse per text."""

    def __init__(self, settings: Settings, pre: Preprocessor, pool: TopicPool) -> None:
        self.pool = pool
        self.pre = pre
        self.base = build_assistant(settings, preprocessor=pre, pool=pool, storage=False)._analyzer
        self._parsed: dict[str, ProcessedText] = {}
        self._fits: dict[tuple[str, ...], TopicAnalyzer] = {}  # equal examples, one fit

    def parse(self, texts: Sequence[str]) -> list[ProcessedText]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._parsed]
        if missing:
            self._parsed.update(zip(missing, self.pre.process_many(missing), strict=True))
        return [self._parsed[t] for t in texts]

    def fit(self, pool: TopicPool) -> TopicAnalyzer:
        """Fit the suggester on ``pool`` as ``SuggesterFit`` does, without its disk cache."""
        if pool is self.pool:
            return self.base
        texts, labels = pool_training_texts(pool)
        key = (*texts, *labels)
        if key in self._fits:
            return self._fits[key]
        processed = self.parse(texts)
        features = TextFeatures(
            [p.text for p in processed],
            [" ".join(p.lemmas) for p in processed],
            self.base.embedder.encode(texts),
        )
        suggester = TopicSuggester().fit(pool, features, labels)
        self._fits[key] = TopicAnalyzer(pool, self.base.embedder, self.pre, suggester)
        return self._fits[key]

    def best_sentence(self, text: str, topic_id: str) -> str:
        """The sentence of ``text`` that scores highest for ``topic_id`` (the shown evidence)."""
        [processed] = self.parse([text])
        if len(processed.sentences) < 2:
            return text
        _, _, _, per_sentence = self.base.score_processed([processed])
        rows = per_sentence[0]
        if rows is None:
            return text
        best = int(np.argmax(rows[:, self.pool.ids.index(topic_id)]))
        return processed.sentences[best]

    def ranking(self, analyzer: TopicAnalyzer, texts: Sequence[str]) -> list[list[str]]:
        """Topic ids per text, best first (the ranking ignores the no-fit decision)."""
        _, _, combined, _ = analyzer.score_processed(self.parse(texts))
        ids = analyzer.pool.ids
        return [[ids[j] for j in np.argsort(-row[:-1], kind="stable")] for row in combined]


def halves(dev: Sequence[dict], seed: int = SEED) -> tuple[set[str], set[str]]:
    """Split the participants in two halves, seeded."""
    people = sorted({d["participant"] for d in dev})
    random.Random(seed).shuffle(people)
    return set(people[::2]), set(people[1::2])


def top1(rows: Sequence[dict], ranking: Sequence[list[str]]) -> float:
    hits = [r[0] in d["topics"] for d, r in zip(rows, ranking, strict=True) if d["topics"]]
    return float(np.mean(hits)) if hits else float("nan")


def feedback_events(
    rows: Sequence[dict], shown: Sequence[list[str]], wrong_share: float, seed: int = SEED
) -> list[Feedback]:
    """The simulated participants' events on the suggestions shown, in a seeded order."""
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    flip = random.Random(seed + 1)
    events: list[Feedback] = []
    for i in order:
        d, top3 = rows[i], shown[i][:3]
        gold = set(d["topics"])
        right = [t for t in top3 if t in gold]
        wrong = [t for t in top3 if t not in gold]
        person = d["participant"]
        if right:
            if flip.random() < wrong_share and wrong:  # a careless click on a wrong topic
                events.append(Feedback(person, wrong[0], "accepted", d["text"]))
            else:
                events.append(Feedback(person, right[0], "accepted", d["text"]))
        if wrong:
            if flip.random() < wrong_share and right:  # the right topic sent away
                events.append(Feedback(person, right[0], "dismissed", d["text"]))
            else:
                events.append(Feedback(person, wrong[-1], "dismissed", d["text"]))
    return events


def run_loop(
    loop: Loop,
    dev: Sequence[dict],
    events: Sequence[int] = EVENTS,
    wrong_share: float = WRONG_SHARE,
    min_people: int = 3,
    unit: str = "text",
) -> list[LoopRow]:
    """Top-1 before and after each number of events, right and with ``wrong_share`` wrong."""
    first, second = halves(dev)
    shown_all = loop.ranking(loop.base, [d["text"] for d in dev])
    directions = []
    for teach, measure in ((first, second), (second, first)):
        t_idx = [i for i, d in enumerate(dev) if d["participant"] in teach]
        m_rows = [d for d in dev if d["participant"] in measure]
        directions.append(([dev[i] for i in t_idx], [shown_all[i] for i in t_idx], m_rows))
    before = float(
        np.mean([top1(m, loop.ranking(loop.base, [d["text"] for d in m])) for *_, m in directions])
    )
    rows = [LoopRow(0, 0.0, before, 0.0)]
    for share in (0.0, wrong_share):
        for n in events:
            scores, learned = [], []
            for t_rows, shown, m_rows in directions:
                stream = feedback_events(t_rows, shown, share)[:n]
                if unit == "sentence":  # learn the evidence sentence, not the whole text
                    stream = [
                        replace(e, text=loop.best_sentence(e.text, e.topic_id))
                        if e.kind == "accepted"
                        else e
                        for e in stream
                    ]
                examples = counted_examples(stream, min_people, loop.pool.ids)
                analyzer = loop.fit(with_learned(loop.pool, examples))
                scores.append(top1(m_rows, loop.ranking(analyzer, [d["text"] for d in m_rows])))
                learned.append(len(examples))
            rows.append(LoopRow(n, share, float(np.mean(scores)), float(np.mean(learned))))
            log.info("events %d wrong %.0f%%: top-1 %.3f", n, share * 100, rows[-1].top1)
    return rows


def loop_table(results: dict[str, list[LoopRow]]) -> str:
    """Markdown: one row per set and feedback mix, top-1 before and after N events."""
    counts = sorted({r.events for rows in results.values() for r in rows if r.events})
    head = "| Set | Feedback | before | " + " | ".join(f"after {n}" for n in counts) + " |"
    lines = [head, "|" + "---|" * (3 + len(counts))]
    for name, rows in results.items():
        before = next(r.top1 for r in rows if r.events == 0)
        for share in sorted({r.wrong_share for r in rows if r.events}):
            picked = {r.events: r for r in rows if r.events and r.wrong_share == share}
            cells = [_cell(picked[n], before) for n in counts]
            label = "right" if share == 0 else f"{share:.0%} wrong"
            lines.append(f"| {name} | {label} | {before:.3f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(row: LoopRow, before: float) -> str:
    return f"{row.top1:.3f} ({row.top1 - before:+.3f}; {row.learned:.0f} ex.)"


def main(argv: Sequence[str] | None = None) -> int:
    from bench.quality import SETS, chosen_sets, load_set

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="sets", nargs="+", default=["dev", "real-tune"])
    parser.add_argument("--events", nargs="+", type=int, default=list(EVENTS))
    parser.add_argument("--min-people", type=int, default=Settings().learn_min_people)
    parser.add_argument("--heldout", action="store_true")
    parser.add_argument(
        "--unit",
        choices=["text", "sentence"],
        default="text",
        help="what an accepted suggestion teaches: the whole text (as the app does) or its "
        "evidence sentence for the topic (a variant under study)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s", stream=sys.stderr)
    log.setLevel(logging.INFO)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    assert set(args.sets) <= {*SETS, "all"}, f"--set: one of {SETS}"
    work = Path(tempfile.mkdtemp(prefix="bench-learning-"))
    loop = Loop(
        Settings(data_dir=str(work)),
        Preprocessor(),
        load_topic_pool(ROOT / "topic_pool" / "default.yaml"),
    )
    results: dict[str, list[LoopRow]] = {}
    for name in chosen_sets(args.sets, args.heldout):
        start = time.perf_counter()
        results[name] = run_loop(
            loop, load_set(name), args.events, min_people=args.min_people, unit=args.unit
        )
        log.info("set %s: %.0f s", name, time.perf_counter() - start)
    print(f"## Learning from use (min {args.min_people} people per topic, unit {args.unit})\n")
    print(loop_table(results) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
