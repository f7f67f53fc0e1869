"""Trust (issue #15): each test replays an attack the probe found and shows that it now fails.

Finding 1: an import overwrote consent, organisation and age band of existing people, and a
coordinator could pull another programme's participant into their own programme.
Finding 11: retention never applied to imported programmes (nothing set ``ends_on``).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from assistant.errors import AccessDenied, ImportRejectedError
from assistant.policy import Principal, operator
from tests.conftest import FIXTURES
from tests.unit.privacy_support import dispose_engines, make_assistant, stores_of

pytestmark = pytest.mark.postgres

OPERATOR = operator("cli:test")
PROGRAMME = "Testprogramm"


def person(pid: str) -> Principal:
    return Principal(pid, "participant", participant_id=pid, programmes=frozenset({PROGRAMME}))


def coordinator(*programmes: str) -> Principal:
    return Principal("koordination", "coordinator", programmes=frozenset(programmes))


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    engine = make_assistant(hashing_assistant, tmp_path / "data")
    engine.import_file(OPERATOR, FIXTURES / "programme.csv")
    yield engine
    dispose_engines()


def _rows(**changes: str) -> list[dict[str, str]]:
    with (FIXTURES / "programme.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [{**r, **changes} for r in rows]


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_reimport_keeps_a_withdrawn_consent_and_reports_it(engine):
    engine.set_consent(person("t-01"), "t-01", analysis=False, matching=False)
    report = engine.import_file(OPERATOR, FIXTURES / "programme.csv")  # the same file again
    stored = stores_of(engine).programmes.participant("t-01")
    assert stored is not None
    assert (stored.consent_analysis, stored.consent_matching) == (False, False)
    assert report.kept == {"t-01": ("consent_analysis", "consent_matching")}
    themed = engine.themes(OPERATOR, PROGRAMME).themes
    texts_of_t01 = {e.id for e in engine.entries(person("t-01"), PROGRAMME)}
    assert not texts_of_t01 & {i for c in themed.clusters for i in c.entry_ids}


def test_import_never_changes_organisation_or_age_band_of_a_known_person(engine, tmp_path):
    changed = _write(tmp_path / "changed.csv", _rows(organisation="Stadt Z", age_band="18-29"))
    report = engine.import_file(OPERATOR, changed)
    stored = stores_of(engine).programmes.participant("t-02")
    assert stored is not None and (stored.organisation, stored.age_band) == ("Stadt B", "30-39")
    assert set(report.kept["t-02"]) == {"organisation", "age_band"}


def test_import_records_the_first_consent_in_the_history_with_its_importer(engine):
    (first,) = stores_of(engine).programmes.consent_history("t-01")
    assert (first.analysis, first.matching, first.changed_by) == (True, True, "cli:test")


def test_coordinator_cannot_pull_another_programmes_participant_into_theirs(engine, tmp_path):
    row = {**_rows()[0], "programme": "Programm A", "entry_id": "a-001", "text": "Ich übernehme."}
    row.update(consent_analysis="true", consent_matching="true", organisation="Stadt A")
    upload = _write(tmp_path / "a.csv", [row]).read_bytes()
    with pytest.raises(ImportRejectedError) as refused:
        engine.import_upload(coordinator("Programm A"), "a.csv", upload, programme="Programm A")
    assert "another programme" in refused.value.rejects[0][1]
    stores = stores_of(engine)
    assert [p.name for p in stores.programmes.of_participant("t-01")] == [PROGRAMME]
    assert stores.entries.by_id(["a-001"]) == []


def test_coordinator_of_both_programmes_may_import_a_shared_participant(engine, tmp_path):
    row = {**_rows()[0], "programme": "Programm A", "entry_id": "a-001", "text": "Ich übernehme."}
    upload = _write(tmp_path / "a.csv", [row]).read_bytes()
    who = coordinator("Programm A", PROGRAMME)
    report = engine.import_upload(who, "a.csv", upload, programme="Programm A")
    assert report.imported == 1
    names = [p.name for p in stores_of(engine).programmes.of_participant("t-01")]
    assert names == ["Programm A", PROGRAMME]


def test_import_sets_the_end_of_its_programmes_and_retention_then_applies(engine):
    engine.import_file(OPERATOR, FIXTURES / "programme.csv", ends_on=date(2026, 3, 31))
    programme = stores_of(engine).programmes.get(PROGRAMME)
    assert programme is not None and programme.ends_on == date(2026, 3, 31)
    due = engine.run_retention(OPERATOR, today=date(2027, 4, 1), dry_run=True)
    assert [p["programme"] for p in due["programmes"]] == [PROGRAMME]


# -- finding 3: below k, no keywords, labels, sizes, sentences or months -----------------------


def test_nothing_of_a_cluster_below_k_is_shown_anywhere(engine):
    engine.k = 1
    raw = engine.themes(OPERATOR, PROGRAMME).themes
    small = [c for c in raw.clusters if c.id != "other" and c.size < 5 and c.keywords]
    assert small  # the attack surface exists: small clusters with their own keywords
    engine.k = 5
    shown = engine.themes(coordinator(PROGRAMME), PROGRAMME).themes
    visible = {c.id for c in shown.clusters}
    assert all(c.size >= 5 for c in shown.clusters if c.id != "other")
    assert not visible & {c.id for c in small}
    for cluster in shown.clusters:
        if cluster.id == "other":
            assert (cluster.keywords, cluster.sentences) == ((), ())
            assert cluster.label == f"Sonstiges ({cluster.n_entries})"
    small_words = {w for c in small for w in (*c.keywords, c.label)}
    assert not small_words & {w for c in shown.clusters for w in (*c.keywords, c.label)}
    months = engine.themes_over_time(coordinator(PROGRAMME), PROGRAMME, "month")
    assert {cluster for _, cluster, _ in months} <= visible
    moderator = Principal("mod", "moderator", groups=frozenset({(PROGRAMME, "Gruppe Eins")}))
    _, topics = engine.forum(moderator, "Gruppe Eins", PROGRAMME)
    assert not {t.id for t in topics if t.emerging} - visible
    assert not {t.label for t in topics} & {c.label for c in small if c.emerging}


# -- finding 5: erasure clean-up that is checked, retried and reported ------------------------


def test_erasure_reports_a_clean_up_blocked_by_a_reader_and_a_later_scrub_completes(engine):
    from tests.unit.privacy_support import on_postgres

    if on_postgres():
        pytest.skip("the write-ahead-log clean-up is SQLite's")
    import sqlite3

    stores = stores_of(engine)
    path = stores.db.engine.url.database
    secret = "Barrierefreiheit unserer PDF-Formulare für Screenreader verbessern."
    reader = sqlite3.connect(path)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM entries").fetchall()  # holds an old snapshot
        counts = engine.erase(OPERATOR, "t-02")
        assert counts["entries"] == 2 and counts["scrubbed"] == 0  # said, not hidden
    finally:
        reader.close()
    assert stores.db.scrub() is True
    assert secret.encode() not in Path(path).read_bytes()
    assert (
        not Path(f"{path}-wal").exists() or secret.encode() not in Path(f"{path}-wal").read_bytes()
    )


def test_erasure_without_readers_reports_a_complete_clean_up(engine):
    assert engine.erase(OPERATOR, "t-02")["scrubbed"] == 1


# -- finding 13 (part): the erasure digest is keyed, the key readable by its owner only -------


def test_erasure_digest_cannot_be_recomputed_without_the_data_folders_key(engine):
    import hashlib
    import secrets
    import stat

    from assistant.services.privacy import erasure_digest

    engine.erase(OPERATOR, "t-03")
    (row,) = [r for r in stores_of(engine).audit.rows() if r.action == "self.erase"]
    plain = "erased:" + hashlib.sha256(b"t-03").hexdigest()[:16]  # the old, guessable form
    assert row.subject != plain and "t-03" not in row.subject
    assert row.subject == engine.erasure_digest(OPERATOR, "t-03")
    assert erasure_digest("t-03", secrets.token_bytes(32)) != row.subject  # another key
    key = engine.settings.secret_key_path
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    with pytest.raises(AccessDenied):
        engine.erasure_digest(coordinator(PROGRAMME), "t-03")


# -- finding 4: consent, erasure and imports reach every running process ----------------------


def test_a_change_in_one_process_reaches_the_peer_index_of_another(engine, tmp_path):
    from tests.unit.privacy_support import second_process

    app = engine
    cli = second_process(engine)  # e.g. the command line beside a running app
    before = {m.participant_id for m in app.peers(person("t-01"), programme=PROGRAMME, k=10).peers}
    assert {"t-02", "t-03"} <= before  # the app's index is built and holds both
    cli.set_consent(OPERATOR, "t-02", matching=False)
    cli.erase(OPERATOR, "t-03")
    after = {m.participant_id for m in app.peers(person("t-01"), programme=PROGRAMME, k=10).peers}
    assert "t-02" not in after and "t-03" not in after
    row = {**_rows()[0], "participant_id": "t-09", "entry_id": "t-090", "organisation": "Stadt Q"}
    row["text"] = "Ich möchte mehr Follower für unser Amt auf Instagram gewinnen."
    cli.import_file(OPERATOR, _write(tmp_path / "new.csv", [row]))
    grown = {m.participant_id for m in app.peers(person("t-01"), programme=PROGRAMME, k=10).peers}
    assert "t-09" in grown


# -- finding 2: k is not beaten with made-up participants ------------------------------------


def _fakes(n: int) -> list[dict[str, str]]:
    """Rows a coordinator could write from a small cluster's visible keywords."""
    base = _rows()[0]
    return [
        {
            **base,
            "participant_id": f"fake-{i}",
            "entry_id": f"fake-{i:03d}",
            "organisation": f"Stadt F{i}",
            "text": f"Wir wollen auf Instagram mehr Follower und jede Woche {i + 2} Posts planen.",
        }
        for i in range(n)
    ]


