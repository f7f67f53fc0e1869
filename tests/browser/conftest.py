"""The app on a free localhost port, as `make run` starts it, and headless Debian Chromium."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
# Flags of a closed network: no background connections Chromium would try at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ACCOUNT_LINE = re.compile(r"^\s+(participant|moderator|coordinator|admin)\s+(\S+)\s+(\S+)\s*$")


@dataclass
class Server:
    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def accounts(self) -> dict[str, tuple[str, str]]:
        """Role -> (username, password), as printed once by `assistant prepare`."""
        found: dict[str, tuple[str, str]] = {}
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            match = ACCOUNT_LINE.match(line)
            if match:
                found[match.group(1)] = (match.group(2), match.group(3))
        return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"app did not answer on {url} within {timeout:.0f} s")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Start the app exactly as `make run` does, on an empty data folder (first start)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium chromium-driver")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make e2e` (npm ci in tests/browser)")
    data = tmp_path_factory.mktemp("e2e-data")
    log = data / "server.log"
    port = _free_port()
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data), "ASSISTANT_DEMO": "true"}  # as make run
    if os.environ.get("ASSISTANT_E2E_CONFIG"):  # e.g. tests/assistant.test.toml for a quick run
        env["ASSISTANT_CONFIG"] = os.environ["ASSISTANT_E2E_CONFIG"]
    streamlit = Path(sys.executable).parent / "streamlit"
    prepare = [str(Path(sys.executable).parent / "assistant"), "prepare"]
    command = [
        str(streamlit),
        "run",
        "serve.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with log.open("wb") as out:  # make run: prepare (prints the passwords), then serve
        subprocess.run(prepare, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, timeout=120)
        yield Server(url, log, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
