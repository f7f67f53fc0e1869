"""learned_examples and learning_state: learning from use (issue #17, item 2).

Accepted, dismissed and coordinator-confirmed suggestions become training examples of a
programme's pool. Texts are stored masked; every row cascades with its programme, person and
entry, so an erasure or retention takes the contribution with it. ``learning_state`` says when
a programme's suggester last learned and how many events wait for the next refit.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 07:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the two tables."""
    op.create_table(
        "learned_examples",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "programme_id",
            sa.Integer(),
            sa.ForeignKey("programmes.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "participant_id",
            sa.String(100),
            sa.ForeignKey("participants.id", ondelete="CASCADE"),
        ),
        sa.Column("entry_id", sa.String(100), sa.ForeignKey("entries.id", ondelete="CASCADE")),
        sa.Column("topic_id", sa.String(48), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_learned_examples_programme", "learned_examples", ["programme_id", "participant_id"]
    )
    op.create_table(
        "learning_state",
        sa.Column(
            "programme_id",
            sa.Integer(),
            sa.ForeignKey("programmes.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("learned_at", sa.DateTime(timezone=True)),
        sa.Column("n_feedback", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("pending", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("learning_state")
    op.drop_index("ix_learned_examples_programme", table_name="learned_examples")
    op.drop_table("learned_examples")
