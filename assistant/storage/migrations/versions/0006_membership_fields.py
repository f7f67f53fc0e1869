"""memberships.capacity, level, email: the import extensions for cohort matching (issue #12).

What a person brings to one programme: how many mentees a mentor takes this round (0: none),
their seniority (higher = more senior) and the address for the journey's invitations. All
nullable: NULL is "not given", so no matching rule applies. The email is personal data; it
goes with the membership row, which an erasure deletes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the three columns (plain ALTER TABLE: a rebuild would cascade on SQLite)."""
    op.add_column("memberships", sa.Column("capacity", sa.Integer(), nullable=True))
    op.add_column("memberships", sa.Column("level", sa.Integer(), nullable=True))
    op.add_column("memberships", sa.Column("email", sa.String(254), nullable=True))


def downgrade() -> None:
    """Drop them again (SQLite 3.35+ drops a column in place)."""
    op.drop_column("memberships", "email")
    op.drop_column("memberships", "level")
    op.drop_column("memberships", "capacity")
