"""The data folder's secret key: created once, readable by its owner only.

Keyed hashes (the erasure digest in the audit log) use it, so somebody who can read the
database but not this file cannot test guessed participant ids against them.
"""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path

from assistant.errors import StorageError

__all__ = ["KEY_BYTES", "load_or_create_key"]

KEY_BYTES = 32


@functools.cache
def load_or_create_key(path: Path) -> bytes:
    """Return the key in ``path``, creating it (mode 0600, folder 0700) when missing.

    Read once per process and path: every audit row needs it, a file read each time would sit
    on the path of every page run.

    Raises
    ------
    StorageError
        The file cannot be read or written, or holds no key of the right length.
    """
    try:
        if not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            try:
                # O_EXCL: two processes starting at once must not write two different keys.
                handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(handle, "wb") as out:
                    out.write(secrets.token_bytes(KEY_BYTES).hex().encode())
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError) as err:
        raise StorageError(f"Cannot use the secret key file {path}: {err}") from err
    if len(key) != KEY_BYTES:
        raise StorageError(f"The secret key file {path} does not hold a {KEY_BYTES}-byte key.")
    return key
