"""PostgreSQL: the audit log refuses TRUNCATE, its head DELETE and TRUNCATE (issue #15).

The row triggers of 0003 refuse UPDATE and DELETE on audit_log, but TRUNCATE fires no row
trigger: one statement emptied the log. A statement-level trigger refuses it now, and the
chain's head (one row, only ever updated) refuses DELETE and TRUNCATE. SQLite has no TRUNCATE
(a DELETE without WHERE fires the row triggers of 0003): nothing to do there.

These triggers bind the tables' owner too; only an owner can drop or disable them. Which role
owns the audit tables is the database administrator's choice: ``deploy/postgres/audit-owner.sql``
hands them to a role of their own and leaves the app's role INSERT and SELECT (README).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UPGRADE = [
    "CREATE FUNCTION audit_refuse_statement() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION '% refused on %: the audit log is append-only', "
    "TG_OP, TG_TABLE_NAME; END $$",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_statement()",
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE OR TRUNCATE ON audit_head "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_statement()",
]
_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS audit_head_no_delete ON audit_head",
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    "DROP FUNCTION IF EXISTS audit_refuse_statement()",
]


def upgrade() -> None:
    """Create the statement triggers (PostgreSQL only)."""
    if op.get_bind().dialect.name == "postgresql":
        for statement in _UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    """Drop them again (as the tables' owner)."""
    if op.get_bind().dialect.name == "postgresql":
        for statement in _DOWNGRADE:
            op.execute(statement)
