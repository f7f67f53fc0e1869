"""English words Streamlit or a page might leave in the German app (issue #14, item 8).

Used by the browser test (``assert_no_english`` on each page's visible text) and by the
AppTest check over the element texts of every page (tests/ui/test_german_pages.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["ENGLISH_WORDS", "STREAMLIT_UNTRANSLATABLE", "assert_no_english", "english_in"]

ENGLISH_WORDS = frozenset(
    {
        "Choose",
        "Choose options",
        "Choose an option",
        "Select all",
        "Clear all",
        "No results",
        "Browse files",
        "Drag and drop",
        "Limit 200MB",
        "per file",
        "Page not found",
        "Stop",
        "Deploy",
        "Download",
        "Search",
        "Running",
        "emerging",
    }
)
"""Whole words or phrases, matched case-sensitively: German "Stopp" is not "Stop"."""

STREAMLIT_UNTRANSLATABLE = frozenset({"Drag and drop", "per file"})
"""The file uploader's own words: Streamlit 1.67 offers no way to translate them. A page that
shows an uploader passes these as ``allow`` (the German line above the uploader explains them)."""

_PATTERNS = {word: re.compile(rf"(?<!\w){re.escape(word)}(?!\w)") for word in ENGLISH_WORDS}


def english_in(texts: Iterable[str], allow: Iterable[str] = ()) -> set[str]:
    """Return the listed English words that occur in any of ``texts``, less ``allow``."""
    allowed = set(allow)
    joined = "\n".join(texts)
    return {w for w, pattern in _PATTERNS.items() if w not in allowed and pattern.search(joined)}


def assert_no_english(page: Any, name: str, allow: Iterable[str] = ()) -> None:
    """Fail when the visible text of the Playwright ``page`` holds a listed English word."""
    found = english_in([page.inner_text("body")], allow)
    assert not found, f"{name}: English on the page: {sorted(found)}"
