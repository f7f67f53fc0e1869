"""Typed values the stores return: no store hands out rows, dicts or tuples of dicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from assistant.domain import Entry, Participant, Programme
from assistant.scores import ScoreRows

__all__ = [
    "Account",
    "AuditRow",
    "ConsentChange",
    "ForumChoice",
    "GroupRef",
    "ParticipantUpsert",
    "RetentionDue",
    "SessionRecord",
    "StoredCluster",
    "StoredSuggestion",
    "StoredThemeRun",
    "StoredVectors",
]


@dataclass(frozen=True)
class StoredVectors:
    """Stored analyses of entries in the order asked: embeddings, topic scores, lemmas."""

    entry_ids: list[str]
    vectors: NDArray[np.float32]
    topic_scores: NDArray[np.float64]
    lemmas: list[tuple[str, ...]]

    @property
    def scores(self) -> ScoreRows | None:
        """The topic scores as ``ScoreRows``; None when nothing is stored."""
        return ScoreRows(self.topic_scores) if self.entry_ids else None


@dataclass(frozen=True)
class StoredSuggestion:
    """A topic suggested for an entry and what the participant did with it."""

    entry_id: str
    topic_id: str
    score: float
    rank: int
    status: str  # suggested | accepted | dismissed
    updated_at: datetime


@dataclass(frozen=True)
class ParticipantUpsert:
    """What storing an imported participant did with the values the file gave.

    ``kept``: fields of the person left as stored although the file differs (consent,
    organisation, age band). ``changed``: membership fields of a known membership that took the
    file's new value (capacity, level, email).
    """

    kept: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupRef:
    """A peer group of a programme."""

    id: int
    programme_id: int
    name: str


@dataclass(frozen=True)
class ForumChoice:
    """A topic a moderator chose for a forum date."""

    topic_id: str
    session_date: date


@dataclass(frozen=True)
class Account:
    """A local or OIDC account with its role grants ``(programme, group or "")``."""

    username: str
    role: str
    participant_id: str | None
    oidc_subject: str | None
    password_hash: str | None
    grants: tuple[tuple[str, str], ...]
    created_at: datetime | None
    last_sign_in_at: datetime | None
    disabled: bool = False


@dataclass(frozen=True)
class ConsentChange:
    """One change of a participant's consents."""

    analysis: bool
    matching: bool
    changed_at: datetime
    changed_by: str

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form used by the data export."""
        return {
            "analysis": self.analysis,
            "matching": self.matching,
            "changed_at": self.changed_at.isoformat(),
            "changed_by": self.changed_by,
        }


@dataclass(frozen=True)
class AuditRow:
    """One row of the audit log."""

    id: int
    at: datetime
    actor: str
    action: str
    outcome: str
    programme: str | None
    group: str | None
    subject: str | None
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form of ``assistant audit`` and the data export."""
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "outcome": self.outcome,
            "programme": self.programme,
            "group": self.group,
            "subject": self.subject,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class StoredCluster:
    """A theme cluster as stored with its run."""

    cluster_id: str
    label: str
    keywords: tuple[str, ...]
    size: int
    n_entries: int
    topic: str | None
    emerging: bool
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class StoredThemeRun:
    """A stored clustering of a programme: its fingerprint, counts, clusters, assignments."""

    fingerprint: str
    n_entries: int
    n_boilerplate: int
    n_duplicates: int
    too_few: bool
    clusters: tuple[StoredCluster, ...]
    assignments: dict[str, str]  # entry id -> cluster id


@dataclass(frozen=True)
class RetentionDue:
    """A programme past its retention date and the entries to delete."""

    programme: Programme
    delete_after: date
    entry_ids: list[str]


def programme_from(row: Any) -> Programme:
    """Build a ``Programme`` from a ``programmes`` row."""
    return Programme(
        id=int(row.id),
        name=row.name,
        kind=row.kind,
        description=row.description or "",
        starts_on=row.starts_on,
        ends_on=row.ends_on,
    )


def participant_from(row: Any) -> Participant:
    """Build a ``Participant`` from a ``participants`` row joined with its membership."""
    return Participant(
        id=row.id,
        organisation=row.organisation or "",
        role=row.role,
        age_band=row.age_band,
        consent_analysis=bool(row.consent_analysis),
        consent_matching=bool(row.consent_matching),
        given_name=row.given_name,
        confirmed=bool(row.confirmed),
        capacity=row.capacity,
        level=row.level,
        email=row.email,
    )


def entry_from(row: Any) -> Entry:
    """Build an ``Entry`` from an ``entries`` row."""
    return Entry(
        id=row.id,
        programme_id=int(row.programme_id),
        participant_id=row.participant_id,
        kind=row.kind,
        text=row.text,
        created_at=row.created_at,
        stage=row.stage,
        status=row.status,
    )


@dataclass(frozen=True)
class StoredMatchItem:
    """One row of a matching run: a pair, a group member, a group or an unmatched person.

    ``detail`` holds codes, topic ids, entry ids and numbers (JSON), never text.
    """

    item: str  # pair | member | group | unmatched
    participant: str | None = None
    partner: str | None = None
    group: str | None = None
    score: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredMatchRun:
    """A stored matching run of a programme (draft or published) with its rows."""

    mode: str  # pairs | groups
    status: str  # draft | published
    objective: float
    gap: float | None
    solver: str
    binding: tuple[dict[str, Any], ...]
    items: tuple[StoredMatchItem, ...]
    created_at: datetime | None = None
    created_by: str = ""


@dataclass(frozen=True)
class StoredMatchRule:
    """A coordinator's lock or exclusion: a pair (``other``) or a group membership (``group``)."""

    rule: str  # lock | exclude
    participant: str
    other: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class SessionRecord:
    """A signed-in browser session (or a hand-over token), found by the hash of its id."""

    username: str
    kind: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime
