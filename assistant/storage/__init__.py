"""Storage: the only package that speaks SQL (SQLAlchemy Core on SQLite or PostgreSQL).

One store per aggregate, each returning typed values (``records.py``): programmes and people,
entries with their analyses, theme runs and forum choices, matching runs and rules, accounts
and their browser sessions, tandems' goal agreements and meetings, peer groups' sessions and
check-ins, learned examples, the audit log, erasure;
``vector_cache`` keeps embeddings of texts on disk for the embedders.
``Stores`` holds them all over one ``Database``; ``tables.py`` and ``migrations/`` define the
schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from assistant.storage.accounts import AccountStore
from assistant.storage.agreements import AgreementStore
from assistant.storage.audit import AuditStore
from assistant.storage.engine import Database, Tx, make_engine, migrate
from assistant.storage.entries import EntryStore
from assistant.storage.erasure import ErasureStore
from assistant.storage.group_sessions import GroupSessionStore
from assistant.storage.learning import LearningStore
from assistant.storage.matches import MatchStore
from assistant.storage.meetings import MeetingStore
from assistant.storage.programmes import ProgrammeStore
from assistant.storage.questionnaire import QuestionnaireStore
from assistant.storage.sessions import SessionStore
from assistant.storage.theme_runs import ThemeRunStore

__all__ = ["Database", "Stores", "Tx", "make_engine", "migrate"]


@dataclass(frozen=True)
class Stores:
    """Every store over one database."""

    db: Database
    programmes: ProgrammeStore
    entries: EntryStore
    theme_runs: ThemeRunStore
    accounts: AccountStore
    audit: AuditStore
    erasure: ErasureStore
    matches: MatchStore
    sessions: SessionStore
    agreements: AgreementStore
    meetings: MeetingStore
    group_sessions: GroupSessionStore
    questionnaire: QuestionnaireStore
    learning: LearningStore

    @classmethod
    def open(cls, engine: Engine, *, audit_key: Callable[[], bytes] | None = None) -> Stores:
        """Return the stores over ``engine`` (migrated by the caller).

        ``audit_key`` returns the key that chains the audit log (``AuditStore``); the factory
        passes the data folder's key file. Without it, audit rows are appended unchained.
        """
        db = Database(engine)
        return cls(
            db=db,
            programmes=ProgrammeStore(db),
            entries=EntryStore(db),
            theme_runs=ThemeRunStore(db),
            accounts=AccountStore(db),
            audit=AuditStore(db, audit_key),
            erasure=ErasureStore(db),
            matches=MatchStore(db),
            sessions=SessionStore(db),
            agreements=AgreementStore(db),
            meetings=MeetingStore(db),
            group_sessions=GroupSessionStore(db),
            questionnaire=QuestionnaireStore(db),
            learning=LearningStore(db),
        )
