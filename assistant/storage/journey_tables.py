"""The tables of the tandem's and the group's journey (migrations 0009-0013), on ``metadata``.

Agreements, meetings, peer-group sessions, the end-of-programme questionnaire and what the
suggester learned from use: each cascades with its programme and its people (erasure).
``tables`` re-exports them, so code keeps reading ``tables.meetings``.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from assistant.storage.metadata import metadata

__all__ = [
    "QUESTIONNAIRE_SCORES",
    "agreement_confirmations",
    "agreements",
    "group_checkins",
    "group_sessions",
    "learned_examples",
    "learning_state",
    "meeting_notes",
    "meeting_progress",
    "meetings",
    "questionnaire_answers",
]

# A tandem's goal agreement (migration 0009): every change a new version, confirmations per
# version; both partners and the programme cascade (erasure and programme deletion).
agreements = Table(
    "agreements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), nullable=False),
    Column("mentee_id", ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("mentor_id", ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("content", Text, nullable=False),  # JSON: goals, rhythm, minutes, months, clauses
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint(
        "programme_id", "mentee_id", "mentor_id", "version", name="uq_agreements_version"
    ),
)

agreement_confirmations = Table(
    "agreement_confirmations",
    metadata,
    Column("agreement_id", ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("username", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# A tandem's logged meetings (migration 0010): progress per goal, private notes per author.
meetings = Table(
    "meetings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), nullable=False),
    Column("mentee_id", ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("mentor_id", ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("topics", Text, nullable=False),  # JSON list of pool topic ids
    Column("logged_by", ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("logged_at", DateTime(timezone=True), nullable=False),
    Index("ix_meetings_tandem", "programme_id", "mentee_id", "mentor_id"),
)

meeting_progress = Table(
    "meeting_progress",
    metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("goal", Integer, primary_key=True),
    Column("label", Text, nullable=False),
    Column("value", Integer, nullable=False),
    CheckConstraint("value BETWEEN 1 AND 5", name="ck_meeting_progress_value"),
)

meeting_notes = Table(
    "meeting_notes",
    metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("author_id", ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("note", Text, nullable=False),
)

# A peer group's sessions through the four stages and its members' check-ins (migration 0011).
# A check-in's note is its author's alone (the author is the member who checked in).
group_sessions = Table(
    "group_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("stage", String(12), nullable=False),  # seminar | simulation | forum | application
    Column("held_on", Date, nullable=False),
    Column("title", String(200), nullable=False),
    Column("topic_id", String(100)),  # forum sessions: the pool topic or emerging theme
    Column("prompts", Text, nullable=False, server_default="[]"),  # JSON list of German prompts
    Column("created_by", String(200), nullable=False),  # the moderator's account
    Column("created_at", DateTime(timezone=True), nullable=False),
)

group_checkins = Table(
    "group_checkins",
    metadata,
    Column("session_id", ForeignKey("group_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("value", Integer, nullable=False),  # "Wie hilfreich war die Sitzung?" 1 to 5
    Column("note", Text, nullable=False, server_default=""),  # private: the author's only
    Column("logged_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("value BETWEEN 1 AND 5", name="ck_group_checkins_value"),
)

QUESTIONNAIRE_SCORES = ("satisfaction", "networking", "exchange", "advice", "feedback", "future")
questionnaire_answers = Table(
    "questionnaire_answers",
    metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    *(Column(name, Integer, nullable=False) for name in QUESTIONNAIRE_SCORES),
    *(
        CheckConstraint(f"{name} BETWEEN 1 AND 5", name=f"ck_questionnaire_{name}")
        for name in QUESTIONNAIRE_SCORES
    ),
)

# Learning from use (migration 0013): feedback that becomes training examples of a programme's
# pool. The text is the entry's text MASKED when the feedback was given; the rows cascade with
# the programme, the person and the entry, so an erasure or retention removes them.
learned_examples = Table(
    "learned_examples",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), nullable=False),
    # Who gave the feedback; NULL for an example the coordinator confirmed without an author.
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE")),
    Column("entry_id", ForeignKey("entries.id", ondelete="CASCADE")),
    Column("topic_id", String(48), nullable=False),
    Column("kind", String(10), nullable=False),  # accepted | dismissed | confirmed
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_learned_examples_programme", "programme_id", "participant_id"),
)

# One row per programme: when its suggester last learned, from how many examples, and how many
# feedback events came since (a refit starts when they reach ``learn_refit_after``).
learning_state = Table(
    "learning_state",
    metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("learned_at", DateTime(timezone=True)),
    Column("n_feedback", Integer, nullable=False, server_default="0"),
    Column("pending", Integer, nullable=False, server_default="0"),
)
