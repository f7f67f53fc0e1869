"""Import → peers → themes → forum → erase through the console script (hashing, mini pool)."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.invoke import in_process, via_script
from tests.conftest import FIXTURES

PROGRAMME_CSV = FIXTURES / "programme.csv"


def run(script, env, *args):
    """In-process through main(); ``script`` is kept for the calls that use the real script."""
    return in_process(env, *args)


def run_json(script, env, *args):
    code, out, err = run(script, env, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def script_json(script, env, *args):
    code, out, err = via_script(script, env, *args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def env(cli_env, tmp_path):
    """A fresh database per test; the fitted suggester cache is shared."""
    return dict(cli_env, ASSISTANT_DB_URL=f"sqlite:///{tmp_path / 'db.sqlite'}")


@pytest.fixture(scope="module")
def shared(console_script, cli_env, tmp_path_factory):
    """One imported database for the tests that only read (CLI calls cost seconds each)."""
    path = tmp_path_factory.mktemp("shared") / "db.sqlite"
    env = dict(cli_env, ASSISTANT_DB_URL=f"sqlite:///{path}")
    report = script_json(console_script, env, "import", str(PROGRAMME_CSV))
    assert report["imported"] == 12
    return env


@pytest.fixture
def imported(console_script, env):
    """A freshly imported database of its own, for tests that write."""
    report = run_json(console_script, env, "import", str(PROGRAMME_CSV))
    assert report["imported"] == 12
    return env


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def base_rows() -> list[dict[str, str]]:
    with PROGRAMME_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_import_is_idempotent(console_script, shared):
    again = run_json(console_script, shared, "import", str(PROGRAMME_CSV))
    assert (again["imported"], again["unchanged"]) == (0, 12)


def test_import_jsonl_and_xlsx_give_the_same_entries(console_script, env, tmp_path):
    from openpyxl import Workbook

    rows = base_rows()
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows[:6]), encoding="utf-8"
    )
    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows[6:]:
        sheet.append(list(row.values()))
    book.save(tmp_path / "in.xlsx")
    assert run_json(console_script, env, "import", str(jsonl))["imported"] == 6
    assert run_json(console_script, env, "import", str(tmp_path / "in.xlsx"))["imported"] == 6
    assert run_json(console_script, env, "import", str(PROGRAMME_CSV))["unchanged"] == 12


def test_import_with_invalid_rows_imports_nothing_and_reports_every_line(
    console_script, env, tmp_path
):
    rows = base_rows()
    rows[2]["role"] = "chef"
    rows[4]["created_at"] = "31.02.2026"
    rows[6]["text"] = "   "
    path = write_csv(tmp_path / "bad.csv", rows)
    code, out, err = run(console_script, env, "import", str(path))
    assert code == 1 and out == ""
    assert "3 invalid row(s); nothing was imported" in err
    assert "line 4: role must be one of mentee, mentor, peer" in err
    assert "line 6: created_at must be a date" in err
    assert "line 8: text: the text is empty" in err
    code, _, err = run(console_script, env, "peers", "t-01")
    assert code == 1 and "Unknown participant 't-01'" in err


def test_import_skip_invalid_writes_rejects_with_reasons(console_script, env, tmp_path):
    rows = base_rows()
    rows[0]["kind"] = "wish"
    path = write_csv(tmp_path / "some-bad.csv", rows)
    rejects = tmp_path / "rejects.csv"
    report = run_json(
        console_script, env, "import", str(path), "--skip-invalid", "--rejects", str(rejects)
    )
    assert report["imported"] == 11 and report["rejected"][0]["line"] == 2
    with rejects.open(encoding="utf-8-sig") as handle:
        written = list(csv.DictReader(handle))
    assert written[0]["line"] == "2" and "kind must be one of" in written[0]["reason"]
    assert written[0]["entry_id"] == "t-001"


def test_import_into_a_chosen_programme_refuses_a_row_of_another(console_script, env, tmp_path):
    """Issue #14: a row naming another programme was silently moved into the chosen one."""
    rows = base_rows()
    rows[1]["programme"] = "Anderes Programm"
    for r in rows[2:]:
        r["programme"] = ""  # an empty cell takes the chosen programme
    path = write_csv(tmp_path / "mixed.csv", rows)
    code, out, err = run(console_script, env, "import", str(path), "--programme", "Testprogramm")
    assert code == 1 and out == ""
    assert "1 invalid row(s); nothing was imported" in err
    assert "line 3: programme 'Anderes Programm' differs from the chosen programme" in err
    report = run_json(
        console_script, env, "import", str(path), "--programme", "Testprogramm", "--skip-invalid"
    )
    assert report["imported"] == 11 and report["programmes"] == ["Testprogramm"]


