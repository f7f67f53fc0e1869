"""Finding 9 of issue #15 on PostgreSQL: the app's database role cannot alter the audit log.

``.ci/postgres.sh`` runs these as a hardened deployment: ``ASSISTANT_TEST_DB_URL`` is the app's
login role (no superuser, owns neither database nor schema), ``ASSISTANT_TEST_ADMIN_DB_URL`` the
administrator that ran ``deploy/postgres/audit-owner.sql``, so ``assistant_audit`` owns the
audit tables. Each attack below is what the app's role could do before; now each one fails,
and the app still appends to the log and verifies its chain. Without the admin URL only the
test of migration 0005 runs (its trigger binds whoever owns the table).
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from assistant.factory import build_assistant
from assistant.nlp.embed import HashingEmbedder
from assistant.policy import Principal, operator
from assistant.storage import Stores, make_engine, migrate
from tests.conftest import FIXTURES
from tests.unit.privacy_support import (
    OPEN_ENGINES,
    audit_owner_apart,
    dispose_engines,
    fresh_db_url,
    make_assistant,
    on_postgres,
    stores_of,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not on_postgres(), reason="PostgreSQL only (ASSISTANT_TEST_DB_URL)"),
]

OPERATOR = operator("cli:test")
PROGRAMME = "Testprogramm"
T01 = Principal("t01", "participant", participant_id="t-01", programmes=frozenset({PROGRAMME}))
REFUSED = r"permission denied|must be owner|must have admin option"


@pytest.fixture
def engine(hashing_assistant, tmp_path):
    """An assistant as the app's role, on tables whose audit log belongs to assistant_audit."""
    if not audit_owner_apart():
        pytest.skip("needs ASSISTANT_TEST_ADMIN_DB_URL (.ci/postgres.sh sets it)")
    engine = make_assistant(hashing_assistant, tmp_path / "data")
    engine.import_file(OPERATOR, FIXTURES / "programme.csv")
    engine.set_consent(T01, "t-01", matching=False)
    yield engine
    dispose_engines()


def _db(engine) -> Engine:
    return stores_of(engine).db.engine


@pytest.mark.parametrize(
    "attack",
    [
        "UPDATE audit_log SET actor = 'someone-else'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "TRUNCATE audit_log, audit_head",
        "DELETE FROM audit_head",
        "UPDATE audit_head SET id = 2",
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
        "DROP TRIGGER audit_log_append_only ON audit_log",
        "DROP TRIGGER audit_log_no_truncate ON audit_log",
        "DROP TABLE audit_log",
        "DROP TABLE audit_log, audit_head CASCADE",
        "ALTER TABLE audit_log RENAME TO audit_log_old",
        "ALTER TABLE audit_log OWNER TO CURRENT_USER",
        "DROP FUNCTION audit_log_append_only() CASCADE",
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
        "GRANT assistant_audit TO CURRENT_USER",
        "DROP SCHEMA public CASCADE",
        "SET session_replication_role = replica",
    ],
)
def test_the_app_role_cannot_alter_or_remove_the_audit_log(engine, attack):
    rows = len(stores_of(engine).audit.rows())
    with pytest.raises(SQLAlchemyError, match=REFUSED), _db(engine).begin() as con:
        con.exec_driver_sql(attack)
    assert len(stores_of(engine).audit.rows()) == rows
    assert engine.verify_audit(OPERATOR).intact


