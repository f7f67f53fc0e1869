"""sessions: signed-in browser sessions and their one-time hand-over tokens (issue #14).

A session survives a reload: the browser holds a signed cookie with a random id, the database
only the SHA-256 of that id (a copy of the table signs nobody in). A hand-over token (kind
``handover``, one minute) carries a fresh sign-in from the page to the route that sets the
HttpOnly cookie; it is deleted when used. Rows go with their account (ON DELETE CASCADE).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table."""
    op.create_table(
        "sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column(
            "username",
            sa.String(200),
            sa.ForeignKey("users.username", ondelete="CASCADE", onupdate="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("sessions")