def with_membership(rows: list[dict[str, str]], **values: str) -> list[dict[str, str]]:
    """``rows`` with the membership columns, given for t-01 and empty for the others."""
    empty = dict.fromkeys(("capacity", "level", "email"), "")
    return [{**r, **empty, **(values if r["participant_id"] == "t-01" else {})} for r in rows]


def test_import_reports_changed_membership_values_through_the_script(
    console_script, imported, tmp_path
):
    given = with_membership(base_rows(), capacity="2", level="3", email="t01@example.org")
    first = run_json(console_script, imported, "import", str(write_csv(tmp_path / "a.csv", given)))
    assert first["changed"] == [{"participant": "t-01", "fields": ["capacity", "level", "email"]}]
    again = with_membership(base_rows(), capacity="1")
    report = script_json(
        console_script, imported, "import", str(write_csv(tmp_path / "b.csv", again))
    )
    assert (report["imported"], report["unchanged"]) == (0, 12)
    assert report["changed"] == [{"participant": "t-01", "fields": ["capacity"]}]
    assert report["kept"] == []
    exported = run_json(console_script, imported, "export", "t-01")
    [membership] = exported["participant"]["programmes"]
    assert (membership["capacity"], membership["level"]) == (1, 3)
    assert membership["email"] == "t01@example.org"
    code, out, _ = run(
        console_script, imported, "import", str(write_csv(tmp_path / "c.csv", given))
    )
    assert code == 0 and "Bei 1 bereits bekannten Person wurden Kapazität" in out


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("capacity", "-1", "line 3: capacity must be a whole number from 0 to 999, got '-1'"),
        ("capacity", "1.5", "line 3: capacity must be a whole number from 0 to 999, got '1.5'"),
        ("level", "x", "line 3: level must be a whole number from -999 to 999, got 'x'"),
        ("email", "t01-at-example.org", "line 3: email must be one address like"),
    ],
)
def test_import_bad_membership_value_exits_1_and_stores_nothing(
    console_script, env, tmp_path, column, value, message
):
    rows = with_membership(base_rows())
    rows[1][column] = value
    code, out, err = run(console_script, env, "import", str(write_csv(tmp_path / "bad.csv", rows)))
    assert code == 1 and out == ""
    assert "1 invalid row(s); nothing was imported" in err and message in err
    code, _, err = run(console_script, env, "peers", "t-01")
    assert code == 1 and "Unknown participant 't-01'" in err


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("programme,participant_id,role,organisation,wish,kind,text", "unknown column(s): wish"),
        (
            "programme,participant_id,role,kind,consent_analysis,consent_matching",
            "missing column(s): text",
        ),
    ],
)
def test_import_wrong_columns_are_refused(console_script, env, tmp_path, header, message):
    path = tmp_path / "cols.csv"
    path.write_text(header + "\nA,p1,peer,goal,true,true,Text\n", encoding="utf-8")
    code, _, err = run(console_script, env, "import", str(path))
    assert code == 1 and message in err and "Expected columns: programme, participant_id" in err


def test_import_same_id_with_other_content_is_refused(console_script, shared, tmp_path):
    rows = base_rows()
    rows[0]["text"] = "Ganz anderer Inhalt unter derselben entry_id."
    code, _, err = run(console_script, shared, "import", str(write_csv(tmp_path / "x.csv", rows)))
    assert code == 1 and "entry_id t-001 exists with other content" in err


def test_import_file_with_invalid_utf8_names_the_line(console_script, env, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        PROGRAMME_CSV.read_bytes().replace("möchte".encode(), "m\xf6chte".encode("latin-1"))
    )
    code, _, err = run(console_script, env, "import", str(path))
    assert code == 1 and "line 2 is not valid UTF-8" in err


