"""``assistant prepare``: everything the app's first start needs, done before it serves.

``make run`` runs it before ``streamlit run serve.py``: it loads the model and fits (or loads
from the on-disk cache) the topic suggester of every pool, completes entries a crash left
pending and, with demo mode on and an empty database, loads the demo and creates one account
per role, printing their passwords this once. The app's own start then finds all of it done.
``--seed`` (run by ``make install``) only fits the bundled pool's suggester into the read-only
seed folder (``Settings.seed_path``), so the first ``prepare`` of a fresh data folder loads
that fit instead of fitting (``assistant.topics.fitting``); it opens no data folder.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, TextIO

from assistant.cli.common import emit, engine, me, progress
from assistant.config import load_settings
from assistant.texts import DEMO_SIZE_HINT

__all__ = ["cmd_prepare"]

STEP = "[prepare] {text}\n"
STEP_DONE = "[prepare] {text} ({seconds:.1f} s)\n"
MODEL = "loading the model and fitting the topic suggester (cached after the first time)"
POOLS = "programmes' own topic pools fitted: {n}"
DEMO = "loading the fictional demo programmes (first start only)"
READY = "ready in {seconds:.1f} s; data folder {folder}\n"
ACCOUNTS = (
    "Demo accounts (fictional data). The passwords are shown only this once, never on the page:\n"
)
ACCOUNT = "  {role:<12} {username:<24} {password}\n"
ACCOUNTS_EXIST = (
    "The demo was loaded before: its account passwords were printed once, in the terminal of "
    "the first start. There is no password reset command yet: the operator deletes and re-adds "
    "an account, which prints a new password once, e.g. `assistant user delete demo-admin && "
    "assistant user add demo-admin --role admin` (see `assistant user --help`).\n"
)
SEEDED = "[prepare] topic suggester of the bundled pool fitted into {path} ({seconds:.1f} s)\n"
MODEL_READY = "[prepare] model ready, one-time export included ({seconds:.1f} s)\n"
NO_DEMO = "Demo mode is off (ASSISTANT_DEMO=false): no demo programmes or accounts.\n"


def cmd_prepare(args: argparse.Namespace, out: TextIO) -> int:
    """Prepare the engine, the caches and (in demo mode) the demo before the app serves."""
    settings = load_settings()
    if getattr(args, "seed", False):
        return _seed(settings, args, out)
    began = time.perf_counter()
    log = sys.stderr if args.json else out  # progress stays off the JSON line
    log.write(STEP.format(text=MODEL))
    log.flush()
    assistant = engine(lazy=False)  # the model and the suggester now, before the app serves
    model_s = time.perf_counter() - began
    log.write(STEP_DONE.format(text="model and suggester ready", seconds=model_s))
    own_pools = [n for n in assistant.pool_programmes(me()) if assistant.has_own_pool(me(), n)]
    for name in own_pools:
        assistant.pool_of(me(), name)  # fits a programme's own pool now, not at its first page
    if own_pools:
        log.write(STEP.format(text=POOLS.format(n=len(own_pools))))
    demo_began = time.perf_counter()
    bars: list[Any] = []

    def advance(n: int) -> None:
        if not bars:  # only when the demo is really being loaded (an empty database)
            log.write(STEP.format(text=DEMO))
            log.flush()
            bars.append(progress(DEMO_SIZE_HINT, "Demo"))
        bars[0].update(n)

    report, passwords = assistant.start(me(), demo=settings.demo, progress=advance)
    for bar in bars:
        bar.close()
    demo_s = time.perf_counter() - demo_began
    accounts = {
        name: {"role": assistant.principal(name).role, "password": password}
        for name, password in (passwords or {}).items()
    }
    total_s = time.perf_counter() - began
    if args.json:
        emit(_json(settings, report, accounts, model_s, demo_s, total_s), out)
        return 0
    if report is not None:
        log.write(STEP_DONE.format(text=f"demo loaded: {report.imported} entries", seconds=demo_s))
    out.write(READY.format(seconds=total_s, folder=settings.data_path))
    if accounts:
        out.write(ACCOUNTS)
        for name, account in accounts.items():
            out.write(ACCOUNT.format(username=name, **account))
    elif settings.demo:
        out.write(ACCOUNTS_EXIST)
    else:
        out.write(NO_DEMO)
    return 0


def _seed(settings: Any, args: argparse.Namespace, out: TextIO) -> int:
    """Fit the bundled pool's suggester into the seed folder (uncached embedder: no data folder)."""
    from assistant import __version__
    from assistant.config import default_pool_path
    from assistant.nlp.preprocess import Preprocessor
    from assistant.nlp.registry import embedder_maker
    from assistant.topics import load_topic_pool
    from assistant.topics.fitting import seed_fit

    began = time.perf_counter()
    embedder = embedder_maker(settings.embedder)(settings)
    # Loading is where a backend does its one-time work (the ONNX backend's export into
    # models/onnx/, tens of seconds), reported apart from the fit.
    embedder.load()
    model_s = time.perf_counter() - began
    began = time.perf_counter()
    # The bundled pool only, never settings.pool_file: an edited pool may hold adopted texts
    # of participants, and the seed folder is outside the data folder that erasure cleans.
    path = seed_fit(
        load_topic_pool(default_pool_path()),
        embedder,
        Preprocessor(),
        settings.seed_path,
        __version__,
    )
    seconds = time.perf_counter() - began
    if args.json:
        emit(
            {"seed": str(path), "seconds": round(seconds, 2), "model_seconds": round(model_s, 2)},
            out,
        )
    else:
        out.write(MODEL_READY.format(seconds=model_s))
        out.write(SEEDED.format(path=path, seconds=seconds))
    return 0


def _json(
    settings: Any,
    report: Any,
    accounts: dict[str, dict[str, str]],
    model_s: float,
    demo_s: float,
    total_s: float,
) -> dict[str, Any]:
    return {
        "ready": True,
        "data_path": str(settings.data_path),
        "demo": {
            "enabled": bool(settings.demo),
            "loaded_now": report is not None,
            "entries": report.imported if report is not None else 0,
        },
        "accounts": accounts,
        "seconds": {
            "model": round(model_s, 2),
            "demo": round(demo_s, 2),
            "total": round(total_s, 2),
        },
    }
