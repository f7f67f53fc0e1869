"""The locks: every requirement pinned with == and hashed; dev tools only in the dev lock."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_LOCK, DEV_LOCK = ROOT / "requirements.lock", ROOT / "requirements-dev.lock"
PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!_-]+)")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DEV_TOOLS = {
    canonicalize_name(name)
    for name in ["pytest", "pytest-xdist", "ruff", "mypy", "import-linter", "grimp", "playwright"]
    + ["pip-tools", "pip-audit"]
    + [Requirement(r).name for r in PYPROJECT["dependency-groups"]["dev"]]
}


def entries(path: Path) -> list[str]:
    """Logical lines: backslash continuations joined, comments and blank lines dropped."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def pins(path: Path) -> dict[str, str]:
    """Canonical name -> version of every requirement; fails on one without == or hashes."""
    found: dict[str, str] = {}
    for entry in entries(path):
        if entry == "-r requirements.lock" and path == DEV_LOCK:
            continue
        requirement, *options = entry.split()
        pin = PIN.fullmatch(requirement)
        assert pin, f"{path.name}: {requirement!r} is not pinned with =="
        assert options, f"{path.name}: {requirement} has no --hash"
        assert all(HASH.fullmatch(o) for o in options), f"{path.name}: {requirement}: {options}"
        name = canonicalize_name(pin[1])
        assert name not in found, f"{path.name}: {name} twice"
        found[name] = pin[2]
    return found


@pytest.mark.parametrize("path", [RUNTIME_LOCK, DEV_LOCK], ids=lambda p: p.name)
def test_every_requirement_is_pinned_and_hashed(path):
    assert len(pins(path)) > 10


def test_dev_lock_installs_the_runtime_lock_first():
    assert entries(DEV_LOCK)[0] == "-r requirements.lock"
    assert "-r requirements.lock" not in entries(RUNTIME_LOCK)


def test_no_dev_tool_in_the_runtime_lock():
    runtime = pins(RUNTIME_LOCK)
    leaked = sorted(n for n in runtime if n in DEV_TOOLS or n.startswith(("types-", "pytest")))
    assert not leaked, f"dev tools in requirements.lock: {leaked}"
    assert {"pytest", "ruff", "mypy", "import-linter", "playwright"} <= pins(DEV_LOCK).keys()


def test_a_package_in_both_locks_has_one_version():
    runtime, dev = pins(RUNTIME_LOCK), pins(DEV_LOCK)
    differ = {n: (runtime[n], dev[n]) for n in runtime.keys() & dev.keys() if runtime[n] != dev[n]}
    assert not differ, f"runtime and dev lock disagree: {differ}"


def test_the_runtime_lock_satisfies_the_project_dependencies():
    runtime = pins(RUNTIME_LOCK)
    for line in PYPROJECT["project"]["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in runtime, f"{name} (pyproject.toml) is not in requirements.lock"
        assert requirement.specifier.contains(runtime[name], prereleases=True), line


@pytest.mark.parametrize("path", [RUNTIME_LOCK, DEV_LOCK], ids=lambda p: p.name)
def test_each_lock_is_written_from_its_pin_list(path):
    # tools/lock.py writes the lock from the .in file; an edit to only one of them shows here.
    listed = {}
    for line in entries(path.with_suffix(".in")):
        name, _, version = line.partition("==")
        listed[canonicalize_name(name)] = version
    assert pins(path) == listed, f"run `make lock` after editing {path.with_suffix('.in').name}"
