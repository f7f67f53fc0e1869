"""Record which topic pool an entry's stored scores refer to.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add entry_vectors.pool_key; existing rows get "" and are recomputed on next use."""
    with op.batch_alter_table("entry_vectors") as batch:
        batch.add_column(sa.Column("pool_key", sa.String(64), nullable=False, server_default=""))


def downgrade() -> None:
    """Drop entry_vectors.pool_key."""
    with op.batch_alter_table("entry_vectors") as batch:
        batch.drop_column("pool_key")
