"""Shared set-up of the journey's store tests (agreements, meetings) on SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from assistant.domain import Participant
from assistant.storage import Stores, make_engine, migrate
from tests.unit.privacy_support import OPEN_ENGINES, dispose_engines, fresh_db_url


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
