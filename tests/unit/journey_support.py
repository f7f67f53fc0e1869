"""Shared set-up of the journey's tests (agreements, meetings, pairs) on SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant import Assistant
from assistant.domain import Participant
from assistant.policy import operator
from assistant.storage import Stores, make_engine, migrate
from tests.matching_cohort import cross_rows, write_csv
from tests.unit.privacy_support import OPEN_ENGINES, dispose_engines, fresh_db_url, make_assistant


def cross_assistant(hashing_assistant: Any, tmp_path: Path) -> Iterator[Assistant]:
    """An assistant with the cross test programme imported; engines disposed (a fixture body)."""
    engine = make_assistant(hashing_assistant, tmp_path / "data")
    rows = write_csv(tmp_path / "cross.csv", cross_rows())
    engine.import_file(operator("cli:test"), rows, kind="cross")
    yield engine
    dispose_engines()


def migrated_stores(tmp_path: Path) -> Iterator[Stores]:
    """Stores over a fresh, migrated database; engines disposed afterwards (a fixture body)."""
    engine = make_engine(fresh_db_url(tmp_path))
    OPEN_ENGINES.append(engine)
    migrate(engine)
    yield Stores.open(engine)
    dispose_engines()


def two_programmes(stores: Stores) -> tuple[int, int]:
    """Programmes "Cross" and "Other", each with mentees m1, m2 and mentor t1: their ids."""
    with stores.db.transaction() as tx:
        pid = stores.programmes.upsert(tx, "Cross", "cross")
        other = stores.programmes.upsert(tx, "Other", "cross")
        for who, role in (("m1", "mentee"), ("t1", "mentor"), ("m2", "mentee")):
            person = Participant(who, "Org", role, "30-39", True, True, given_name=None)
            stores.programmes.upsert_participant(tx, pid, person, by="import")
            stores.programmes.upsert_participant(tx, other, person, by="import")
    return pid, other
