"""meetings, meeting_progress, meeting_notes: a tandem's logged meetings (issue #13).

A meeting names the tandem (programme, mentee, mentor) and who logged it; its progress rows
hold one value 1 to 5 per goal of the agreement (index and label as the agreement had them);
a private note belongs to its author alone. Partners and programme cascade, so an erasure or
the programme's deletion removes every piece.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 06:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PERSON = "participants.id"


def _person(name: str, **kw: Any) -> sa.Column[str]:
    return sa.Column(name, sa.String(100), sa.ForeignKey(_PERSON, ondelete="CASCADE"), **kw)


def upgrade() -> None:
    """Create the three tables."""
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "programme_id",
            sa.Integer(),
            sa.ForeignKey("programmes.id", ondelete="CASCADE"),
            nullable=False,
        ),
        _person("mentee_id", nullable=False),
        _person("mentor_id", nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        _person("logged_by", nullable=False),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_meetings_tandem", "programme_id", "mentee_id", "mentor_id"),
    )
    op.create_table(
        "meeting_progress",
        sa.Column(
            "meeting_id",
            sa.Integer(),
            sa.ForeignKey("meetings.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("goal", sa.Integer(), primary_key=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.CheckConstraint("value BETWEEN 1 AND 5", name="ck_meeting_progress_value"),
    )
    op.create_table(
        "meeting_notes",
        sa.Column(
            "meeting_id",
            sa.Integer(),
            sa.ForeignKey("meetings.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        _person("author_id", primary_key=True),
        sa.Column("note", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("meeting_notes")
    op.drop_table("meeting_progress")
    op.drop_table("meetings")
