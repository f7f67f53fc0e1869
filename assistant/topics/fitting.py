"""Fit a TopicAnalyzer for a pool: the suggester from the pool's examples, cached on disk.

The fit is keyed by the pool's training texts, the embedder's model id and the package version,
so a CLI call (or a programme whose pool did not change) loads it instead of refitting. Beside
each fit a small summary (``suggester-<key>.json``: threshold and calibration, no words) lets
``info`` and the stored-vector commands read the threshold without unpickling the fit, which
would import scikit-learn (seconds).

A fresh install fits nothing on its first start: ``make install`` runs ``assistant prepare
--seed``, which fits the bundled pool's suggester once into a read-only seed folder
(``Settings.seed_path``, ``models/fits/``) under the same key. ``SuggesterFit`` copies a
matching seed into its cache folder instead of fitting (a minute on two cores: embedding the
pool's 758 examples and six logistic regressions). Seeds hold only the bundled pool's own
examples, never a participant's words, so erasure has nothing to remove there; a pool
edited in the app (which may adopt participants' texts) is fitted into the data folder only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import shutil
import threading
from pathlib import Path
from typing import Any

from assistant.domain import TopicPool
from assistant.nlp.embed import Embedder
from assistant.nlp.preprocess import Preprocessor
from assistant.topics.analyser import TopicAnalyzer
from assistant.topics.frozen import FrozenSuggester
from assistant.topics.suggester import TextFeatures, TopicSuggester, pool_training_texts

__all__ = ["SUGGESTER_CACHE_GLOB", "SuggesterFit", "fit_analyzer", "fit_suggester", "seed_fit"]

log = logging.getLogger(__name__)

# Bumped when a fitted suggester gains learned state (2: ``null_``), so older fits refit.
FIT_FORMAT = "3"  # 3: TopicSuggester.probability_points_ (issue #17)

FROZEN = ".frozen.pickle"  # suffix of a fit's FrozenSuggester

SUGGESTER_CACHE_GLOB = "suggester-*"
"""Names of cached fits and their summaries in the cache folder (erasure removes them: a fit
holds pool words)."""


class SuggesterFit:
    """The suggester of one pool and embedder: loaded from the cache folder, else fitted.

    A ``TopicAnalyzer`` given one calls ``load`` when it first scores a text, so building an
    assistant embeds nothing and imports neither scikit-learn nor the model.

    Parameters
    ----------
    cache_dir : Path, optional
        Where fits are kept; ``None`` fits in memory each time.
    version : str, default=""
        The package version, part of the cache key.
    seed_dir : Path, optional
        A read-only folder of fits made at install (``seed_fit``); a fit found there under
        this key is copied into ``cache_dir`` instead of being fitted.
    """

    def __init__(
        self,
        pool: TopicPool,
        embedder: Embedder,
        preprocessor: Preprocessor,
        cache_dir: Path | None,
        version: str = "",
        seed_dir: Path | None = None,
    ) -> None:
        self.pool = pool
        self.embedder = embedder
        self.preprocessor = preprocessor
        self.cache_dir = cache_dir
        self.version = version
        self.seed_dir = seed_dir
        self._lock = threading.Lock()

    def _name(self, suffix: str) -> str:
        texts, labels = pool_training_texts(self.pool)
        digest = hashlib.sha256(
            "\x00".join(
                [FIT_FORMAT, self.version, self.embedder.model_id, *texts, *labels]
            ).encode()
        ).hexdigest()[:16]
        return f"suggester-{digest}{suffix}"

    def _path(self, suffix: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / self._name(suffix)

    def _seed(self, suffix: str) -> Path | None:
        """Return the seed file of this key, if there is one."""
        if self.seed_dir is None:
            return None
        path = self.seed_dir / self._name(suffix)
        return path if path.is_file() else None

    def summary(self) -> dict[str, Any] | None:
        """Return ``{"threshold", "calibration"}`` of the cached fit, without loading it.

        ``None`` when there is no cached fit (or no summary beside it): then only ``load``
        can tell.
        """
        fit, summary = self._path(".joblib"), self._path(".json")
        if fit is None or summary is None or not fit.exists():
            fit, summary = self._seed(".joblib"), self._seed(".json")
        if fit is None or summary is None:
            return None
        try:
            found = json.loads(summary.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(found, dict) or not isinstance(found.get("threshold"), float):
            return None
        return found

    def load(self) -> TopicSuggester | FrozenSuggester:
        """Return the cached fit, or fit (embedding the pool's examples) and cache it.

        A fit cached by an earlier process comes back as its ``FrozenSuggester`` (numpy only:
        no scikit-learn import), a fit made or unpickled now as the ``TopicSuggester``.
        """
        with self._lock:
            return self._load()

    def _load(self) -> TopicSuggester | FrozenSuggester:
        frozen = self._frozen()
        if frozen is not None:
            self._write_summary(frozen)
            return frozen
        import joblib

        path = self._path(".joblib")
        if path is not None and path.exists():
            try:
                cached = joblib.load(path)
                if isinstance(cached, TopicSuggester):
                    self._write_summary(cached)
                    self._freeze(cached)
                    return cached
            except Exception:  # a stale or truncated cache file is refitted, not fatal
                log.warning("ignoring unreadable suggester cache %s", path.name)
        seeded = self._from_seed(path)
        if seeded is not None:
            self._freeze(seeded)
            return seeded
        texts, labels = pool_training_texts(self.pool)
        processed = self.preprocessor.process_many(texts)
        features = TextFeatures(
            [p.text for p in processed],
            [" ".join(p.lemmas) for p in processed],
            self.embedder.encode(texts),
        )
        suggester = TopicSuggester().fit(self.pool, features, labels)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            joblib.dump(suggester, tmp)
            tmp.replace(path)
            self._write_summary(suggester)
            self._freeze(suggester)
        return suggester

    def _frozen(self) -> FrozenSuggester | None:
        """Return the cached ``FrozenSuggester`` of this key, if there is a readable one."""
        path, fit = self._path(FROZEN), self._path(".joblib")
        if path is None or fit is None or not path.exists() or not fit.exists():
            return None  # never without its fit: an erasure that removed the fit is obeyed
        try:
            with path.open("rb") as handle:
                found = pickle.load(handle)
        except Exception:  # rewritten from the fit below
            log.warning("ignoring unreadable frozen suggester %s", path.name)
            return None
        return found if isinstance(found, FrozenSuggester) else None

    def _freeze(self, suggester: TopicSuggester) -> None:
        """Write the fit's ``FrozenSuggester`` beside it: later processes score without sklearn."""
        path = self._path(FROZEN)
        if path is None:
            return
        tmp = path.with_name(path.name + ".tmp")
        try:
            with tmp.open("wb") as handle:
                pickle.dump(FrozenSuggester.of(suggester), handle, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
        except OSError:  # only a shortcut: without it the fit is unpickled
            log.warning("could not write the frozen suggester %s", path.name)

    def _from_seed(self, path: Path | None) -> TopicSuggester | None:
        """Return the seed's fit, copied into the cache folder; ``None`` without a usable one."""
        import joblib

        seed = self._seed(".joblib")
        if seed is None:
            return None
        try:
            found = joblib.load(seed)
        except Exception:  # a broken seed costs a fit, not the start
            log.warning("ignoring unreadable suggester seed %s", seed.name)
            return None
        if not isinstance(found, TopicSuggester):
            return None
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp")
                shutil.copyfile(seed, tmp)
                tmp.replace(path)
            except OSError:  # the seed stays readable: the next process copies it again
                log.warning("could not copy the suggester seed into %s", path.parent)
            else:
                self._write_summary(found)
        return found

    def _write_summary(self, suggester: TopicSuggester | FrozenSuggester) -> None:
        path = self._path(".json")
        if path is None or path.exists():
            return
        data = {
            "threshold": float(suggester.threshold_),
            "calibration": {k: float(v) for k, v in suggester.calibration_.items()},
        }
        tmp = path.with_suffix(".json.tmp")
        try:
            tmp.write_text(json.dumps(data), encoding="utf-8")
            tmp.replace(path)
        except OSError:  # only a shortcut: without it the fit is loaded when asked
            log.warning("could not write the suggester summary %s", path.name)


def fit_suggester(
    pool: TopicPool,
    embedder: Embedder,
    preprocessor: Preprocessor,
    cache_dir: Path | None,
    version: str = "",
) -> TopicSuggester | FrozenSuggester:
    """Fit (or load the cached fit of) the suggester for ``pool`` and ``embedder``."""
    return SuggesterFit(pool, embedder, preprocessor, cache_dir, version).load()


def seed_fit(
    pool: TopicPool,
    embedder: Embedder,
    preprocessor: Preprocessor,
    seed_dir: Path,
    version: str = "",
) -> Path:
    """Fit the suggester of ``pool`` into ``seed_dir`` (at install); return the fit's path.

    Only for the bundled pool: a seed lives outside the data folder, where erasure does not
    look, so it must never hold a participant's words.
    """
    fit = SuggesterFit(pool, embedder, preprocessor, seed_dir, version)
    fit.load()
    path = fit._path(".joblib")
    assert path is not None
    return path


def fit_analyzer(
    pool: TopicPool,
    like: TopicAnalyzer,
    cache_dir: Path | None,
    version: str = "",
    *,
    lazy: bool = False,
    seed_dir: Path | None = None,
) -> TopicAnalyzer:
    """Return an analyzer for ``pool`` with the embedder and preprocessor of ``like``.

    ``lazy=True`` fits (or loads) the suggester when the analyzer first needs it.
    """
    fit = SuggesterFit(pool, like.embedder, like.preprocessor, cache_dir, version, seed_dir)
    return TopicAnalyzer(pool, like.embedder, like.preprocessor, fit if lazy else fit.load())
