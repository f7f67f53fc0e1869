"""user, consent, export, audit, retention and audited erase on the command line."""

from __future__ import annotations

import json

import pytest

from assistant.config import load_settings
from assistant.factory import build_assistant
from assistant.policy import operator
from tests.cli.invoke import in_process, via_script
from tests.conftest import FIXTURES
from tests.unit.privacy_support import stores_of


def run_json(env, *args):
    code, out, err = in_process(env, *args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def env(cli_env, tmp_path):
    env = dict(cli_env, ASSISTANT_DB_URL=f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert run_json(env, "import", str(FIXTURES / "programme.csv"))["imported"] == 12
    return env


def test_user_add_prints_the_password_once_and_it_signs_in(env):
    made = run_json(env, "user", "add", "anna", "--role", "participant", "--participant", "t-01")
    assert made["username"] == "anna" and len(made["password"]) >= 20
    listed = run_json(env, "user", "list")["users"]
    assert [(u["username"], u["role"], u["participant"]) for u in listed] == [
        ("anna", "participant", "t-01")
    ]
    assert made["password"] not in json.dumps(listed) and "argon2" not in json.dumps(listed)
    engine = build_assistant(load_settings(env))
    assert engine.authenticate("anna", made["password"]).programmes == {"Testprogramm"}
    audit = run_json(env, "audit")["audit"]
    (added,) = [r for r in audit if r["action"] == "user.add"]
    assert added["actor"].startswith("cli:") and added["subject"] == "anna"


def test_user_add_with_groups_and_programmes_and_role_change(env):
    run_json(env, "user", "add", "mo", "--role", "moderator", "--group", "Testprogramm:Gruppe Eins")
    run_json(env, "user", "role", "mo", "--role", "coordinator", "--programme", "Testprogramm")
    (user,) = run_json(env, "user", "list")["users"]
    assert (user["role"], user["programmes"], user["groups"]) == (
        "coordinator",
        ["Testprogramm"],
        [],
    )
    actions = [(r["action"], r["actor"][:4]) for r in run_json(env, "audit")["audit"]]
    # newest first: the listing (audited too), the role change, the account's creation
    assert actions[:3] == [("users.manage", "cli:"), ("user.role", "cli:"), ("user.add", "cli:")]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("user", "add", "x", "--role", "participant"), 1, "needs exactly a participant id"),
        (("user", "add", "x", "--role", "king"), 2, "invalid choice"),
        (("user", "add", "x", "--role", "moderator", "--group", "ohne"), 1, "PROGRAMME:GROUP"),
        (("consent", "t-01"), 2, "--analysis yes|no"),
        (("consent", "ghost", "--analysis", "no"), 1, "Unknown participant 'ghost'"),
        (("export", "t-01' OR '1'='1"), 1, "Unknown participant"),
        (("retention", "run", "--today", "31.01.2027"), 2, "--today must look like"),
    ],
)
def test_privacy_commands_refuse_bad_input_clearly(env, args, code, message):
    got, _, err = in_process(env, *args)
    assert got == code and message in err and "Traceback" not in err


def test_consent_change_shows_in_export_and_audit(env):
    data = run_json(env, "consent", "t-01", "--analysis", "no")
    assert data == {"participant": "t-01", "analysis": False, "matching": True}
    export = run_json(env, "export", "t-01")
    assert export["participant"]["consent_analysis"] is False
    # the first consent (given with the import that created them), then the withdrawal
    assert [h["analysis"] for h in export["consent_history"]] == [True, False]
    assert {e["id"] for e in export["entries"]} == {"t-001", "t-002"}
    actions = [r["action"] for r in run_json(env, "audit")["audit"]]
    assert actions[:2] == ["self.export", "consent.change"]


def test_retention_dry_run_then_run(env):
    engine = build_assistant(load_settings(env))
    from datetime import date

    stores = stores_of(engine)
    with stores.db.transaction() as tx:
        stores.programmes.upsert(tx, "Testprogramm", "tandem", ends_on=date(2026, 3, 31))
    dry = run_json(env, "retention", "run", "--dry-run", "--today", "2027-04-01")
    assert dry["dry_run"] and dry["programmes"][0]["entries"] == 12
    done = run_json(env, "retention", "run", "--today", "2027-04-01")
    assert done["programmes"][0]["removed"]["entries"] == 12
    assert run_json(env, "audit", "--limit", "1")["audit"][0]["action"] == "retention.run"
    assert run_json(env, "export", "t-01")["entries"] == []


