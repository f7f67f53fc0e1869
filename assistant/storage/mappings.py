"""Saved column mappings: one YAML file per programme under the data folder's ``mappings/``.

A mapping names columns and answer values, never people, so a file per programme is enough
(no table, no migration): ``mappings/programme-<id>.yaml``, owner-only like the whole folder.
The YAML is parsed and checked by ``assistant.importing.mapping``; this store keeps the text.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["MappingFiles"]

FOLDER = "mappings"


class MappingFiles:
    """Read and write the saved mapping of a programme (by the programme's id)."""

    def __init__(self, data_path: Path) -> None:
        self.folder = data_path / FOLDER

    def path(self, programme_id: int) -> Path:
        """Where the mapping of programme ``programme_id`` is kept."""
        return self.folder / f"programme-{int(programme_id)}.yaml"

    def load(self, programme_id: int) -> str | None:
        """Return the saved mapping's YAML, None when the programme has none."""
        path = self.path(programme_id)
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def save(self, programme_id: int, text: str) -> Path:
        """Replace the programme's mapping (written to a temporary file, then renamed)."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.path(programme_id)
        partial = path.with_suffix(".yaml.partial")
        partial.write_text(text, encoding="utf-8")
        partial.chmod(0o600)
        os.replace(partial, path)
        return path
