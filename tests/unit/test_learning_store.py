"""LearningStore on SQLite and (marked postgres) on PostgreSQL: feedback events per programme."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assistant.domain import Entry
from assistant.storage.learning import StoredFeedback
from tests.unit.journey_support import migrated_stores, two_programmes


@pytest.fixture
def stores(tmp_path):
    yield from migrated_stores(tmp_path)


@pytest.fixture
def programmes(stores):
    pid, other = two_programmes(stores)
    with stores.db.transaction() as tx:
        for n, who in enumerate(("m1", "m2", "t1")):
            entry = Entry(f"e{n}", pid, who, "goal", f"Text {who}", datetime(2026, 1, 1).date())
            stores.entries.add(tx, entry, f"hash{n}")
    return pid, other


def feedback(pid: int, who: str | None, topic: str, kind: str, entry: str | None = None):
    return StoredFeedback(pid, who, entry, topic, kind, f"Text {who}")


@pytest.mark.postgres
def test_events_are_kept_per_programme_and_count_towards_the_next_refit(stores, programmes):
    pid, other = programmes
    assert stores.learning.state(pid).learned_at is None
    assert stores.learning.put(feedback(pid, "m1", "social_media", "accepted", "e0")) == 1
    assert stores.learning.put(feedback(pid, "m2", "conflict", "dismissed", "e1")) == 2
    assert stores.learning.put(feedback(other, None, "conflict", "confirmed")) == 1
    # The same person's new word on the same entry and topic replaces the old one.
    assert stores.learning.put(feedback(pid, "m1", "social_media", "dismissed", "e0")) == 3
    kinds = [(e.participant_id, e.topic_id, e.kind) for e in stores.learning.of_programme(pid)]
    assert kinds == [("m2", "conflict", "dismissed"), ("m1", "social_media", "dismissed")]
    at = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    stores.learning.mark_learned(pid, 2, at)
    state = stores.learning.state(pid)
    assert (state.learned_at, state.n_feedback, state.pending) == (at, 2, 0)
    assert stores.learning.of_programme(pid, until=at - timedelta(days=365)) == []
    assert stores.learning.drop("e0", "social_media") == 1
    assert stores.learning.count(pid) == 1


@pytest.mark.postgres
def test_consent_erasure_and_the_entry_take_events_with_them(stores, programmes):
    pid, other = programmes
    stores.learning.put(feedback(pid, "m1", "social_media", "accepted", "e0"))
    stores.learning.put(feedback(other, "m1", "conflict", "accepted"))
    stores.learning.put(feedback(pid, "m2", "conflict", "accepted", "e1"))
    stores.learning.put(feedback(pid, "t1", "conflict", "accepted", "e2"))
    assert stores.learning.programmes_of("m1") == sorted([pid, other])
    with stores.db.transaction() as tx:  # without consent to analysis nothing of them counts
        stores.programmes.change_consent(tx, "m2", analysis=False, matching=True, by="test")
    assert {e.participant_id for e in stores.learning.of_programme(pid)} == {"m1", "t1"}
    stores.erasure.erase_participant("m1")  # cascades
    assert stores.learning.programmes_of("m1") == []
    stores.erasure.erase_entries(["e2"])  # retention: the entry's feedback goes with it
    assert stores.learning.count(pid) == 1  # m2's row stays stored, left out by consent
    assert stores.learning.drop_of_participant("m2") == [pid]
    assert stores.learning.count(pid) == 0


def test_migration_0013_goes_up_and_back(tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    from assistant.storage import make_engine, migrate
    from tests.unit.privacy_support import OPEN_ENGINES

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    OPEN_ENGINES.append(engine)
    config = Config()
    config.set_main_option("script_location", "assistant/storage/migrations")
    migrate(engine)
    assert {"learned_examples", "learning_state"} <= set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")
    assert "learned_examples" not in inspect(engine).get_table_names()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    assert "learning_state" in inspect(engine).get_table_names()
