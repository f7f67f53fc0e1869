"""Sessions that survive a reload: server-side rows (hash only), signed cookie, hand-over."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from assistant.errors import AccessDenied
from assistant.policy import Principal, operator
from assistant.services.sessions import HANDOVER_TTL, SessionService, hash_id
from assistant.storage.secrets import load_or_create_key
from assistant.ui import site, web
from tests.conftest import FIXTURES
from tests.unit.privacy_support import dispose_engines, make_assistant, stores_of

pytestmark = pytest.mark.postgres

ADMIN = Principal("ad", "admin")
OPERATOR = operator("cli:test")


@pytest.fixture(autouse=True)
def _close_engines():
    yield
    dispose_engines()


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    engine = make_assistant(hashing_assistant, tmp_path / "data", session_minutes=60)
    engine.import_file(OPERATOR, FIXTURES / "programme.csv")
    engine.add_user(ADMIN, "anna", "participant", participant_id="t-01")
    engine.add_user(ADMIN, "carl", "coordinator", programmes=["Testprogramm"])
    return engine


def sessions_with(engine, clock) -> SessionService:
    """The engine's session service on the same database, with a clock the test moves."""
    key = engine.settings.secret_key_path
    return SessionService(
        stores_of(engine),
        ttl=engine.settings.session_ttl,
        key=lambda: load_or_create_key(key),
        clock=clock,
    )


def signed_in(engine, username="anna"):
    """A session cookie of ``username``, as /sitzung/start would set it."""
    token = engine.start_session(engine.principal(username))
    return engine.redeem_session(token)


def test_session_restores_the_principal_with_its_sign_in_time(engine):
    cookie = signed_in(engine)
    found = engine.session_principal(cookie.value)
    assert found is not None
    who, started = found
    assert who == engine.principal("anna")
    assert abs((datetime.now(UTC) - started).total_seconds()) < 60
    assert cookie.max_age_s == 3600 and cookie.username == "anna"


def test_only_hashes_of_session_ids_and_tokens_are_stored(engine):
    token = engine.start_session(engine.principal("anna"))
    rows = stores_of(engine).sessions
    assert rows.get(hashlib.sha256(token.encode()).hexdigest(), "handover") is not None
    cookie = engine.redeem_session(token)
    session_id = cookie.value.split(".")[0]  # itsdangerous: value.timestamp.signature
    stored = rows.get(hashlib.sha256(session_id.encode()).hexdigest(), "session")
    assert stored is not None and stored.username == "anna"
    with stores_of(engine).db.read() as con:
        dump = str(con.exec_driver_sql("SELECT * FROM sessions").all())
    assert session_id not in dump and token not in dump and cookie.value not in dump


def test_hand_over_token_is_used_once(engine):
    token = engine.start_session(engine.principal("anna"))
    assert engine.redeem_session(token) is not None
    assert engine.redeem_session(token) is None
    assert engine.redeem_session("") is None and engine.redeem_session("made-up") is None


def test_hand_over_token_expires_after_a_minute(engine):
    clock = Clock()
    service = sessions_with(engine, clock)
    token = service.hand_over("anna")
    clock.now += HANDOVER_TTL
    assert service.redeem(token) is None


def test_session_expires_by_the_session_rule(engine):
    clock = Clock()
    service = sessions_with(engine, clock)
    cookie = service.redeem(service.hand_over("anna"))
    assert cookie is not None
    clock.now += timedelta(minutes=59)
    assert service.resolve(cookie.value) == ("anna", Clock().now)
    stored = stores_of(engine).sessions.get(hash_id(cookie.value.split(".")[0]), "session")
    assert stored.last_seen_at == clock.now  # the last use is recorded
    clock.now += timedelta(minutes=1)  # 60 minutes after sign-in: session_minutes
    assert service.resolve(cookie.value) is None
    assert stores_of(engine).sessions.count() == 0  # the expired row went on the way


def test_sign_out_ends_the_session_and_is_audited(engine):
    cookie = signed_in(engine)
    anna = engine.principal("anna")
    assert engine.end_session(anna, cookie.value) is True
    assert engine.session_principal(cookie.value) is None
    rows = [(r.action, r.outcome, r.actor) for r in stores_of(engine).audit.rows(about=["anna"])]
    assert ("session.end", "ok", "anna") in rows and ("session.start", "ok", "anna") in rows


