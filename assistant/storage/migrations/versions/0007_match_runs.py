"""match_runs, match_items, match_rules: drafts and published results of cohort matching.

One draft and one published run per programme and mode (pairs or groups), the pairs, group
memberships and unmatched people of each run, and the coordinator's locks and exclusions
(issue #12). Every row naming a person references them with ON DELETE CASCADE: erasing a person
removes their pairs and rules in the same statement.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PERSON = "participants.id"


def upgrade() -> None:
    """Create the three tables."""
    op.create_table(
        "match_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "programme_id",
            sa.Integer(),
            sa.ForeignKey("programmes.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("mode", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("objective", sa.Float(), nullable=False),
        sa.Column("gap", sa.Float()),
        sa.Column("solver", sa.String(100), nullable=False),
        sa.Column("binding", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("programme_id", "mode", "status", name="uq_match_runs_programme_mode"),
    )
    op.create_table(
        "match_items",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "run_id",
            sa.Integer(),
            sa.ForeignKey("match_runs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("item", sa.String(10), nullable=False),
        sa.Column("participant_id", sa.String(100), sa.ForeignKey(_PERSON, ondelete="CASCADE")),
        sa.Column("partner_id", sa.String(100), sa.ForeignKey(_PERSON, ondelete="CASCADE")),
        sa.Column("group_key", sa.String(200)),
        sa.Column("score", sa.Float()),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_table(
        "match_rules",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "programme_id",
            sa.Integer(),
            sa.ForeignKey("programmes.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("mode", sa.String(10), nullable=False),
        sa.Column("rule", sa.String(10), nullable=False),
        sa.Column(
            "participant_id",
            sa.String(100),
            sa.ForeignKey(_PERSON, ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("other_id", sa.String(100), sa.ForeignKey(_PERSON, ondelete="CASCADE")),
        sa.Column("group_key", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("match_rules")
    op.drop_table("match_items")
    op.drop_table("match_runs")
