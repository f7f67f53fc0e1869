"""SQLAlchemy 2 tables; SQLite by default, PostgreSQL by URL. Alembic migrates them."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)

from assistant.domain import DEFAULT_RETENTION_MONTHS
from assistant.storage.journey_tables import (
    QUESTIONNAIRE_SCORES,
    agreement_confirmations,
    agreements,
    group_checkins,
    group_sessions,
    learned_examples,
    learning_state,
    meeting_notes,
    meeting_progress,
    meetings,
    questionnaire_answers,
)
from assistant.storage.metadata import metadata

# The journey's tables live in their own module; ``tables.X`` keeps naming every table.
__all__ = [
    "QUESTIONNAIRE_SCORES",
    "agreement_confirmations",
    "agreements",
    "audit_head",
    "audit_log",
    "consent_history",
    "entries",
    "entry_vectors",
    "forum_choices",
    "group_checkins",
    "group_members",
    "group_sessions",
    "groups",
    "learned_examples",
    "learning_state",
    "login_failures",
    "match_items",
    "match_rules",
    "match_runs",
    "meeting_notes",
    "meeting_progress",
    "meetings",
    "memberships",
    "metadata",
    "participants",
    "programmes",
    "questionnaire_answers",
    "role_grants",
    "sessions",
    "suggestions",
    "theme_assignments",
    "theme_clusters",
    "theme_runs",
    "users",
]

programmes = Table(
    "programmes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),  # reverse | cross | peer_group | tandem
    Column("description", Text, nullable=False, default=""),
    Column("starts_on", Date),
    Column("ends_on", Date),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Entries are deleted this many months after ``ends_on`` (``assistant retention run``).
    Column(
        "retention_months",
        Integer,
        nullable=False,
        server_default=str(DEFAULT_RETENTION_MONTHS),
    ),
    # Raised in the transaction of every change that cached views depend on (import, entry,
    # consent, erasure, retention): each process compares it before it trusts its cache.
    Column("data_version", Integer, nullable=False, server_default="0"),
)

participants = Table(
    "participants",
    metadata,
    Column("id", String(100), primary_key=True),  # pseudonymous, unique in a database
    Column("organisation", String(200), nullable=False, default=""),
    Column("age_band", String(10)),
    Column("given_name", String(100)),  # only used to mask the name in others' views
    Column("consent_analysis", Boolean, nullable=False, default=False),
    Column("consent_matching", Boolean, nullable=False, default=False),
    Column("consent_updated_at", DateTime(timezone=True), nullable=False),
    # Signed in, or confirmed by an admin: only such people count toward k (issue #15).
    Column("confirmed", Boolean, nullable=False, server_default=true()),
)

memberships = Table(
    "memberships",
    metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(10), nullable=False),  # mentee | mentor | peer
    # Import extensions (migration 0006); NULL: not given, so no matching rule.
    Column("capacity", Integer),  # >= 0; 0: the mentor takes nobody this round
    Column("level", Integer),  # higher = more senior
    Column("email", String(254)),  # personal data: exported, and erased with the person
)

groups = Table(
    "groups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    UniqueConstraint("programme_id", "name", name="uq_groups_programme_name"),
)

group_members = Table(
    "group_members",
    metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
)

entries = Table(
    "entries",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(12), nullable=False),  # goal | offer | reflection
    Column("stage", String(12)),  # seminar | simulation | forum | application (peer groups)
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("created_at", Date, nullable=False),
    Column("status", String(10), nullable=False, default="pending"),  # pending | processed
    Index("ix_entries_programme", "programme_id", "participant_id"),
)

# Derived data of an entry: its embedding and topic scores (recomputable, erased with it).
entry_vectors = Table(
    "entry_vectors",
    metadata,
    Column("entry_id", ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True),
    Column("model_id", String(200), nullable=False),
    # Digest of the topic pool the scores refer to: a new pool or model means recompute.
    Column("pool_key", String(64), nullable=False, server_default=""),
    Column("vector", LargeBinary, nullable=False),
    Column("topic_scores", LargeBinary, nullable=False),
    Column("lemmas", Text, nullable=False),
    Column("language", String(2), nullable=False),
)

suggestions = Table(
    "suggestions",
    metadata,
    Column("entry_id", ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", String(48), primary_key=True),
    Column("score", Float, nullable=False),
    Column("rank", Integer, nullable=False),
    Column("status", String(10), nullable=False, default="suggested"),  # accepted | dismissed
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Cohort matching (issue #12): one draft and one published run per programme and mode
# ("pairs" or "groups"). Every row naming a person references them with ON DELETE CASCADE, so
# an erasure removes their pairs, memberships and rules at once.
match_runs = Table(
    "match_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), nullable=False),
    Column("mode", String(10), nullable=False),  # pairs | groups
    Column("status", String(10), nullable=False),  # draft | published
    Column("objective", Float, nullable=False),
    Column("gap", Float),
    Column("solver", String(100), nullable=False),
    Column("binding", Text, nullable=False, default="[]"),  # JSON: codes and numbers, no ids
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    UniqueConstraint("programme_id", "mode", "status", name="uq_match_runs_programme_mode"),
)

match_items = Table(
    "match_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", ForeignKey("match_runs.id", ondelete="CASCADE"), nullable=False),
    Column("item", String(10), nullable=False),  # pair | member | group | unmatched
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE")),
    Column("partner_id", ForeignKey("participants.id", ondelete="CASCADE")),  # a pair's mentor
    Column("group_key", String(200)),
    Column("score", Float),
    Column("detail", Text, nullable=False, default="{}"),  # JSON: topics, codes, entry ids
)

match_rules = Table(
    "match_rules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), nullable=False),
    Column("mode", String(10), nullable=False),  # pairs | groups
    Column("rule", String(10), nullable=False),  # lock | exclude
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("other_id", ForeignKey("participants.id", ondelete="CASCADE")),  # pairs: the mentor
    Column("group_key", String(200)),  # groups: the group
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
)

theme_runs = Table(
    "theme_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), nullable=False),
    Column("fingerprint", String(64), nullable=False),  # input + parameters: reuse, not recompute
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("n_entries", Integer, nullable=False),
    Column("n_boilerplate", Integer, nullable=False),
    Column("n_duplicates", Integer, nullable=False),
    Column("too_few", Boolean, nullable=False),
)

theme_clusters = Table(
    "theme_clusters",
    metadata,
    Column("run_id", ForeignKey("theme_runs.id", ondelete="CASCADE"), primary_key=True),
    Column("cluster_id", String(100), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("label", String(300), nullable=False),
    Column("keywords", Text, nullable=False),  # JSON list
    Column("size", Integer, nullable=False),
    Column("n_entries", Integer, nullable=False),
    Column("topic", String(48)),
    Column("emerging", Boolean, nullable=False),
    Column("sentences", Text, nullable=False),  # JSON list of masked sentences
)

theme_assignments = Table(
    "theme_assignments",
    metadata,
    Column("run_id", ForeignKey("theme_runs.id", ondelete="CASCADE"), primary_key=True),
    Column("entry_id", ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True),
    Column("cluster_id", String(100), nullable=False),
)

forum_choices = Table(
    "forum_choices",
    metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", String(100), primary_key=True),
    Column("session_date", Date, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


# -- accounts, consent history, audit (migration 0003) ---------------------------------------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(200), nullable=False, unique=True),
    Column("password_hash", String(200)),  # argon2id; None: sign-in through OIDC only
    Column("role", String(20), nullable=False),  # participant | moderator | coordinator | admin
    # A participant account speaks for one pseudonymous participant; erased with them.
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE")),
    Column("oidc_subject", String(200), unique=True),  # e-mail or subject of the provider
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_sign_in_at", DateTime(timezone=True)),
    Column("disabled", Boolean, nullable=False, server_default=false()),  # no sign-in, no session
)

# Scope of a moderator (programme + group) or a coordinator (programme, group "").
role_grants = Table(
    "role_grants",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("programme", String(200), primary_key=True),
    Column("group_name", String(200), primary_key=True, server_default=""),
)

# Failed sign-ins per user name (also unknown names), so a lock holds across processes.
login_failures = Table(
    "login_failures",
    metadata,
    Column("username", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("locked_until", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Signed-in browser sessions and one-time hand-over tokens (migration 0008): only the SHA-256
# of the random id the cookie (or the hand-over link) carries is stored.
sessions = Table(
    "sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("kind", String(10), nullable=False),  # session | handover
    Column(
        "username",
        ForeignKey("users.username", ondelete="CASCADE", onupdate="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
)

consent_history = Table(
    "consent_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "participant_id",
        ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("consent_analysis", Boolean, nullable=False),
    Column("consent_matching", Boolean, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("changed_by", String(200), nullable=False),
)

# Append-only: the repository has no update or delete for it, and triggers refuse both (and
# TRUNCATE on PostgreSQL, migration 0005; deploy/postgres/audit-owner.sql gives it an owner).
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("outcome", String(10), nullable=False),  # ok | denied | failed
    Column("programme", String(200)),
    Column("group_name", String(200)),
    Column("subject", String(200), index=True),  # participant id or user name acted on
    Column("detail", Text, nullable=False, server_default="{}"),  # JSON; never raw text
    # HMAC-SHA-256 over the previous row's link and this row, keyed by a file of the data
    # folder: a database user can delete or alter rows, but not recompute the chain.
    Column("link", String(64)),
)

# The newest link of the audit chain, one row. Appending updates it in the same transaction,
# which also serialises writers (a row lock), so the chain never forks.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("link", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
)

# The end-of-programme questionnaire (migration 0012): one answer per person and programme.
