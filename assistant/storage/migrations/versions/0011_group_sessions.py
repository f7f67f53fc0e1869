"""group_sessions, group_checkins: a peer group's sessions through the four stages (issue #13).

A session names its group, its stage (seminar, simulation, forum, application), a date, a
title and, for a forum, the chosen topic with its prompts; the moderator's account planned it.
A check-in is one member's value 1 to 5 for a session with an optional private note that only
its author reads. Group, session and member cascade, so an erasure or the programme's deletion
removes every piece.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the two tables."""
    op.create_table(
        "group_sessions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("groups.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("stage", sa.String(12), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("topic_id", sa.String(100)),
        sa.Column("prompts", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_group_sessions_group_id", "group_sessions", ["group_id"])
    op.create_table(
        "group_checkins",
        sa.Column(
            "session_id",
            sa.Integer(),
            sa.ForeignKey("group_sessions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "participant_id",
            sa.String(100),
            sa.ForeignKey("participants.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("value BETWEEN 1 AND 5", name="ck_group_checkins_value"),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("group_checkins")
    op.drop_index("ix_group_sessions_group_id", table_name="group_sessions")
    op.drop_table("group_sessions")
