"""questionnaire_answers: the end-of-programme questionnaire, one answer per person (issue #13).

Overall satisfaction and the five Munich dimensions (Vernetzung, Erfahrungsaustausch,
Beratung, Feedback, Zukunft), each 1 to 5. The key is programme and participant, so a second
answer replaces the first; both cascade, so an erasure or the programme's deletion removes it.
The free text is no column: with consent it becomes a reflection entry like any other.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCORES = ("satisfaction", "networking", "exchange", "advice", "feedback", "future")


def upgrade() -> None:
    """Create the table."""
    op.create_table(
        "questionnaire_answers",
        sa.Column(
            "programme_id",
            sa.Integer(),
            sa.ForeignKey("programmes.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "participant_id",
            sa.String(100),
            sa.ForeignKey("participants.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in SCORES),
        *(
            sa.CheckConstraint(f"{name} BETWEEN 1 AND 5", name=f"ck_questionnaire_{name}")
            for name in SCORES
        ),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("questionnaire_answers")
