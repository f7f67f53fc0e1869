"""German names of audit actions, local times, percentages (issue #14, item 8)."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant import texts
from assistant.policy import Action

PACKAGE = Path(__file__).resolve().parents[2] / "assistant"


def audit_codes_written() -> set[str]:
    """Every action code a ``_audit(...)`` or ``audit.append(...)`` call in assistant/ writes.

    Literal strings and ``Action.X`` members, also inside ``a if c else b``; every other
    expression fails the test, so a new way of writing a code cannot slip past it.
    """
    codes: set[str] = set()

    def read(node: ast.expr, where: str) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            codes.add(node.value)
        elif isinstance(node, ast.Attribute) and getattr(node.value, "id", "") == "Action":
            codes.add(Action[node.attr].value)
        elif isinstance(node, ast.IfExp):
            read(node.body, where)
            read(node.orelse, where)
        elif ast.unparse(node) in ("action", "str(action)"):
            pass  # the helpers that pass their own ``action`` argument on
        else:
            raise AssertionError(f"unreadable audit action in {where}: {ast.unparse(node)}")

    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            writes = node.func.attr == "_audit" or (
                node.func.attr == "append" and ast.unparse(node.func.value).endswith("audit")
            )
            if writes and len(node.args) >= 2:
                read(node.args[1], f"{path.name}:{node.lineno}")
    return codes


def test_every_audit_action_written_anywhere_has_a_german_name():
    written = audit_codes_written()
    assert {"signin", "user.add", "suggest", "self.erase"} <= written  # the scan finds them
    assert written | {a.value for a in Action} <= set(texts.AUDIT_ACTION)


def test_german_action_names_are_distinct_and_unknown_codes_stay_visible():
    names = list(texts.AUDIT_ACTION.values())
    assert len(set(names)) == len(names)
    assert texts.audit_action("signin") == "Anmeldung"
    assert texts.audit_action("x.new") == "sonstige Aktion (x.new)"


@pytest.mark.parametrize(
    ("utc", "shown"),
    [
        (datetime(2026, 11, 30, 13, 5, tzinfo=UTC), "30.11.2026, 14:05"),  # CET, UTC+1
        (datetime(2026, 7, 1, 22, 30, tzinfo=UTC), "02.07.2026, 00:30"),  # CEST, next day
        (datetime(2026, 11, 30, 13, 5), "30.11.2026, 14:05"),  # naive: read as UTC
    ],
)
def test_local_time_is_berlin_time_written_the_german_way(utc, shown):
    assert texts.local_time(utc) == shown


def test_percent_has_a_space_before_the_sign():
    assert texts.percent(0.28) == "28 %" and texts.percent(1.0) == "100 %"


def test_no_texts_module_shadows_another_ones_name():
    """``texts`` star-imports its modules: a repeated name would silently replace the first."""
    import importlib
    import pkgutil

    import assistant.texts as package

    owner: dict[str, str] = {}
    clashes = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"assistant.texts.{info.name}")
        names = getattr(module, "__all__", None) or [
            n for n in vars(module) if not n.startswith("_") and n.isupper()
        ]
        for name in names:
            if name in owner and owner[name] != info.name:
                first = importlib.import_module(f"assistant.texts.{owner[name]}")
                if getattr(first, name) is not getattr(module, name):
                    clashes.append((name, owner[name], info.name))
            owner.setdefault(name, info.name)
    assert clashes == []
