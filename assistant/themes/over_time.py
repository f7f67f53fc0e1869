"""Themes over time: entries per calendar month or quarter and theme cluster."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

__all__ = ["PERIODS", "themes_over_time"]

PERIODS = ("month", "quarter")


def _period_key(day: date, period: str) -> str:
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def themes_over_time(
    assignments: Mapping[str, str],
    dates: Mapping[str, date],
    period: str = "month",
) -> list[tuple[str, str, int]]:
    """Count entries per period and theme cluster.

    Parameters
    ----------
    assignments : mapping of str to str
        Entry id to cluster id, as in ``ThemeClusters.assignments``.
    dates : mapping of str to date
        Entry id to the date the entry was written. Entries without a date here are skipped:
        a stored assignment may name entries erased or withdrawn from analysis since.
    period : {"month", "quarter"}, default="month"

    Returns
    -------
    list of (str, str, int)
        (period key such as "2026-03" or "2026-Q1", cluster id, number of entries), sorted.

    Raises
    ------
    ValueError
        For another ``period``.
    """
    if period not in PERIODS:
        raise ValueError(f"Unknown period '{period}'. Available: {', '.join(PERIODS)}.")
    counts: dict[tuple[str, str], int] = {}
    for entry_id, cluster_id in assignments.items():
        when = dates.get(entry_id)
        if when is None:
            continue
        key = (_period_key(when, period), cluster_id)
        counts[key] = counts.get(key, 0) + 1
    return sorted((p, c, n) for (p, c), n in counts.items())