def test_peers_contract_consent_and_shared_topics(console_script, shared):
    data = script_json(console_script, shared, "peers", "t-01", "--top", "5")
    assert data["participant"] == "t-01"
    peers = [p["participant"] for p in data["peers"]]
    assert "t-01" not in peers and "t-04" not in peers  # self; t-04 withheld matching consent
    assert peers[0] in {"t-02", "t-06"}  # the other Instagram goals
    assert data["peers"][0]["shared_topics"] == ["social_media"]
    assert all({"participant", "score", "shared_topics", "reason"} == set(p) for p in data["peers"])
    scores = [p["score"] for p in data["peers"]]
    assert all(0 <= s <= 1 for s in scores)


def test_peers_refused_without_matching_consent(console_script, shared):
    code, _, err = run(console_script, shared, "peers", "t-04")
    assert code == 1 and "has not consented to matching" in err


def test_themes_cover_consenting_entries_only_and_are_stable(console_script, imported):
    first = run_json(console_script, imported, "themes", "--programme", "Testprogramm")
    second = run_json(console_script, imported, "themes", "--programme", "Testprogramm")
    covered = {e for c in first["clusters"] for e in c["entries"]}
    assert "t-009" not in covered  # t-05 did not consent to analysis
    assert covered == {f"t-{i:03d}" for i in range(1, 13)} - {"t-009", "t-011"}
    assert first["boilerplate"] == 1  # "keine"
    assert first["computed"] is True and second["computed"] is False
    assert [c["id"] for c in first["clusters"]] == [c["id"] for c in second["clusters"]]
    assert all(c["sentences"] == [] for c in first["clusters"] if c["size"] < 5)
    assert not any(c["id"] == "-1" or c["label"].startswith("-1") for c in first["clusters"])


def test_themes_of_a_tiny_programme_say_too_few(console_script, env, tmp_path):
    rows = [r for r in base_rows() if r["entry_id"] == "t-001"]
    run_json(console_script, env, "import", str(write_csv(tmp_path / "one.csv", rows)))
    data = run_json(console_script, env, "themes", "--programme", "Testprogramm")
    assert (
        data["too_few"] is True and data["clusters"] == [] and data["message"] == "zu wenige Texte"
    )


def test_unknown_programme_lists_known_ones(console_script, shared):
    code, _, err = run(console_script, shared, "themes", "--programme", "Nope")
    assert code == 1 and "Unknown programme 'Nope'. Known programmes: Testprogramm." in err


def test_forum_ranks_by_members_and_remembers_choices(console_script, imported):
    data = run_json(console_script, imported, "forum", "--group", "Gruppe Eins")
    top = data["topics"][0]
    assert top["id"] == "social_media" and top["members"] == 2 and top["prompts"]
    assert [t["members"] for t in data["topics"]] == sorted(
        (t["members"] for t in data["topics"]), reverse=True
    )
    chosen = run_json(
        console_script,
        imported,
        "forum",
        "choose",
        "--group",
        "Gruppe Eins",
        "--topic",
        "social_media",
        "--date",
        "2026-04-01",
    )
    assert chosen["added"] is True
    again = run_json(console_script, imported, "forum", "--group", "Gruppe Eins")
    assert again["topics"][0]["discussed"] == ["2026-04-01"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("forum", "--group", "Gruppe Drei"),
            "Unknown peer group 'Gruppe Drei'. Known groups: Gruppe Eins, Gruppe Zwei",
        ),
        (
            (
                "forum",
                "choose",
                "--group",
                "Gruppe Eins",
                "--topic",
                "budget",
                "--date",
                "2026-04-01",
            ),
            "Unknown topic 'budget'",
        ),
        (
            (
                "forum",
                "choose",
                "--group",
                "Gruppe Eins",
                "--topic",
                "conflict",
                "--date",
                "01.04.2026",
            ),
            "--date must look like",
        ),
        (("peers", "ghost"), "Unknown participant 'ghost'"),
        (("erase", "ghost"), "Unknown participant 'ghost'"),
    ],
)
def test_programme_commands_refuse_bad_input_clearly(console_script, shared, args, message):
    code, _, err = run(console_script, shared, *args)
    assert code in (1, 2) and message in err and "Traceback" not in err


