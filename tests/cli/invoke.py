"""Run the CLI: through the installed console script, or in-process through the same main().

Most CLI tests call ``main()`` in-process (the function the console script runs) because each
process start costs seconds of imports (spaCy pulls in torch); a few per command go through
the installed script itself, so the contract is also checked end to end.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from pathlib import Path


def via_script(
    script: str,
    env: dict[str, str],
    *args: str,
    stdin: bytes | None = None,
    cwd: Path | None = None,
) -> tuple[int, str, str]:
    proc = subprocess.run(
        [script, *args], env=env, cwd=cwd, input=stdin, capture_output=True, timeout=600
    )
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def in_process(env: dict[str, str], *args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    from assistant.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), Path.cwd()
    os.environ.clear()
    os.environ.update(env)
    if cwd is not None:
        os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit_:  # argparse usage errors
                code = int(exit_.code or 0)
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
    return code, out.getvalue(), err.getvalue()
