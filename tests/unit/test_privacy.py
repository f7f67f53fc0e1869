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
from assistant.policy import Principal, operator
from assistant.storage import Stores
from tests.conftest import FIXTURES
from tests.unit.privacy_support import dispose_engines, make_assistant, on_postgres, stores_of

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
OPERATOR = operator("cli:test")

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
    engine.import_file(OPERATOR, write_rows(tmp_path / "in.csv", extra))
    return engine


# -- consent ----------------------------------------------------------------------------------


def test_withdrawn_matching_consent_drops_the_person_from_cached_peers_at_once(engine):
    before = {m.participant_id for m in engine.peers(T02, k=10).peers}
    assert "t-01" in before
    engine.set_consent(T01, "t-01", matching=False)
    assert "t-01" not in {m.participant_id for m in engine.peers(T02, k=10).peers}
    with pytest.raises(InvalidEntryError) as err:
        engine.peers(T01)
    assert err.value.code == "no_consent"
    engine.set_consent(T01, "t-01", matching=True)
    assert "t-01" in {m.participant_id for m in engine.peers(T02, k=10).peers}


def test_withdrawn_analysis_consent_changes_what_is_clustered_at_once(engine):
    engine.k = 2
    before = engine.themes(COORD, PROGRAMME).themes
    assert stores_of(engine).db.count("theme_runs") == 1
    engine.set_consent(Principal("x", "participant", participant_id="x-99"), "x-99", analysis=False)
    assert stores_of(engine).db.count("theme_runs") == 0  # the run with their sentences is gone
    after = engine.themes(COORD, PROGRAMME).themes
    assert after.n_entries == before.n_entries - 1 - len(HOSTILE)
    assert "Zauberwort" not in json.dumps([c.sentences for c in after.clusters])


def test_consent_history_keeps_every_change_with_time_and_actor(engine):
    engine.set_consent(T01, "t-01", analysis=False)
    engine.set_consent(ADMIN, "t-01", matching=False)
    history = stores_of(engine).programmes.consent_history("t-01")
    assert [(h.analysis, h.matching, h.changed_by) for h in history] == [
        (True, True, "cli:test"),  # the first consent, given with the import that created them
        (False, True, "t01"),
        (False, False, "operator"),
    ]
    assert history[0].changed_at <= history[1].changed_at <= history[2].changed_at
    actions = [r.action for r in stores_of(engine).audit.rows(about=["t-01"])]
    assert actions.count("consent.change") == 2


# -- export -----------------------------------------------------------------------------------


def test_export_holds_all_their_data_and_nothing_of_others(engine):
    engine.add_user(ADMIN, "t01", "participant", participant_id="t-01")
    [first, *_] = engine.suggestions_of(T01, ["t-001"])["t-001"]
    engine.set_suggestion_status(T01, "t-001", first.topic_id, "accepted")
    engine.set_consent(T01, "t-01", matching=False)
    data = engine.export(T01)
    json.dumps(data)  # JSON-ready
    assert data["participant"]["id"] == "t-01"
    assert data["participant"]["groups"] == [{"programme": PROGRAMME, "group": "Gruppe Eins"}]
    assert {e["id"] for e in data["entries"]} == {"t-001", "t-002"}
    assert {s["entry_id"] for s in data["suggestions"]} <= {"t-001", "t-002"}
    assert "accepted" in {s["status"] for s in data["suggestions"]}
    assert [h["matching"] for h in data["consent_history"]] == [True, False]
    assert {r["action"] for r in data["audit"]} >= {"consent.change", "user.add"}
    assert [a["username"] for a in data["accounts"]] == ["t01"]
    assert "t-003" not in json.dumps(data)
    assert stores_of(engine).audit.rows()[0].action == "self.export"


def test_hostile_texts_are_stored_and_returned_verbatim(engine):
    exported = engine.export(ADMIN, "x-99")
    assert [e["text"] for e in exported["entries"]] == [SECRET, *HOSTILE]
    assert stores_of(engine).db.count("entries") == 12 + 1 + len(HOSTILE)  # no table dropped