def test_erase_leaves_no_trace(console_script, imported, tmp_path):
    script_json(console_script, imported, "themes", "--programme", "Testprogramm")
    data = script_json(console_script, imported, "erase", "t-03")
    assert data["removed"]["entries"] == 2 and data["removed"]["participants"] == 1
    secret = "Barrierefreie PDF-Formulare und Screenreader waren heute Thema"
    for path in tmp_path.glob("db.sqlite*"):
        assert secret.encode() not in path.read_bytes(), path.name
    with sqlite3.connect(tmp_path / "db.sqlite") as con:
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            dump = json.dumps(con.execute(f'SELECT * FROM "{table}"').fetchall(), default=str)
            assert "t-03" not in dump and "t-005" not in dump, table
    from assistant.nlp.cache import cache_key

    erased = [r["text"] for r in base_rows() if r["participant_id"] == "t-03"]
    # t-005 has two sentences: each was embedded and cached on its own as well.
    sentences = ["Streit im Team eskaliert ständig.", "Ich will Konflikte lösen."]
    keys = [cache_key("hashing-char-3-5-512", t) for t in [*erased, *sentences]]
    with sqlite3.connect(
        Path(imported["ASSISTANT_DATA_DIR"]) / "cache" / "embeddings.sqlite"
    ) as con:
        marks = ",".join("?" * len(keys))
        assert con.execute(
            f"SELECT COUNT(*) FROM vectors WHERE key IN ({marks})", keys
        ).fetchone() == (0,)
    assert data["removed"]["cache"] >= 2
    peers = run_json(console_script, imported, "peers", "t-01")
    assert "t-03" not in [p["participant"] for p in peers["peers"]]
    themes = run_json(console_script, imported, "themes", "--programme", "Testprogramm")
    assert not {"t-005", "t-006"} & {e for c in themes["clusters"] for e in c["entries"]}


def test_read_only_database_is_a_clear_error(console_script, imported, tmp_path):
    url = f"sqlite:///file:{tmp_path / 'db.sqlite'}?mode=ro&uri=true"
    code, _, err = run(
        console_script, dict(imported, ASSISTANT_DB_URL=url), "import", str(PROGRAMME_CSV)
    )
    assert code == 1 and "read-only" in err and "Traceback" not in err


def test_locked_database_is_a_clear_error(console_script, imported, tmp_path):
    holder = sqlite3.connect(tmp_path / "db.sqlite")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        url = f"sqlite:///{tmp_path / 'db.sqlite'}?timeout=1"
        code, _, err = run(console_script, dict(imported, ASSISTANT_DB_URL=url), "erase", "t-01")
    finally:
        holder.rollback()
        holder.close()
    assert code == 1 and "locked" in err and "Traceback" not in err
    peers = run_json(console_script, imported, "peers", "t-02")
    assert "t-01" in [p["participant"] for p in peers["peers"]]  # nothing half-erased


def test_themes_over_time_by_quarter(console_script, shared):
    data = run_json(
        console_script, shared, "themes", "--programme", "Testprogramm", "--period", "quarter"
    )
    periods = {row["period"] for row in data["over_time"]}
    assert periods == {"2026-Q1"}  # all fixture entries lie in February and March
    assert sum(row["entries"] for row in data["over_time"]) == sum(
        c["n_entries"] for c in data["clusters"]
    )


def test_programme_without_consenting_entries_says_too_few(console_script, env, tmp_path):
    rows = base_rows()
    for row in rows:
        row["consent_analysis"] = "false"
    run_json(console_script, env, "import", str(write_csv(tmp_path / "none.csv", rows)))
    data = run_json(console_script, env, "themes", "--programme", "Testprogramm")
    assert data["too_few"] is True and data["clusters"] == [] and data["n_entries"] == 0
    forum = run_json(console_script, env, "forum", "--group", "Gruppe Eins")
    assert forum["topics"] == []


def test_analyses_of_another_model_are_recomputed_not_mixed(console_script, imported):
    other = dict(imported, ASSISTANT_HASHING_DIMENSION="256")  # another model id
    data = run_json(console_script, other, "peers", "t-01")
    assert data["peers"][0]["participant"] in {"t-02", "t-06"}
    themes = run_json(console_script, other, "themes", "--programme", "Testprogramm")
    assert {e for c in themes["clusters"] for e in c["entries"]} >= {"t-001", "t-003", "t-010"}


def test_unexpected_errors_are_one_clear_line(console_script, shared, monkeypatch):
    from assistant.services.peering import Peering

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Peering, "find_peers", broken)
    code, _, err = run(console_script, shared, "peers", "t-01")
    assert (
        code == 1 and "unexpected internal error (RuntimeError)" in err and "Traceback" not in err
    )


