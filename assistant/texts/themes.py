"""German copy of themes: fallback names, the "Sonstiges" cluster, the theme view, adoption."""

from __future__ import annotations

THEME_NEW = "Neues Thema"
THEME_OTHER = "Sonstiges"
THEME_MAPPING_NEW = "neu"


def theme_other(n_entries: int) -> str:
    """Return the label of the "Sonstiges" cluster with its number of entries: "Sonstiges (6)"."""
    return f"{THEME_OTHER} ({n_entries})"
