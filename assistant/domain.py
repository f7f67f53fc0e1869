"""Frozen dataclasses shared by the stages: topics, pools, processed texts, suggestions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")


@dataclass(frozen=True)
class Topic:
    """One topic of a programme's topic pool (Themenpool); ``id`` is a stable contract."""

    id: str
    label: dict[str, str]
    description: dict[str, str]
    keywords: dict[str, tuple[str, ...]]
    examples: dict[str, tuple[str, ...]]
    reflection_questions: dict[str, tuple[str, ...]]
    forum_prompts: dict[str, tuple[str, ...]]

    def label_in(self, language: str) -> str:
        """Return the label in ``language``, falling back to German."""
        return self.label.get(language) or self.label["de"]


@dataclass(frozen=True)
class TopicPool:
    """A validated topic pool: ordered topics plus off-pool texts used for calibration."""

    name: str
    source: str
    topics: tuple[Topic, ...]
    off_pool: dict[str, tuple[str, ...]] = field(default_factory=dict)
    schema_version: int = 1

    @property
    def ids(self) -> tuple[str, ...]:
        """Topic ids in pool order."""
        return tuple(t.id for t in self.topics)

    def get(self, topic_id: str) -> Topic:
        """Return the topic with ``topic_id``; ``KeyError`` names the valid ids."""
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(f"Unknown topic id '{topic_id}'. Available: {', '.join(self.ids)}.")


@dataclass(frozen=True)
class ProcessedText:
    """What spaCy preprocessing learned about one text."""

    text: str
    language: Language
    sentences: tuple[str, ...]
    lemmas: tuple[str, ...]
    keywords: tuple[str, ...]
    # The lemmas of each sentence, from the same parse (empty when not computed).
    sentence_lemmas: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class TopicSuggestion:
    """One ranked pool topic for a text, with the evidence that led to it.

    ``strength`` is the share of unrelated texts on which the topic scores lower
    (``assistant.scores.null_quantile``); ``assistant.scores.fit_band`` words it. 1.0 where
    no null is known. ``probability`` is how often a listed topic with this score was right,
    calibrated on the pool (``TopicSuggester.probability``); None where unknown.
    """

    topic_id: str
    label: str
    score: float
    evidence: tuple[str, ...]
    keywords: tuple[str, ...]
    strength: float = 1.0
    probability: float | None = None


@dataclass(frozen=True)
class SuggestionResult:
    """Topics suggested for one text; ``no_fit`` when none clears the calibrated threshold."""

    language: Language
    topics: tuple[TopicSuggestion, ...]
    no_fit: bool


PROGRAMME_KINDS = ("reverse", "cross", "peer_group", "tandem")
# A programme's entries are deleted this many months after its end unless it sets its own
# ``retention_months`` (the database default; the privacy notice states it).
DEFAULT_RETENTION_MONTHS = 12
ROLES = ("mentee", "mentor", "peer")
ENTRY_KINDS = ("goal", "offer", "reflection")
STAGES = ("seminar", "simulation", "forum", "application")
# A person's data in one programme beyond the role, set by imports (the README's import format).
MEMBERSHIP_FIELDS = ("capacity", "level", "email")


@dataclass(frozen=True)
class Programme:
    """A mentoring programme (Programm): reverse, cross, peer_group or tandem."""

    id: int
    name: str
    kind: str
    description: str = ""
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass(frozen=True)
class Participant:
    """A participant (Teilnehmende) under a pseudonymous id, with consents.

    Read through a programme, it carries that membership's role, capacity, level and email.
    """

    id: str
    organisation: str
    role: str
    age_band: str | None
    consent_analysis: bool
    consent_matching: bool
    given_name: str | None = None
    # Counts toward k (k-anonymity) only once they signed in or an admin confirmed the roster:
    # ids made up by an import must not open a small theme cluster.
    confirmed: bool = True
    # Their membership in one programme (None: no value, so no rule): how many mentees a
    # mentor takes this round (0: none), seniority (higher = more senior), and the address for
    # the journey's invitations (personal data: exported and erased with them).
    capacity: int | None = None
    level: int | None = None
    email: str | None = None


@dataclass(frozen=True)
class Entry:
    """A goal, offer or reflection written by a participant."""

    id: str
    programme_id: int
    participant_id: str
    kind: str
    text: str
    created_at: date
    stage: str | None = None
    status: str = "pending"


def content_hash(
    programme: str, participant_id: str, kind: str, text: str, created_at: date
) -> str:
    """Return the hash of what an entry says; equal hashes mean a re-import of the same entry."""
    key = "\x00".join([programme, participant_id, kind, text, created_at.isoformat()])
    return hashlib.sha256(key.encode()).hexdigest()