def test_sql_metacharacters_in_ids_find_nothing(engine):
    forgeries = ("t-01' OR '1'='1", 't-01"; DROP TABLE participants; --', "%", "*")
    for forged in forgeries:
        with pytest.raises(InvalidEntryError) as err:
            engine.export(ADMIN, forged)
        assert err.value.code == "unknown_participant"
    assert stores_of(engine).db.count("participants") == 7
    assert stores_of(engine).audit.rows(about=list(forgeries)) == []  # no export took place


def test_markup_in_new_texts_is_refused_not_stored(engine, tmp_path):
    path = write_rows(tmp_path / "bad.csv", [row("x-98", "bad-1", "<script>alert(1)</script>")])
    with pytest.raises(InvalidEntryError):
        engine.import_file(OPERATOR, path)
    assert stores_of(engine).programmes.participant("x-98") is None


def test_oversize_upload_is_refused_before_it_is_read(hashing_assistant, tmp_path):
    engine = make_assistant(hashing_assistant, tmp_path / "small", max_upload_mb=1)
    with pytest.raises(InvalidEntryError) as err:
        engine.import_upload(COORD, "big.csv", b"x" * (2**20 + 1), programme=PROGRAMME)
    assert err.value.code == "too_large" and "1 MiB" in str(err.value)
    assert stores_of(engine).db.count("participants") == 0
    # Exactly the limit is fine: a valid file padded to 1 MiB is imported.
    data = (FIXTURES / "programme.csv").read_bytes()
    data += b"\n" * (2**20 - len(data))
    assert len(data) == 2**20
    report = engine.import_upload(COORD, "ok.csv", data, programme=PROGRAMME)
    assert report.imported == 12


def test_forged_participant_id_is_refused_and_audited(engine):
    for call in (
        lambda: engine.entries(T01, participant_id="x-99"),
        lambda: engine.export(T01, "x-99"),
        lambda: engine.erase(T01, "x-99"),
    ):
        with pytest.raises(AccessDenied):
            call()
    rows = stores_of(engine).audit.rows(about=["x-99"])
    denied = [r for r in rows if r.outcome == "denied"]
    assert len(denied) == 3 and {r.actor for r in denied} == {"t01"}
    assert stores_of(engine).programmes.participant("x-99") is not None


# -- erasure ----------------------------------------------------------------------------------


def _all_values(stores: Stores) -> str:
    """Every value of every column of every table, reflected from the live database."""
    reflected = MetaData()
    reflected.reflect(stores.db.engine)
    parts = []
    with stores.db.engine.connect() as con:
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
    stores = stores_of(engine)
    engine.add_user(ADMIN, "x-account", "participant", participant_id="x-99")
    engine.k = 2
    engine.themes(COORD, PROGRAMME)  # a stored run may hold their sentences
    engine.peers(who)  # and a cached peer index their vectors
    markers = ["Zauberwortquarkstrudel", "DROP TABLE entries", '"1"="1', "document.cookie"]
    assert all(m in _all_values(stores) for m in markers)
    counts = engine.erase(who)
    assert counts["entries"] == 1 + len(HOSTILE) and counts["accounts"] == 1
    assert counts["cache"] >= 1 and counts["index"] == 1
    values = _all_values(stores)
    for marker in markers:
        assert marker not in values
        for path, data in _file_bytes(tmp_path / "data"):
            assert marker.encode() not in data, path
    assert stores.accounts.get("x-account") is None
    assert stores.programmes.consent_history("x-99") == []
    erased = stores.audit.rows(about=[engine.erasure_digest(OPERATOR, "x-99")])
    assert erased and erased[0].detail["removed"]["entries"] == 1 + len(HOSTILE)
    # The others are untouched.
    assert stores.db.count("entries") == 12


