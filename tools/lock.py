"""Write requirements.lock and requirements-dev.lock, with hashes, from their .in pin lists.

Usage: ``python tools/lock.py`` (``make lock``), with the project's virtual environment.

``requirements.in`` (runtime) and ``requirements-dev.in`` (tools on top of it) pin every
package, transitive ones included, with ``==``; this script adds none and changes no version.

1. pip resolves the pins (a dry run with this machine's pip configuration: find-links, extra
   indexes, constraints). The runtime pins alone, and both lists together, must be exactly what
   pip installs: a package without a pin, or a pin nothing needs, is an error.
2. Each pin gets the sha256 of the file pip picked here (hashed from disk for a local file) and
   of every file of that exact version on PyPI, so the lock also installs on a Linux machine that
   reads PyPI only. torch is pinned as 2.13.0+cpu: that version exists only as the local CPU
   wheel, and PyPI's 2.13.0 (which pulls CUDA) never matches the pin.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPI = "https://pypi.org/simple"
RUNTIME, DEV = "requirements", "requirements-dev"


def read_pins(path: Path) -> dict[str, tuple[str, Version]]:
    """Canonical name -> (name as written, version) of a file of ``name==version`` lines."""
    pins: dict[str, tuple[str, Version]] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        if not sep or not name.strip() or any(c in version for c in "<>=!~;[, "):
            sys.exit(f"{path.name}:{number}: expected name==version, got {raw!r}")
        pins[canonicalize_name(name)] = (name.strip(), Version(version.strip()))
    return pins


def resolve(*requirement_files: Path) -> dict[str, dict]:
    """Ask pip what it would install here for these files: canonical name -> report item."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        files = [arg for path in requirement_files for arg in ("-r", str(path))]
        pip = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "-q"]
        done = subprocess.run(
            [*pip, "--report", str(report), *files], stderr=subprocess.PIPE, text=True
        )
        # This machine's local indexes hold few projects; pip warns for each one they lack.
        noise = "is ignored: it is neither a file nor a directory"
        sys.stderr.writelines(line for line in done.stderr.splitlines(True) if noise not in line)
        if done.returncode:
            sys.exit(f"pip could not resolve {[p.name for p in requirement_files]}")
        items = json.loads(report.read_text(encoding="utf-8"))["install"]
    return {canonicalize_name(item["metadata"]["name"]): item for item in items}


def check_closed(
    pins: dict[str, tuple[str, Version]], resolved: dict[str, dict], what: str
) -> None:
    """Fail unless pip resolves exactly the pinned packages at the pinned versions."""
    missing = sorted(
        f"{name}=={item['metadata']['version']}"
        for name, item in resolved.items()
        if name not in pins
    )
    unneeded = sorted(name for name in pins if name not in resolved)
    moved = sorted(
        f"{name}: pinned {pins[name][1]}, pip picked {item['metadata']['version']}"
        for name, item in resolved.items()
        if name in pins and Version(item["metadata"]["version"]) != pins[name][1]
    )
    if missing or unneeded or moved:
        sys.exit(
            f"{what} are not closed:\n  pip also needs: {missing}\n  not needed: {unneeded}\n"
            f"  other versions: {moved}"
        )


def picked_hash(item: dict) -> str:
    """Sha256 of the file pip picked: from disk for a local file, else from the index."""
    info = item["download_info"]
    url = info["url"]
    if url.startswith("file://"):
        path = urllib.parse.unquote(urllib.parse.urlparse(url).path)
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    archive = info.get("archive_info", {})
    digest = archive.get("hashes", {}).get("sha256") or archive.get("hash", "").partition("=")[2]
    if not digest:
        sys.exit(f"no sha256 for {url}")
    return str(digest)


def file_version(filename: str) -> Version | None:
    """Version in a wheel or sdist file name; None for other or malformed names."""
    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[1]
        return parse_sdist_filename(filename)[1]
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None


def pypi_hashes(name: str, version: Version) -> set[str]:
    """Sha256 of every file of this exact version on PyPI (simple API, JSON form)."""
    request = urllib.request.Request(
        f"{PYPI}/{name}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    return {f["hashes"]["sha256"] for f in files if file_version(f["filename"]) == version}


def write_lock(path: Path, source: str, pins: dict, hashes: dict, head: list[str]) -> None:
    """Write one ``name==version`` per package, each with its ``--hash`` lines, sorted by name."""
    lines = [f"# Written by tools/lock.py from {source} (`make lock`); do not edit by hand.", *head]
    for key in sorted(pins):
        name, version = pins[key]
        lines.append(f"{name}=={version} \\")
        digests = sorted(hashes[key])
        lines += [
            f"    --hash=sha256:{d}" + (" \\" if i < len(digests) - 1 else "")
            for i, d in enumerate(digests)
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    """Resolve, check and hash both pin lists; rewrite both locks."""
    runtime_in, dev_in = ROOT / f"{RUNTIME}.in", ROOT / f"{DEV}.in"
    runtime, dev = read_pins(runtime_in), read_pins(dev_in)
    if both := sorted(runtime.keys() & dev.keys()):
        sys.exit(f"pinned in both {runtime_in.name} and {dev_in.name}: {both}")
    check_closed(runtime, resolve(runtime_in), f"the pins of {runtime_in.name}")
    resolved = resolve(runtime_in, dev_in)
    check_closed(runtime | dev, resolved, "the pins of both lists")
    pins = runtime | dev

    def hashes_of(key: str) -> tuple[str, set[str]]:
        return key, {picked_hash(resolved[key])} | pypi_hashes(key, pins[key][1])

    with ThreadPoolExecutor(max_workers=8) as pool:
        hashes = dict(pool.map(hashes_of, sorted(pins)))
    write_lock(ROOT / f"{RUNTIME}.lock", runtime_in.name, runtime, hashes, [])
    dev_head = ["# Test and lint tools on top of the runtime lock.", f"-r {RUNTIME}.lock"]
    write_lock(ROOT / f"{DEV}.lock", dev_in.name, dev, hashes, dev_head)


if __name__ == "__main__":
    main()
