"""programmes.data_version, participants.confirmed, the audit chain (issue #15).

data_version: a counter per programme that every process checks before it trusts a cache (peer
indexes), so consent, erasure and imports in one process reach all others. confirmed: a person
counts toward k only once they signed in or an admin confirmed the roster, so made-up
participants cannot open a small theme cluster. audit_log.link and audit_head: rows chained by
a keyed hash (``assistant audit verify``); rows written before this revision stay unchained.
users.disabled: an account that may not sign in and whose open sessions end.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 00:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the two columns (plain ALTER TABLE: a rebuild would cascade on SQLite)."""
    op.add_column(
        "programmes",
        sa.Column("data_version", sa.Integer(), nullable=False, server_default="0"),
    )
    # People who are there already were imported by the operator or the demo: confirmed.
    op.add_column(
        "participants",
        sa.Column("confirmed", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.add_column("audit_log", sa.Column("link", sa.String(64), nullable=True))
    op.add_column(
        "users", sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("link", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "link": "", "rows": 0}])


def downgrade() -> None:
    """Drop the columns and the audit head."""
    op.drop_column("users", "disabled")
    op.drop_table("audit_head")
    op.drop_column("audit_log", "link")
    op.drop_column("participants", "confirmed")
    op.drop_column("programmes", "data_version")
