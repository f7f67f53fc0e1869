"""Consent, export, erasure, retention, audit log and hostile input, end to end on storage."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select, text
from sqlalchemy.exc import SQLAlchemyError

from assistant.errors import AccessDenied, InvalidEntryError
from assistant.policy import Principal
from assistant.service import erasure_digest
from assistant.storage.repository import Repository
from tests.conftest import FIXTURES
from tests.unit.privacy_support import dispose_engines, make_assistant, on_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _close_engines():
    yield
    dispose_engines()


PROGRAMME = "Testprogramm"
ADMIN = Principal("operator", "admin")
T01 = Principal("t01", "participant", participant_id="t-01", programmes=frozenset({PROGRAMME}))
T02 = Principal("t02", "participant", participant_id="t-02", programmes=frozenset({PROGRAMME}))
COORD = Principal("coord", "coordinator", programmes=frozenset({PROGRAMME}))

# Texts an attacker might try; stored and returned verbatim, never interpreted.
HOSTILE = [
    "Robert'); DROP TABLE entries; -- war heute im Forum und wollte Konflikte lösen.",
    'Mein Ziel: 1" OR "1"="1 bei Instagram Reichweite gewinnen.',
    "Javascript:alert(document.cookie) &lt;script&gt; im Formular für Barrierefreiheit.",
]
SECRET = "Zauberwortquarkstrudel meiner Chefin wegen Konflikte im Team."


def write_rows(path: Path, extra: list[dict[str, str]]) -> Path:
    with (FIXTURES / "programme.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows += extra
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(participant: str, entry: str, body: str, *, analysis: str = "true") -> dict[str, str]:
    return {
        "programme": PROGRAMME,
        "participant_id": participant,
        "role": "peer",
        "organisation": "Stadt D",
        "age_band": "30-39",
        "consent_analysis": analysis,
        "consent_matching": "true",
        "entry_id": entry,
        "kind": "reflection",
        "text": body,
        "created_at": "2026-03-10",
        "group": "Gruppe Eins",
    }


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    engine = make_assistant(hashing_assistant, tmp_path / "data")
    extra = [row("x-99", f"x-{i}", body) for i, body in enumerate([SECRET, *HOSTILE])]
    engine.import_file(write_rows(tmp_path / "in.csv", extra))
    return engine


# -- consent ----------------------------------------------------------------------------------


def test_withdrawn_matching_consent_drops_the_person_from_cached_peers_at_once(engine):
    before = {m.participant_id for m in engine.peers_for(T02, k=10).peers}
    assert "t-01" in before
    engine.set_consent(T01, "t-01", matching=False)
    assert "t-01" not in {m.participant_id for m in engine.peers_for(T02, k=10).peers}
    with pytest.raises(InvalidEntryError) as err:
        engine.peers_for(T01)
    assert err.value.code == "no_consent"
    engine.set_consent(T01, "t-01", matching=True)
    assert "t-01" in {m.participant_id for m in engine.peers_for(T02, k=10).peers}


def test_withdrawn_analysis_consent_changes_what_is_clustered_at_once(engine):
    engine.min_cluster_participants = 2
    _, before, _ = engine.themes_for(COORD, PROGRAMME)
    assert engine.repo.count("theme_runs") == 1
    engine.set_consent(Principal("x", "participant", participant_id="x-99"), "x-99", analysis=False)
    assert engine.repo.count("theme_runs") == 0  # the stored run with their sentences is gone
    _, after, _ = engine.themes_for(COORD, PROGRAMME)
    assert after.n_entries == before.n_entries - 1 - len(HOSTILE)
    assert "Zauberwort" not in json.dumps([c.sentences for c in after.clusters])


def test_consent_history_keeps_every_change_with_time_and_actor(engine):
    engine.set_consent(T01, "t-01", analysis=False)
    engine.set_consent(ADMIN, "t-01", matching=False)
    history = engine.repo.consent_history("t-01")
    assert [(h["analysis"], h["matching"], h["changed_by"]) for h in history] == [
        (False, True, "t01"),
        (False, False, "operator"),
    ]
    assert history[0]["changed_at"] <= history[1]["changed_at"]
    actions = [r["action"] for r in engine.repo.audit_rows(about=["t-01"])]
    assert actions.count("consent.change") == 2


# -- export -----------------------------------------------------------------------------------


def test_export_holds_all_their_data_and_nothing_of_others(engine):
    engine.accounts.add_user("t01", "participant", participant_id="t-01")
    engine.repo.set_suggestion_status(
        "t-001", engine.repo.suggestions_of(["t-001"])[0].topic_id, "accepted"
    )
    engine.set_consent(T01, "t-01", matching=False)
    data = engine.export_self(T01)
    json.dumps(data)  # JSON-ready
    assert data["participant"]["id"] == "t-01"
    assert data["participant"]["groups"] == [{"programme": PROGRAMME, "group": "Gruppe Eins"}]
    assert {e["id"] for e in data["entries"]} == {"t-001", "t-002"}
    assert {s["entry_id"] for s in data["suggestions"]} <= {"t-001", "t-002"}
    assert "accepted" in {s["status"] for s in data["suggestions"]}
    assert data["consent_history"][0]["matching"] is False
    assert {r["action"] for r in data["audit"]} >= {"consent.change", "user.add"}
    assert [a["username"] for a in data["accounts"]] == ["t01"]
    assert "t-003" not in json.dumps(data)
    assert engine.repo.audit_rows()[0]["action"] == "self.export"


def test_hostile_texts_are_stored_and_returned_verbatim(engine):
    exported = engine.export_self(ADMIN, "x-99")
    assert [e["text"] for e in exported["entries"]] == [SECRET, *HOSTILE]
    assert engine.repo.count("entries") == 12 + 1 + len(HOSTILE)  # no table was dropped


def test_sql_metacharacters_in_ids_find_nothing(engine):
    for forged in ("t-01' OR '1'='1", 't-01"; DROP TABLE participants; --', "%", "*"):
        with pytest.raises(InvalidEntryError) as err:
            engine.export_self(ADMIN, forged)
        assert err.value.code == "unknown_participant"
    assert engine.repo.count("participants") == 7


def test_markup_in_new_texts_is_refused_not_stored(engine, tmp_path):
    path = write_rows(tmp_path / "bad.csv", [row("x-98", "bad-1", "<script>alert(1)</script>")])
    with pytest.raises(InvalidEntryError):
        engine.import_file(path)
    assert engine.repo.get_participant("x-98") is None


def test_oversize_upload_is_refused_before_it_is_read(hashing_assistant, tmp_path):
    engine = make_assistant(hashing_assistant, tmp_path / "small", max_upload_mb=1)
    with pytest.raises(InvalidEntryError) as err:
        engine.import_upload(COORD, "big.csv", b"x" * (2**20 + 1), programme=PROGRAMME)
    assert err.value.code == "too_large" and "1 MiB" in str(err.value)
    engine.check_upload(2**20)  # exactly the limit is fine


def test_forged_participant_id_is_refused_and_audited(engine):
    for call in (
        lambda: engine.entries_for(T01, "x-99"),
        lambda: engine.export_self(T01, "x-99"),
        lambda: engine.erase_self(T01, "x-99"),
    ):
        with pytest.raises(AccessDenied):
            call()
    denied = [r for r in engine.repo.audit_rows(about=["x-99"]) if r["outcome"] == "denied"]
    assert len(denied) == 3 and {r["actor"] for r in denied} == {"t01"}
    assert engine.repo.get_participant("x-99") is not None


# -- erasure ----------------------------------------------------------------------------------


def _all_values(repo: Repository) -> str:
    """Every value of every column of every table, reflected from the live database."""
    reflected = MetaData()
    reflected.reflect(repo.engine)
    parts = []
    with repo.engine.connect() as con:
        for table in reflected.sorted_tables:
            for record in con.execute(select(table)):
                for value in record:
                    parts.append(
                        value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                    )
    return "\n".join(parts)


def _file_bytes(folder: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()]


def test_erasure_leaves_no_trace_in_any_table_or_file(engine, tmp_path):
    who = Principal("x", "participant", participant_id="x-99", programmes=frozenset({PROGRAMME}))
    engine.accounts.add_user("x-account", "participant", participant_id="x-99")
    engine.min_cluster_participants = 2
    engine.themes_for(COORD, PROGRAMME)  # a stored run may hold their sentences
    engine.peers_for(who)  # and a cached peer index their vectors
    markers = ["Zauberwortquarkstrudel", "DROP TABLE entries", '"1"="1', "document.cookie"]
    assert all(m in _all_values(engine.repo) for m in markers)
    counts = engine.erase_self(who)
    assert counts["entries"] == 1 + len(HOSTILE) and counts["accounts"] == 1
    assert counts["cache"] >= 1 and counts["index"] == 1
    values = _all_values(engine.repo)
    for marker in markers:
        assert marker not in values
        for path, data in _file_bytes(tmp_path / "data"):
            assert marker.encode() not in data, path
    assert engine.repo.get_user("x-account") is None
    assert engine.repo.consent_history("x-99") == []
    erased = engine.repo.audit_rows(about=[erasure_digest("x-99")])
    assert erased and erased[0]["detail"]["removed"]["entries"] == 1 + len(HOSTILE)
    # The others are untouched.
    assert engine.repo.count("entries") == 12


# -- audit log --------------------------------------------------------------------------------


def test_audit_log_is_append_only_in_code_and_in_the_database(engine):
    engine.audit(ADMIN, "test", detail={"n": 1})
    assert not [
        name
        for name in dir(Repository)
        if "audit" in name and any(w in name for w in ("update", "delete", "remove", "clear"))
    ]
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(SQLAlchemyError), engine.repo.engine.begin() as con:
            con.execute(text(statement))
    assert engine.audit_log(ADMIN)[0]["action"] == "test"


# -- retention --------------------------------------------------------------------------------


def test_retention_deletes_entries_of_ended_programmes_through_erasure(engine):
    prog = engine.programme(PROGRAMME)
    with engine.repo.transaction() as tx:
        engine.repo.upsert_programme(tx, PROGRAMME, prog.kind, ends_on=date(2026, 3, 31))
    engine.themes_for(COORD, PROGRAMME)
    before = engine.run_retention(ADMIN, today=date(2027, 3, 30))
    assert before["programmes"] == []  # 12 months after the end are not over yet
    dry = engine.run_retention(ADMIN, today=date(2027, 3, 31), dry_run=True)
    assert dry["programmes"][0]["entries"] == 16 and engine.repo.count("entries") == 16
    done = engine.run_retention(ADMIN, today=date(2027, 3, 31))
    removed = done["programmes"][0]["removed"]
    assert removed["entries"] == 16 and removed["vectors"] == 16 and removed["cache"] >= 16
    assert engine.repo.count("entries") == 0 and engine.repo.count("suggestions") == 0
    assert engine.repo.count("theme_runs") == 0
    assert [r["action"] for r in engine.audit_log(ADMIN)[:2]] == ["retention.run"] * 2


def test_retention_months_are_per_programme(engine):
    prog = engine.programme(PROGRAMME)
    with engine.repo.transaction() as tx:
        engine.repo.upsert_programme(
            tx, PROGRAMME, prog.kind, ends_on=date(2026, 3, 31), retention_months=3
        )
    report = engine.run_retention(ADMIN, today=date(2026, 6, 30), dry_run=True)
    assert report["programmes"][0]["delete_after"] == "2026-06-30"


@pytest.mark.skipif(on_postgres(), reason="the SQLite file format only")
def test_sqlite_file_is_scrubbed_after_erasure(engine, tmp_path):
    engine.erase_self(ADMIN, "x-99")
    db = tmp_path / "data" / "assistant.db"
    assert b"Zauberwortquark" not in db.read_bytes()


@pytest.mark.skipif(on_postgres(), reason="SQLite rebuilds tables in batch mode")
def test_migration_0003_up_and_down_keeps_programme_data(tmp_path):
    from alembic import command
    from alembic.config import Config

    from assistant.storage.repository import make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", "assistant/storage/migrations")
    with engine.begin() as con:
        config.attributes["connection"] = con
        command.upgrade(config, "0002")
    with engine.begin() as con:
        con.execute(
            text(
                "INSERT INTO programmes (name, kind, description, created_at) "
                "VALUES ('P', 'tandem', '', '2026-01-01')"
            )
        )
        con.execute(
            text(
                "INSERT INTO participants (id, organisation, consent_analysis, consent_matching, "
                "consent_updated_at) VALUES ('a', '', 1, 1, '2026-01-01')"
            )
        )
        con.execute(text("INSERT INTO memberships VALUES (1, 'a', 'peer')"))
    migrate(engine)  # a rebuilt programmes table would cascade-delete the memberships
    repo = Repository(engine)
    assert repo.count("memberships") == 1 and repo.retention_due(date(2100, 1, 1)) == []
    with engine.begin() as con:
        config.attributes["connection"] = con
        command.downgrade(config, "0002")
    assert repo.count("memberships") == 1
    engine.dispose()