def test_erase_and_audit_through_the_console_script(console_script, env):
    code, out, err = via_script(console_script, env, "erase", "t-03", "--json")
    assert code == 0, err
    assert json.loads(out)["removed"]["entries"] == 2
    code, out, err = in_process(env, "audit", "--json")
    assert code == 0, err
    rows = json.loads(out)["audit"]
    assert [r["action"] for r in rows] == ["self.erase", "programme.import"]  # newest first
    row = rows[0]
    assert row["actor"].startswith("cli:") and row["subject"] == build_assistant(
        load_settings(env)
    ).erasure_digest(operator("t"), "t-03")
    assert "t-03" not in out  # the log proves the erasure without keeping the id


def test_user_add_through_the_console_script_prints_german_text(console_script, env):
    code, out, err = via_script(console_script, env, "user", "add", "admin2", "--role", "admin")
    assert code == 0, err
    assert out.startswith("Konto admin2 (admin) angelegt.") and "nur jetzt" in out


def test_import_with_ends_on_makes_the_programme_due_for_retention(env):
    report = run_json(env, "import", str(FIXTURES / "programme.csv"), "--ends-on", "2026-03-31")
    assert (report["imported"], report["unchanged"], report["kept"]) == (0, 12, [])
    due = run_json(env, "retention", "run", "--dry-run", "--today", "2027-04-01")
    assert [p["programme"] for p in due["programmes"]] == ["Testprogramm"]
    code, _, err = in_process(env, "import", str(FIXTURES / "programme.csv"), "--ends-on", "31.3.")
    assert code == 2 and "--ends-on must look like" in err


def test_programme_end_is_set_and_cleared_by_the_cli_and_retention_follows(env):
    """Issue #15, finding 11: nothing but the demo ever set a programme's end."""
    assert run_json(
        env, "programme", "end", "--programme", "Testprogramm", "--on", "2026-03-31"
    ) == {
        "programme": "Testprogramm",
        "ends_on": "2026-03-31",
    }
    due = run_json(env, "retention", "run", "--dry-run", "--today", "2027-04-01")
    assert [p["programme"] for p in due["programmes"]] == ["Testprogramm"]
    cleared = run_json(env, "programme", "end", "--programme", "Testprogramm", "--on", "none")
    assert cleared["ends_on"] is None
    due = run_json(env, "retention", "run", "--dry-run", "--today", "2030-01-01")
    assert due["programmes"] == []
    ends = [r["detail"] for r in run_json(env, "audit")["audit"] if r["action"] == "programme.end"]
    assert ends == [{"ends_on": None}, {"ends_on": "2026-03-31"}]  # newest first
    code, _, err = in_process(env, "programme", "end", "--programme", "Testprogramm", "--on", "x")
    assert code == 2 and "--on must look like" in err
    code, _, err = in_process(env, "programme", "end", "--programme", "Fehlt", "--on", "none")
    assert code == 1 and "Fehlt" in err


def test_roster_confirm_counts_and_is_audited(env):
    assert run_json(env, "roster", "confirm", "--programme", "Testprogramm") == {
        "programme": "Testprogramm",
        "confirmed": 0,  # imported by the operator: confirmed already
    }
    row = run_json(env, "audit", "--limit", "1")["audit"][0]
    assert (row["action"], row["programme"], row["detail"]) == (
        "roster.confirm",
        "Testprogramm",
        {"confirmed": 0},
    )
    code, _, err = in_process(env, "roster", "confirm", "--programme", "Unbekannt")
    assert code == 1 and "Unknown programme" in err


def test_audit_verify_exits_0_on_an_intact_log_and_1_naming_the_first_broken_row(env):
    from sqlalchemy import create_engine, text

    check = run_json(env, "audit", "verify")
    assert (check["intact"], check["reason"]) == (True, None) and check["rows"] >= 1
    db = create_engine(env["ASSISTANT_DB_URL"])
    with db.begin() as con:
        con.execute(text("DROP TRIGGER audit_log_no_update"))
        first = con.execute(text("SELECT min(id) FROM audit_log WHERE link IS NOT NULL")).scalar()
        con.execute(text("UPDATE audit_log SET outcome = 'denied' WHERE id = :i"), {"i": first})
    db.dispose()
    code, out, err = in_process(env, "audit", "verify", "--json")
    assert code == 1 and f"breaks at row {first} (altered)" in err
    assert json.loads(out) == {
        "intact": False,
        "rows": 0,
        "first_broken": first,
        "reason": "altered",
    }
