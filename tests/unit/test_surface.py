"""One checked surface: every public method of the Assistant asks the policy and audits, and the
pages and the CLI reach nothing else (issue #11, item 1)."""

from __future__ import annotations

import ast
import inspect
from datetime import date
from pathlib import Path

import pytest

from assistant.errors import AccessDenied
from assistant.service import UNCHECKED, Assistant
from tests.unit.privacy_support import dispose_engines, make_assistant, stores_of

ROOT = Path(__file__).resolve().parents[2]
FRONT_ENDS = [*sorted((ROOT / "assistant" / "ui").rglob("*.py")), ROOT / "app.py"]
FRONT_ENDS += sorted((ROOT / "assistant" / "cli").rglob("*.py"))


def _public_methods() -> list[str]:
    return sorted(
        name
        for name, value in inspect.getmembers(Assistant, inspect.isfunction)
        if not name.startswith("_")
    )


PUBLIC = {"suggest", "suggest_many"}  # a text typed now, nothing stored: open to visitors
CHECKED = [m for m in _public_methods() if m not in UNCHECKED]
SIGNED_IN = [m for m in CHECKED if m not in PUBLIC]


@pytest.fixture(scope="module")
def engine(hashing_assistant, tmp_path_factory):
    yield make_assistant(hashing_assistant, tmp_path_factory.mktemp("surface"))
    dispose_engines()


def _dummy(parameter: inspect.Parameter, engine: Assistant) -> object:
    """A value of the annotated type; the policy refuses before any of it is read."""
    note = str(parameter.annotation)
    if note == "bool":
        return False
    if note == "Action":
        from assistant.policy import Action

        return Action.VIEW_AUDIT
    if "TopicPool" in note:
        return engine.pool
    if "bytes" in note:
        return b""
    if "date" in note:
        return date(2026, 1, 1)
    if "Sequence" in note:
        return []
    if "int" in note:
        return 1
    return "x"


def test_surface_has_checked_methods_and_sign_in_only():
    assert len(CHECKED) >= 30
    assert set(UNCHECKED) <= set(_public_methods())
    for name in CHECKED:
        first = list(inspect.signature(getattr(Assistant, name)).parameters)[1]
        assert first == "who", f"Assistant.{name} must take the acting principal first"


@pytest.mark.parametrize("name", SIGNED_IN)
def test_surface_method_refuses_anonymous_and_audits_it(engine, name):
    method = getattr(engine, name)
    required = [
        p
        for p in list(inspect.signature(method).parameters.values())[1:]
        if p.default is inspect.Parameter.empty
    ]
    arguments = [_dummy(p, engine) for p in required if p.kind is p.POSITIONAL_OR_KEYWORD]
    keywords = {p.name: _dummy(p, engine) for p in required if p.kind is p.KEYWORD_ONLY}
    before = len(stores_of(engine).audit.rows())
    with pytest.raises(AccessDenied):
        method(None, *arguments, **keywords)
    rows = stores_of(engine).audit.rows()
    assert len(rows) == before + 1
    assert (rows[0].actor, rows[0].outcome) == ("anonymous", "denied")


def test_visitor_suggestion_is_audited_without_text(engine):
    before = len(stores_of(engine).audit.rows())
    engine.suggest(None, "Ich möchte meine Führungsrolle klären und Konflikte im Team lösen.")
    rows = stores_of(engine).audit.rows()
    assert len(rows) == before + 1
    assert (rows[0].actor, rows[0].action, rows[0].detail) == ("anonymous", "suggest", {"texts": 1})


ENGINE_NAMES = {"engine", "assistant"}  # what pages and commands call the Assistant
ENGINE_ATTRIBUTES = {"pool", "settings", "k"}  # public data of the facade, no personal data


def _is_engine(node: ast.expr) -> bool:
    """``engine``, ``assistant``, ``engine()``, ``state.assistant()``: the facade object."""
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in ENGINE_NAMES
    return isinstance(node, ast.Name) and node.id in ENGINE_NAMES


def test_pages_and_cli_reach_only_the_facade():
    offered = set(_public_methods()) | ENGINE_ATTRIBUTES
    problems = []
    for path in FRONT_ENDS:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module.startswith(("assistant.services", "assistant.storage")):
                    problems.append(f"{where}:{node.lineno} imports {node.module}")
            elif isinstance(node, ast.Attribute):
                if node.attr.startswith("_") and not node.attr.startswith("__"):
                    problems.append(f"{where}:{node.lineno} reaches into .{node.attr}")
                elif _is_engine(node.value) and node.attr not in offered:
                    problems.append(f"{where}:{node.lineno} calls unchecked .{node.attr}")
    assert problems == []


def test_pages_and_cli_call_the_engine_at_all():
    """The scan sees the real calls: pages and commands use many facade methods."""
    called = set()
    for path in FRONT_ENDS:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and _is_engine(node.value):
                called.add(node.attr)
    assert {"themes", "peers", "forum", "add_entry", "erase", "import_file"} <= called


def test_scan_would_catch_a_page_that_calls_a_service(tmp_path, monkeypatch):
    """The scan above is not vacuous: a page calling ``find_peers`` is reported."""
    page = tmp_path / "bad_page.py"
    page.write_text("state.assistant().find_peers('t-01')\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.FRONT_ENDS", [page])
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    with pytest.raises(AssertionError, match="find_peers"):
        test_pages_and_cli_reach_only_the_facade()
