"""agreements, agreement_confirmations: a tandem's goal agreement, every version kept.

Each change of a tandem's goal agreement (issue #13) is a new row (``version`` counts from 1
per programme and tandem; the content is JSON); a confirmation belongs to one version, so a
change needs both confirmations again and the history stays. Rows name the two partners with
ON DELETE CASCADE (an erasure removes the tandem's agreement) and the programme likewise.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PERSON = "participants.id"


def upgrade() -> None:
    """Create the two tables."""
    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "programme_id",
            sa.Integer(),
            sa.ForeignKey("programmes.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "mentee_id", sa.String(100), sa.ForeignKey(_PERSON, ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "mentor_id", sa.String(100), sa.ForeignKey(_PERSON, ondelete="CASCADE"), nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "programme_id", "mentee_id", "mentor_id", "version", name="uq_agreements_version"
        ),
    )
    op.create_table(
        "agreement_confirmations",
        sa.Column(
            "agreement_id",
            sa.Integer(),
            sa.ForeignKey("agreements.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "participant_id",
            sa.String(100),
            sa.ForeignKey(_PERSON, ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("username", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("agreement_confirmations")
    op.drop_table("agreements")