def test_made_up_participants_do_not_open_a_cluster_below_k(engine, tmp_path):
    engine.k = 5
    social = [
        c for c in engine.themes(OPERATOR, PROGRAMME).themes.clusters if c.id == "social_media"
    ]
    assert social == []  # 3 genuine people: folded away
    upload = _write(tmp_path / "fakes.csv", _fakes(3)).read_bytes()
    boss = coordinator(PROGRAMME)
    engine.import_upload(boss, "fakes.csv", upload, programme=PROGRAMME)
    raw = engine._services().theming.run(PROGRAMME).themes  # what was computed, unshown
    assert any(c.id == "social_media" and c.size >= 5 for c in raw.clusters)  # the attack
    shown = engine.themes(boss, PROGRAMME).themes
    assert "social_media" not in {c.id for c in shown.clusters}  # still nothing of t-01's words
    victim = "mehr Follower für unser Amt auf Instagram"
    assert not any(victim in s for c in shown.clusters for s in c.sentences)
    with pytest.raises(AccessDenied):  # the coordinator may not vouch for their own fakes
        engine.confirm_roster(boss, PROGRAMME)
    assert engine.confirm_roster(operator("cli:admin"), PROGRAMME) == 3
    assert "social_media" in {c.id for c in engine.themes(boss, PROGRAMME).themes.clusters}


