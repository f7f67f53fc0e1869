"""programmes.data_version: a counter per programme that every process checks before a cache.

Peer indexes are rebuilt when it moved, so consent, erasure and imports in one process reach
all others.

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
    """Add programmes.data_version (plain ALTER TABLE: a rebuild would cascade on SQLite)."""
    op.add_column(
        "programmes",
        sa.Column("data_version", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    """Drop programmes.data_version."""
    op.drop_column("programmes", "data_version")