def test_nobody_ends_another_accounts_session(engine):
    cookie = signed_in(engine, "anna")
    with pytest.raises(AccessDenied):
        engine.end_session(engine.principal("carl"), cookie.value)
    assert engine.session_principal(cookie.value) is not None
    assert stores_of(engine).audit.rows()[0].outcome == "denied"


def test_disabled_account_loses_its_sessions(engine):
    cookie = signed_in(engine)
    engine.set_disabled(ADMIN, "anna", True)
    assert engine.session_principal(cookie.value) is None
    engine.set_disabled(ADMIN, "anna", False)  # enabling again does not revive the session
    assert engine.session_principal(cookie.value) is None


def test_deleted_account_takes_its_sessions_along(engine):
    cookie = signed_in(engine, "carl")
    engine.delete_user(ADMIN, "carl")
    assert engine.session_principal(cookie.value) is None
    assert stores_of(engine).sessions.count() == 0


def test_forged_or_edited_cookie_is_refused(engine):
    cookie = signed_in(engine)
    session_id = cookie.value.split(".")[0]
    assert engine.session_principal(session_id) is None  # unsigned
    assert engine.session_principal(cookie.value[:-2] + "xx") is None
    assert engine.session_principal(None) is None


def test_the_operator_has_no_browser_session(engine):
    with pytest.raises(AccessDenied):
        engine.start_session(OPERATOR)
    with pytest.raises(AccessDenied):
        engine.start_session(None)


# -- the ASGI routes (serve.py) --------------------------------------------------------------


def client_of(engine, base_url="http://testserver") -> TestClient:
    app = Starlette(routes=web.routes(lambda: engine), middleware=web.middleware())
    return TestClient(app, base_url=base_url, follow_redirects=False)


def test_start_route_sets_an_httponly_lax_cookie_and_redirects(engine):
    token = engine.start_session(engine.principal("anna"))
    reply = client_of(engine).get(site.START_PATH, params={"t": token, "weiter": "mentoring"})
    assert reply.status_code == 303 and reply.headers["location"] == "/mentoring"
    header = reply.headers["set-cookie"]
    assert header.startswith(site.COOKIE + "=")
    assert "HttpOnly" in header and "SameSite=lax" in header and "Path=/" in header
    assert "Max-Age=3600" in header and "Secure" not in header  # plain http on localhost
    value = reply.cookies[site.COOKIE]
    assert engine.session_principal(value)[0].username == "anna"


def test_start_route_marks_the_cookie_secure_behind_https(engine):
    token = engine.start_session(engine.principal("anna"))
    reply = client_of(engine).get(
        site.START_PATH, params={"t": token}, headers={"x-forwarded-proto": "https"}
    )
    assert "Secure" in reply.headers["set-cookie"] and reply.headers["location"] == "/"


def test_start_route_with_a_used_token_or_foreign_target_sets_nothing(engine):
    token = engine.start_session(engine.principal("anna"))
    client = client_of(engine)
    assert client.get(site.START_PATH, params={"t": token}).status_code == 303
    again = client.get(site.START_PATH, params={"t": token, "weiter": "mentoring"})
    assert again.headers["location"] == "/" and "set-cookie" not in again.headers
    other = engine.start_session(engine.principal("anna"))
    away = client.get(site.START_PATH, params={"t": other, "weiter": "//evil.example"})
    assert away.headers["location"] == "/"


def test_end_route_ends_the_session_and_deletes_the_cookie(engine):
    cookie = signed_in(engine)
    client = client_of(engine)
    client.cookies.set(site.COOKIE, cookie.value)
    reply = client.get(site.END_PATH)
    assert reply.status_code == 303 and reply.headers["location"] == "/"
    assert 'assistant_sitzung=""' in reply.headers["set-cookie"]
    assert "Max-Age=0" in reply.headers["set-cookie"]
    assert engine.session_principal(cookie.value) is None


@pytest.mark.parametrize(
    ("path", "status"),
    [("/nirgendwo", 404), ("/mentoring", 200), ("/protokoll", 200), ("/favicon.png", 200)],
)
def test_unknown_page_paths_answer_a_german_404(engine, path, status):
    async def spa(scope, receive, send):  # stands in for Streamlit's single-page app
        from starlette.responses import PlainTextResponse

        await PlainTextResponse("app")(scope, receive, send)

    reply = TestClient(web.GermanNotFound(spa)).get(path)
    assert reply.status_code == status
    if status == 404:
        assert "Diese Seite gibt es nicht." in reply.text and 'lang="de"' in reply.text