def test_read_commands_are_audited_and_small_clusters_show_no_sentences(
    console_script, env, tmp_path
):
    # Two more people with Instagram goals: social media gathers 5 people, the others 3.
    extra = [
        dict(row, participant_id=pid, entry_id=eid, kind="goal", text=text, group="Gruppe Zwei")
        for row in base_rows()[:1]
        for pid, eid, text in (
            ("t-07", "t-013", "Wir wollen auf Instagram mehr Follower und regelmäßig Posts."),
            ("t-08", "t-014", "Mehr Reichweite für unsere Posts auf Instagram und Stories."),
        )
    ]
    path = write_csv(tmp_path / "more.csv", base_rows() + extra)
    assert run_json(console_script, env, "import", str(path))["imported"] == 14
    k4 = dict(env, ASSISTANT_K_MIN_CLUSTER="4")
    data = run_json(console_script, k4, "themes", "--programme", "Testprogramm")
    by_size = {c["id"]: (c["size"], c["sentences"]) for c in data["clusters"]}
    assert by_size["social_media"][0] == 5 and by_size["social_media"][1]  # ≥ k: sentences
    assert all(c["size"] >= 4 for c in data["clusters"] if c["id"] != "other")
    # clusters of fewer than k people fold into "Sonstiges": no keywords, no sentences
    (rest,) = [c for c in data["clusters"] if c["id"] == "other"]
    assert rest["entries"] and rest["keywords"] == [] and rest["sentences"] == []
    run_json(console_script, env, "peers", "t-01")
    audit = run_json(console_script, env, "audit")["audit"]
    reads = [(r["action"], r["programme"], r["subject"]) for r in audit[:3]]
    assert reads == [  # newest first
        ("peers.view", "Testprogramm", "t-01"),
        ("themes.view", "Testprogramm", None),
        ("programme.import", None, None),
    ]
    assert all(r["actor"].startswith("cli:") and r["outcome"] == "ok" for r in audit[:3])


def test_reprocess_completes_pending_entries(console_script, imported, tmp_path):
    assert run_json(console_script, imported, "reprocess") == {"reprocessed": 0, "entries": []}
    with sqlite3.connect(tmp_path / "db.sqlite") as con:  # what a crash mid-import leaves
        con.execute("UPDATE entries SET status = 'pending' WHERE id IN ('t-003', 't-010')")
    data = run_json(console_script, imported, "reprocess")
    assert data == {"reprocessed": 2, "entries": ["t-003", "t-010"]}
    code, out, err = in_process(imported, "reprocess")
    assert (code, out) == (0, "0 offene Einträge analysiert.\n"), err
    (row, *_) = run_json(console_script, imported, "audit")["audit"]
    assert (row["action"], row["actor"][:4], row["detail"]) == (
        "entries.reprocess",
        "cli:",
        {"entries": 0},
    )
    peers = run_json(console_script, imported, "peers", "t-01")
    assert {"t-02", "t-06"} <= {p["participant"] for p in peers["peers"]}


def test_rejects_go_to_the_owner_only_data_folder_formula_safe_and_leave_with_an_erasure(
    console_script, env, tmp_path
):
    import stat

    data = tmp_path / "data"
    env = dict(env, ASSISTANT_DATA_DIR=str(data))
    rows = base_rows()
    rows[0].update(kind="wish", text='=HYPERLINK("http://example.org","Klick")')
    path = write_csv(tmp_path / "some-bad.csv", rows)
    report = run_json(console_script, env, "import", str(path), "--skip-invalid")
    rejects = Path(report["rejects_file"])
    assert rejects.parent == data / "rejects"  # not beside the upload: within erasure's reach
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == stat.S_IMODE(rejects.parent.stat().st_mode) == 0o700
    with rejects.open(encoding="utf-8-sig") as handle:
        (written,) = list(csv.DictReader(handle))
    assert written["text"] == "'" + rows[0]["text"]  # a spreadsheet shows it, never runs it
    removed = run_json(console_script, env, "erase", "t-01")["removed"]
    assert removed["files"] == 1 and not rejects.exists()
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in data.rglob("*")}
    assert "secret.key" in modes and "audit.key" in modes  # written by the erasure's audit row
    assert all(mode in (0o600, 0o700) for mode in modes.values()), modes
