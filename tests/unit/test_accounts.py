"""Local accounts: argon2 hashes, scopes from the database, rate-limited sign-in, OIDC, demo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assistant.cli.common import parse_group
from assistant.config import load_settings
from assistant.errors import AccessDenied, InvalidEntryError
from assistant.policy import Principal, operator
from assistant.services.accounts import AccountService, generate_password, session_expired
from assistant.services.imports import demo_programme_names
from tests.conftest import FIXTURES
from tests.unit.privacy_support import FAST_HASHER, dispose_engines, make_assistant, stores_of

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _close_engines():
    yield
    dispose_engines()


PROGRAMME = "Testprogramm"
ADMIN = Principal("ad", "admin")
OPERATOR = operator("cli:test")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    engine = make_assistant(hashing_assistant, tmp_path / "data")
    engine.import_file(OPERATOR, FIXTURES / "programme.csv")
    return engine


def service(engine, clock=None) -> AccountService:
    """Another AccountService on the same database: what a second process would see."""
    return AccountService(stores_of(engine), hasher=FAST_HASHER, clock=clock)


def test_password_is_generated_strong_and_stored_only_as_argon2id(engine):
    password = engine.add_user(ADMIN, "anna", "participant", participant_id="t-01")
    assert len(password) >= 20 and password != generate_password()
    stored = stores_of(engine).accounts.get("anna").password_hash
    assert stored.startswith("$argon2id$") and password not in stored
    users = engine.users(ADMIN)
    assert [u["username"] for u in users] == ["anna"]
    assert all("password_hash" not in u for u in users) and stored not in str(users)


def test_participant_principal_gets_programmes_from_memberships(engine):
    password = engine.add_user(ADMIN, "anna", "participant", participant_id="t-01")
    who = engine.authenticate("anna", password)
    assert (who.role, who.participant_id, who.programmes) == (
        "participant",
        "t-01",
        frozenset({PROGRAMME}),
    )


def test_moderator_and_coordinator_scopes_come_from_grants(engine):
    engine.add_user(ADMIN, "mo", "moderator", groups=[(PROGRAMME, "Gruppe Eins")])
    engine.add_user(ADMIN, "co", "coordinator", programmes=[PROGRAMME, "Zweites"])
    mo, co = engine.principal("mo"), engine.principal("co")
    assert mo.groups == frozenset({(PROGRAMME, "Gruppe Eins")}) and mo.participant_id is None
    assert co.programmes == frozenset({PROGRAMME, "Zweites"}) and not co.groups


@pytest.mark.parametrize(
    ("args", "options", "code"),
    [
        (("p", "participant"), {}, "bad_scope"),  # no participant id
        (("p", "participant"), {"participant_id": "nobody"}, "unknown_participant"),
        (("m", "moderator"), {}, "bad_scope"),
        (("c", "coordinator"), {}, "bad_scope"),
        (("a", "admin"), {"participant_id": "t-01"}, "bad_scope"),
        (("a", "superuser"), {}, "unknown_role"),
        (("a", "admin"), {"password": "short"}, "weak_password"),
        (("x'; DROP TABLE users; --", "admin"), {}, "bad_username"),
        (("", "admin"), {}, "bad_username"),
    ],
)
def test_bad_accounts_are_refused(engine, args, options, code):
    with pytest.raises(InvalidEntryError) as err:
        engine.add_user(ADMIN, *args, **options)
    assert err.value.code == code
    assert stores_of(engine).db.count("users") == 0


def test_duplicate_user_is_refused(engine):
    engine.add_user(ADMIN, "ad", "admin")
    with pytest.raises(InvalidEntryError) as err:
        engine.add_user(ADMIN, "ad", "admin")
    assert err.value.code == "user_exists"


def test_wrong_password_and_unknown_user_get_the_same_answer_and_are_audited(engine):
    engine.add_user(OPERATOR, "ad", "admin", password="a-long-password-1")
    messages = []
    for name, password in (("ad", "wrong-password-xx"), ("ghost", "whatever-password")):
        with pytest.raises(AccessDenied) as err:
            engine.authenticate(name, password)
        messages.append((str(err.value), err.value.action))
    assert messages[0] == messages[1] == ("Wrong user name or password.", "signin")
    engine.authenticate("ad", "a-long-password-1")
    rows = stores_of(engine).audit.rows()
    signins = [(r.actor, r.outcome) for r in rows if r.action == "signin"]
    assert [outcome for _, outcome in signins] == ["ok", "failed", "failed"]
    assert signins[0][0] == "ad"
    # A failed sign-in keeps a keyed hash of the typed name, never the name (issue #15).
    ghost, wrong = signins[1][0], signins[2][0]
    assert ghost.startswith("typed:") and wrong.startswith("typed:") and ghost != wrong
    logged = str(rows)
    assert "wrong-password-xx" not in logged and "a-long-password-1" not in logged
    assert "ghost" not in logged


def test_a_password_typed_into_the_name_field_is_kept_nowhere(engine):
    from sqlalchemy import text

    with pytest.raises(AccessDenied):
        engine.authenticate("my-secret-password-1", "my-secret-password-1")
    stores = stores_of(engine)
    with stores.db.engine.connect() as con:
        failures = con.execute(text("SELECT username FROM login_failures")).scalars().all()
    assert failures and not any("my-secret" in name for name in failures)
    assert "my-secret" not in str(stores.audit.rows())


def test_five_failures_lock_the_name_across_processes_until_the_lock_ends(engine):
    clock = Clock()
    first = service(engine, clock)
    first.add_user("ad", "admin", "a-long-password-1")
    for _ in range(5):
        with pytest.raises(AccessDenied):
            first.authenticate("ad", "wrong-password-xx")
    second = service(engine, clock)  # a second process sees the lock in the database
    with pytest.raises(AccessDenied) as err:
        second.authenticate("ad", "a-long-password-1")
    assert err.value.action == "locked"
    clock.now += timedelta(minutes=14)
    with pytest.raises(AccessDenied):
        second.authenticate("ad", "a-long-password-1")
    clock.now += timedelta(minutes=2)
    assert second.authenticate("ad", "a-long-password-1").role == "admin"
    # A success clears the counter: four more failures do not lock again.
    for _ in range(4):
        with pytest.raises(AccessDenied):
            second.authenticate("ad", "wrong-password-xx")
    assert second.authenticate("ad", "a-long-password-1").role == "admin"


def test_unknown_names_are_rate_limited_too(engine):
    clock = Clock()
    accounts = service(engine, clock)
    for _ in range(5):
        with pytest.raises(AccessDenied):
            accounts.authenticate("ghost", "whatever-password")
    with pytest.raises(AccessDenied) as err:
        accounts.authenticate("ghost", "whatever-password")
    assert err.value.action == "locked"


def test_role_change_is_audited_and_takes_effect(engine):
    engine.add_user(ADMIN, "co", "coordinator", programmes=[PROGRAMME])
    engine.set_role(ADMIN, "co", "moderator", groups=[(PROGRAMME, "Gruppe Zwei")])
    assert engine.principal("co").groups == frozenset({(PROGRAMME, "Gruppe Zwei")})
    row = stores_of(engine).audit.rows()[0]
    assert (row.action, row.actor, row.subject) == ("user.role", "ad", "co")
    assert row.detail["from"] == "coordinator" and row.detail["to"] == "moderator"


def test_oidc_maps_its_subject_to_an_account_and_refuses_strangers(engine):
    engine.add_user(
        ADMIN, "co", "coordinator", programmes=[PROGRAMME], oidc_subject="co@example.org"
    )
    assert engine.principal_for_oidc("co@example.org").username == "co"
    for stranger in ("co", "stranger@example.org"):  # never a local user name (issue #15)
        with pytest.raises(AccessDenied):
            engine.principal_for_oidc(stranger)
    assert stores_of(engine).audit.rows()[0].outcome == "denied"


def test_demo_accounts_one_per_role_passwords_once(hashing_assistant, tmp_path):
    engine = make_assistant(hashing_assistant, tmp_path / "demo")
    report, passwords = engine.start(OPERATOR, demo=True)  # an empty database: the demo
    assert report is not None and report.imported > 0
    assert passwords is not None and len(passwords) == 4
    roles = {engine.authenticate(u, p).role: engine.principal(u) for u, p in passwords.items()}
    assert set(roles) == {"participant", "moderator", "coordinator", "admin"}
    person = stores_of(engine).programmes.participant(roles["participant"].participant_id)
    assert person.consent_analysis and person.consent_matching
    assert len(roles["moderator"].groups) == 1
    assert len(roles["coordinator"].programmes) == 3
    assert engine.start(OPERATOR, demo=True) == (None, None)  # passwords are shown once
    assert service(engine).ensure_demo_accounts(demo_programme_names()) is None


def test_session_expiry_is_a_pure_rule():
    start = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    ttl = timedelta(minutes=60)
    assert not session_expired(start, start + timedelta(minutes=59), ttl)
    assert session_expired(start, start + timedelta(minutes=60), ttl)


def test_privacy_settings_come_from_the_environment():
    settings = load_settings({"ASSISTANT_SESSION_MINUTES": "30", "ASSISTANT_K_MIN_CLUSTER": "7"})
    assert settings.session_ttl == timedelta(minutes=30) and settings.k_min_cluster == 7
    assert load_settings({}).k_min_cluster == 5


def test_group_spec_splits_at_the_last_colon():
    assert parse_group("Programm: 2026:Gruppe Nord") == ("Programm: 2026", "Gruppe Nord")
    with pytest.raises(InvalidEntryError):
        parse_group("ohne Gruppe")


# -- finding 8 of issue #15: accounts that can be switched off; OIDC that trusts less ---------


def test_a_disabled_account_cannot_sign_in_or_build_a_session_and_can_come_back(engine):
    password = engine.add_user(OPERATOR, "dora", "coordinator", programmes=["Testprogramm"])
    engine.set_disabled(OPERATOR, "dora")
    with pytest.raises(AccessDenied) as refused:
        engine.authenticate("dora", password)
    assert refused.value.action == "disabled"
    with pytest.raises(AccessDenied):
        engine.principal("dora")  # what a page run would re-read
    engine.set_disabled(OPERATOR, "dora", False)
    assert engine.authenticate("dora", password).role == "coordinator"
    actions = [r.action for r in stores_of(engine).audit.rows(about=["dora"])]
    assert {"user.disable", "user.enable"} <= set(actions)


def test_a_deleted_account_is_gone_and_the_participant_stays(engine):
    engine.add_user(OPERATOR, "t01", "participant", participant_id="t-01")
    engine.delete_user(OPERATOR, "t01")
    stores = stores_of(engine)
    assert stores.accounts.get("t01") is None and stores.programmes.participant("t-01")
    with pytest.raises(InvalidEntryError):
        engine.delete_user(OPERATOR, "t01")
    with pytest.raises(AccessDenied):
        engine.delete_user(Principal("co", "coordinator", programmes=frozenset({"X"})), "t01")


def test_oidc_never_falls_back_to_a_local_user_name(engine):
    engine.add_user(OPERATOR, "anna@example.org", "admin")  # a local account, no OIDC subject
    with pytest.raises(AccessDenied):
        engine.principal_for_oidc("anna@example.org")
    engine.add_user(OPERATOR, "anna", "admin", oidc_subject="anna@example.org")
    assert engine.principal_for_oidc("anna@example.org").username == "anna"


def test_oidc_trusts_an_email_only_when_the_provider_verified_it():
    from assistant.ui.identity import oidc_signed_in_at, oidc_subjects

    assert oidc_subjects({"sub": "k-1", "email": "a@b.de"}) == ["k-1"]
    assert oidc_subjects({"sub": "k-1", "email": "a@b.de", "email_verified": True}) == [
        "k-1",
        "a@b.de",
    ]
    assert oidc_subjects({"email": "a@b.de", "email_verified": "true"}) == []  # not a boolean
    assert oidc_signed_in_at({"auth_time": 0}).year == 1970
    assert oidc_signed_in_at({"iat": "x"}) is None and oidc_signed_in_at({}) is None