def test_the_app_role_holds_only_insert_and_select_on_the_audit_log(engine):
    privileges = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
    query = text("SELECT has_table_privilege(:t, :p)")
    with _db(engine).connect() as con:
        owners = dict(
            con.execute(
                text("SELECT tablename, tableowner FROM pg_tables WHERE tablename LIKE 'audit%'")
            ).all()
        )
        held = {
            table: [p for p in privileges if con.execute(query, {"t": table, "p": p}).scalar()]
            for table in ("audit_log", "audit_head")
        }
        head_columns = {
            column: con.execute(
                text("SELECT has_column_privilege('audit_head', :c, 'UPDATE')"), {"c": column}
            ).scalar()
            for column in ("id", "link", "rows")
        }
        me = con.execute(text("SELECT current_user")).scalar()
    assert owners == {"audit_log": "assistant_audit", "audit_head": "assistant_audit"}
    assert me != "assistant_audit"
    # The head is rewritten on every append (its link and count, never its id); the key file
    # outside the database is what makes a rewritten head show in verify.
    assert held == {"audit_log": ["SELECT", "INSERT"], "audit_head": ["SELECT"]}
    assert head_columns == {"id": False, "link": True, "rows": True}


def test_the_app_still_appends_verifies_and_starts_without_owning_the_log(
    engine, mini_pool, preprocessor
):
    before = engine.verify_audit(OPERATOR)
    stores_of(engine).audit.append("cli:test", "test", "ok", detail={"n": 1})
    engine.set_consent(T01, "t-01", matching=True)
    after = engine.verify_audit(OPERATOR)
    assert before.intact and after.intact and after.rows == before.rows + 3  # + verify's own
    # Starting again as ``assistant audit verify`` does: the factory migrates (nothing to do,
    # so nothing touches the tables the app's role does not own) and opens the stores.
    again = build_assistant(
        engine.settings,
        embedder=HashingEmbedder(512),
        preprocessor=preprocessor,
        pool=mini_pool,
    )
    OPEN_ENGINES.append(stores_of(again).db.engine)
    check = again.verify_audit(OPERATOR)
    assert check.intact and check.rows == after.rows + 1
    assert stores_of(again).audit.rows(limit=1)[0].action == "audit.view"


@pytest.mark.parametrize(
    ("attack", "refusal"),
    [
        ("TRUNCATE audit_log", "TRUNCATE refused on audit_log"),
        ("TRUNCATE audit_head", "TRUNCATE refused on audit_head"),
        ("TRUNCATE audit_log, audit_head", "TRUNCATE refused on audit_"),
        ("DELETE FROM audit_head", "DELETE refused on audit_head"),
        ("DELETE FROM audit_log", "audit_log is append-only"),
        ("UPDATE audit_log SET actor = 'x'", "audit_log is append-only"),
    ],
)
def test_migration_0005_refuses_truncate_even_to_the_tables_owner(tmp_path, attack, refusal):
    # No separate owner: the role that migrated owns the tables, and the triggers still hold.
    engine = make_engine(fresh_db_url(tmp_path, audit_owner=False))
    OPEN_ENGINES.append(engine)
    migrate(engine)
    stores = Stores.open(engine, audit_key=lambda: b"k" * 32)
    stores.audit.append("cli:test", "test", "ok")
    with engine.connect() as con:
        owner = con.execute(text("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log'"))
        assert owner.scalar() == con.execute(text("SELECT current_user")).scalar()
    with pytest.raises(SQLAlchemyError, match=refusal), engine.begin() as con:
        con.exec_driver_sql(attack)
    assert stores.audit.verify().intact and stores.db.count("audit_log") == 1
    dispose_engines()


def test_migration_0005_goes_down_and_up_again(tmp_path):
    from alembic import command
    from alembic.config import Config

    engine = make_engine(fresh_db_url(tmp_path, audit_owner=False))
    OPEN_ENGINES.append(engine)
    migrate(engine)
    config = Config()
    config.set_main_option("script_location", "assistant/storage/migrations")
    triggers = text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname")
    with engine.begin() as con:
        config.attributes["connection"] = con
        command.downgrade(config, "0004")
        assert con.execute(triggers).scalars().all() == ["audit_log_append_only"]
    migrate(engine)
    with engine.connect() as con:
        assert con.execute(triggers).scalars().all() == [
            "audit_head_no_delete",
            "audit_log_append_only",
            "audit_log_no_truncate",
        ]
    dispose_engines()