def _with_membership(path: Path, email: str) -> Path:
    """The fixture's rows, t-01 a mentor with capacity, level and e-mail address."""
    with (FIXTURES / "programme.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for r in rows:
        mine = r["participant_id"] == "t-01"
        r.update(
            capacity="2" if mine else "", level="3" if mine else "", email=email if mine else ""
        )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_export_lists_capacity_level_and_email_per_programme(engine, tmp_path):
    engine.import_file(OPERATOR, _with_membership(tmp_path / "m.csv", "t01@example.org"))
    [membership] = engine.export(T01)["participant"]["programmes"]
    assert membership == {
        "name": PROGRAMME,
        "kind": "tandem",
        "role": "peer",
        "capacity": 2,
        "level": 3,
        "email": "t01@example.org",
    }
    [other] = engine.export(T02)["participant"]["programmes"]
    assert (other["capacity"], other["level"], other["email"]) == (None, None, None)


def test_erasure_leaves_the_email_address_nowhere(engine, tmp_path):
    address = "zauberpostfach-t01@example.org"
    engine.import_file(OPERATOR, _with_membership(tmp_path / "m.csv", address))
    stores = stores_of(engine)
    assert address in _all_values(stores)
    engine.erase(T01)
    assert address not in _all_values(stores)
    for path, data in _file_bytes(tmp_path / "data"):
        assert address.encode() not in data, path
    assert stores.db.count("memberships") > 0  # the others' memberships stay


# -- audit log --------------------------------------------------------------------------------


def test_audit_log_is_append_only_in_code_and_in_the_database(engine):
    stores = stores_of(engine)
    stores.audit.append(ADMIN.username, "test", "ok", detail={"n": 1})
    changers = ("update", "delete", "remove", "clear", "erase", "drop", "set")
    public = [name for name in dir(type(stores.audit)) if not name.startswith("_")]
    assert public == ["append", "rows", "verify"]  # verify only reads
    assert not [name for name in public if any(w in name for w in changers)]
    assert not [
        f"{type(store).__name__}.{name}"
        for store in vars(stores).values()
        for name in dir(type(store))
        if "audit" in name and any(w in name for w in changers)
    ]
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(SQLAlchemyError), stores.db.engine.begin() as con:
            con.execute(text(statement))
    assert engine.audit_log(ADMIN)[0].action == "test"


# -- retention --------------------------------------------------------------------------------


def test_retention_deletes_entries_of_ended_programmes_through_erasure(engine):
    stores = stores_of(engine)
    prog = stores.programmes.get(PROGRAMME)
    with stores.db.transaction() as tx:
        stores.programmes.upsert(tx, PROGRAMME, prog.kind, ends_on=date(2026, 3, 31))
    engine.themes(COORD, PROGRAMME)
    before = engine.run_retention(ADMIN, today=date(2027, 3, 30))
    assert before["programmes"] == []  # 12 months after the end are not over yet
    dry = engine.run_retention(ADMIN, today=date(2027, 3, 31), dry_run=True)
    assert dry["programmes"][0]["entries"] == 16 and stores.db.count("entries") == 16
    done = engine.run_retention(ADMIN, today=date(2027, 3, 31))
    removed = done["programmes"][0]["removed"]
    assert removed["entries"] == 16 and removed["vectors"] == 16 and removed["cache"] >= 16
    assert stores.db.count("entries") == 0 and stores.db.count("suggestions") == 0
    assert stores.db.count("theme_runs") == 0
    assert [r.action for r in engine.audit_log(ADMIN)[:2]] == ["retention.run"] * 2


def test_retention_months_are_per_programme(engine):
    stores = stores_of(engine)
    prog = stores.programmes.get(PROGRAMME)
    with stores.db.transaction() as tx:
        stores.programmes.upsert(
            tx, PROGRAMME, prog.kind, ends_on=date(2026, 3, 31), retention_months=3
        )
    report = engine.run_retention(ADMIN, today=date(2026, 6, 30), dry_run=True)
    assert report["programmes"][0]["delete_after"] == "2026-06-30"


@pytest.mark.skipif(on_postgres(), reason="the SQLite file format only")
def test_sqlite_file_is_scrubbed_after_erasure(engine, tmp_path):
    engine.erase(ADMIN, "x-99")
    db = tmp_path / "data" / "assistant.db"
    assert b"Zauberwortquark" not in db.read_bytes()


@pytest.mark.skipif(on_postgres(), reason="SQLite rebuilds tables in batch mode")
def test_migration_0003_up_and_down_keeps_programme_data(tmp_path):
    from alembic import command
    from alembic.config import Config

    from assistant.storage import make_engine, migrate

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
    stores = Stores.open(engine)
    assert stores.db.count("memberships") == 1
    assert stores.erasure.retention_due(date(2100, 1, 1)) == []
    with engine.begin() as con:
        config.attributes["connection"] = con
        command.downgrade(config, "0002")
    assert stores.db.count("memberships") == 1
    engine.dispose()
