"""A small cohort for the matching tests of the facade and the CLI (issue #12).

Mentees of two authorities and mentors of three, each text naming its topic plainly; me-4 did
not consent to matching. Twelve peers in five offices for the groups.
"""

from __future__ import annotations

import csv
from pathlib import Path

CROSS = "Cross-Mentoring Test"
PEERS = "Peer-Gruppen Test"
COLUMNS = [
    "programme", "participant_id", "role", "organisation", "age_band", "consent_analysis",
    "consent_matching", "entry_id", "kind", "text", "created_at", "group", "capacity", "level",
]  # fmt: skip

# (id, role, organisation, consent to matching, kind, text, capacity, level)
CROSS_PEOPLE = [
    ("me-1", "mentee", "Stadt A", "true", "goal", "Ich möchte Instagram und Social Media für "
     "unser Amt nutzen und mehr Reichweite gewinnen.", "", "1"),
    ("me-2", "mentee", "Stadt B", "true", "goal", "Ich will lernen, Konflikte im Team zu lösen "
     "und schwierige Gespräche zu führen.", "", "1"),
    ("me-3", "mentee", "Stadt A", "true", "goal", "Mein Ziel: Beruf und Familie besser "
     "vereinbaren, Work-Life-Balance finden.", "", "2"),
    ("me-4", "mentee", "Stadt B", "false", "goal", "Ich möchte meine Karriere planen.", "", "1"),
    ("mo-1", "mentor", "Stadt C", "true", "offer", "Ich zeige gern, wie Instagram und Social "
     "Media im Amt Reichweite bringen.", "1", "3"),
    ("mo-2", "mentor", "Stadt A", "true", "offer", "Ich begleite bei Konflikten im Team und "
     "schwierigen Gesprächen.", "1", "3"),
    ("mo-3", "mentor", "Stadt B", "true", "offer", "Ich teile Erfahrungen zu Familie, Beruf und "
     "Work-Life-Balance.", "1", "4"),
]  # fmt: skip
ORGANISATION = {p[0]: p[2] for p in CROSS_PEOPLE}
LEVEL = {p[0]: int(p[7]) for p in CROSS_PEOPLE}


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    """Write ``rows`` under the import header with the matching columns."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def cross_rows(programme: str = CROSS, people=CROSS_PEOPLE) -> list[list[str]]:
    """One entry per person of ``people`` in ``programme``."""
    return [
        [programme, pid, role, org, "40-49", "true", consent, f"{pid}-e", kind, text,
         "2026-03-01", "", capacity, level]
        for pid, role, org, consent, kind, text, capacity, level in people
    ]  # fmt: skip


def peer_rows() -> list[list[str]]:
    """Twelve peers of five offices, levels 2 and 3, writing about two topics."""
    topics = ["Instagram und Social Media im Amt", "Konflikte im Team lösen"]
    return [
        [PEERS, f"p-{i:02d}", "peer", f"Amt {i % 5}", "40-49", "true", "true", f"p-{i:02d}-e",
         "goal", f"Ich möchte mich austauschen: {topics[i % 2]}, Teil {i}.", "2026-03-01", "",
         "", str(2 + i % 2)]
        for i in range(12)
    ]  # fmt: skip