def test_a_participant_who_signs_in_counts_toward_k(engine, tmp_path):
    upload = _write(tmp_path / "one.csv", _fakes(1)).read_bytes()
    engine.import_upload(coordinator(PROGRAMME), "one.csv", upload, programme=PROGRAMME)
    stores = stores_of(engine)
    assert stores.programmes.participant("fake-0").confirmed is False
    password = engine.add_user(OPERATOR, "f0", "participant", participant_id="fake-0")
    engine.authenticate("f0", password)
    assert stores.programmes.participant("fake-0").confirmed is True
    assert stores.programmes.participant("t-01").confirmed is True  # imported by the operator


# -- finding 9: an audit log that a database user cannot alter unnoticed -----------------------


def _tamper(engine, *statements: str) -> None:
    """What the probe did as the database user: drop the guards, then change the log.

    On PostgreSQL as the audit log's owner: where that is not the app's role
    (``test_pg_audit``), only its owner or a superuser can drop the guards.
    """
    from sqlalchemy import create_engine, text

    from tests.unit.privacy_support import OPEN_ENGINES, admin_db_url

    db = stores_of(engine).db.engine
    if db.dialect.name != "sqlite":
        db = create_engine(admin_db_url())
        OPEN_ENGINES.append(db)
    with db.begin() as con:
        if db.dialect.name == "sqlite":
            con.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
            con.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
        else:
            con.execute(text("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log"))
        for statement in statements:
            con.execute(text(statement))


def test_audit_chain_is_intact_after_normal_use(engine):
    engine.set_consent(person("t-01"), "t-01", matching=False)
    engine.erase(OPERATOR, "t-03")
    check = engine.verify_audit(OPERATOR)
    # every row so far, the verification's own row (written after the check) aside
    assert check.intact and check.rows == len(stores_of(engine).audit.rows()) - 1 == 3


@pytest.mark.parametrize(
    ("attack", "reason"),
    [
        ("UPDATE audit_log SET actor = 'someone-else' WHERE id = {middle}", "altered"),
        ("DELETE FROM audit_log WHERE id = {middle}", "altered"),
        ("DELETE FROM audit_log WHERE id >= {last}", "missing"),
        ("DELETE FROM audit_log", "missing"),
        (
            "INSERT INTO audit_log (at, actor, action, outcome, detail) "
            "VALUES ('2026-01-01 00:00:00', 'ghost', 'signin', 'ok', '{{}}')",
            "unchained",
        ),
    ],
)
def test_a_changed_audit_log_is_detected_at_its_first_broken_row(engine, attack, reason):
    engine.set_consent(person("t-01"), "t-01", matching=False)
    engine.set_consent(person("t-01"), "t-01", matching=True)
    engine.audit_log(OPERATOR)
    ids = sorted(r.id for r in stores_of(engine).audit.rows())
    assert len(ids) >= 4
    middle, last = ids[len(ids) // 2], ids[-1]
    _tamper(engine, attack.format(middle=middle, last=last))
    check = engine.verify_audit(OPERATOR)
    assert (check.intact, check.reason) == (False, reason)
    if reason == "altered":
        assert check.first_broken in (middle, ids[ids.index(middle) + 1])


# -- finding 12 (part): pool and cluster text is shown as written, never as Markdown -----------


@pytest.mark.parametrize(
    "written",
    [
        "[Hier klicken](https://example.org/phish)",
        "![Bild](https://tracker.example.org/pixel.png)",
        "<img src=x onerror=alert(1)>",
        "**laut** _leise_ `code` # Überschrift",
        "https://example.org",
    ],
)
def test_people_written_text_never_becomes_a_link_an_image_or_markup(written):
    import re

    from assistant.texts import plain

    shown = plain(written)
    unescaped = re.sub(r"\\(.)", "", shown)  # what Markdown would still interpret
    assert not set(unescaped) & set("[]()!<>*_`#:")
    assert re.sub(r"\\(.)", r"\1", shown) == written  # and it reads exactly as written
