"""Files of the data folder besides the database: owner-only, and within erasure's reach.

The folder and what the app writes into it (database, caches, keys, rejects files) are for the
service account alone: folders 0700, files 0600. Rejects files hold rows of people's text, so
an erasure removes that person's rows from them as well.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

__all__ = ["erase_from_rejects", "protect", "rejects_path"]

REJECTS = "rejects"


def protect(folder: Path) -> None:
    """Create ``folder`` owner-only and make what it holds owner-only; new files follow.

    The process's file-creation mask is narrowed to 077 (the app and the CLI are the only
    writers of the data folder), so SQLite's journal files and caches are created 0600 too.
    """
    os.umask(0o077)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)


def rejects_path(folder: Path, source: str | Path) -> Path:
    """Where the rejected rows of an import of ``source`` are written by default."""
    target = folder / REJECTS
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    return target / f"{Path(source).stem}.rejects.csv"


def erase_from_rejects(folder: Path, participant_id: str) -> int:
    """Remove a participant's rows from every rejects file of the data folder; return how many.

    A file left without rows is deleted.
    """
    removed = 0
    for path in sorted((folder / REJECTS).glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        if not rows or "participant_id" not in rows[0]:
            continue
        column = rows[0].index("participant_id")
        kept = [rows[0], *(r for r in rows[1:] if len(r) <= column or r[column] != participant_id)]
        if len(kept) == len(rows):
            continue
        removed += len(rows) - len(kept)
        if len(kept) == 1:
            path.unlink()
            continue
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(kept)
    return removed
