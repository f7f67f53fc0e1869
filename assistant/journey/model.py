"""Values of the tandem's journey: the tandem, its agreement's content, a printable document."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.domain import Programme

__all__ = [
    "AgreementContent",
    "AgreementDefaults",
    "Document",
    "GoalItem",
    "Section",
    "Tandem",
]


@dataclass(frozen=True)
class Tandem:
    """A published tandem with what its two partners wrote and the pool topics behind it.

    Attributes
    ----------
    shared_topics : tuple of str
        Topic ids strong in both the mentee's needs and the mentor's offers, best first.
    mentee_topics, mentor_topics : tuple of str
        Topic ids suggested for (or accepted by) each side's own texts, best first.
    goals_by_topic : tuple of (str, str)
        ``(topic id, goal text)``: each of the mentee's goals under its best topic ("" when
        none fits), in the order written.
    """

    programme: Programme
    mentee: str
    mentor: str
    shared_topics: tuple[str, ...] = ()
    mentee_topics: tuple[str, ...] = ()
    mentor_topics: tuple[str, ...] = ()
    goals_by_topic: tuple[tuple[str, str], ...] = ()

    @property
    def partners(self) -> frozenset[str]:
        """The two participant ids of the tandem."""
        return frozenset((self.mentee, self.mentor))

    @property
    def complementary_topics(self) -> tuple[str, ...]:
        """Topics of only one side: the mentee's first, then the mentor's, none twice."""
        seen = set(self.shared_topics)
        found: list[str] = []
        for topic in (*self.mentee_topics, *self.mentor_topics):
            if topic not in seen:
                seen.add(topic)
                found.append(topic)
        return tuple(found)


@dataclass(frozen=True)
class GoalItem:
    """One goal of the agreement under a pool topic (``topic`` "" for a goal of its own)."""

    topic: str
    goal: str


@dataclass(frozen=True)
class AgreementDefaults:
    """The frame a new draft starts from: programme settings where they exist, else these."""

    rhythm: str = "monthly"
    minutes: int = 90
    months: int = 12


@dataclass(frozen=True)
class AgreementContent:
    """What the tandem agrees on; stored as JSON with each version (``as_dict``)."""

    goals: tuple[GoalItem, ...]
    rhythm: str
    minutes: int
    months: int
    confidentiality: str
    excluded_topics: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form (the stored one)."""
        return {
            "goals": [{"topic": g.topic, "goal": g.goal} for g in self.goals],
            "rhythm": self.rhythm,
            "minutes": self.minutes,
            "months": self.months,
            "confidentiality": self.confidentiality,
            "excluded_topics": self.excluded_topics,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AgreementContent:
        """Read the stored form back."""
        return cls(
            goals=tuple(
                GoalItem(str(g.get("topic", "")), str(g.get("goal", "")))
                for g in data.get("goals", [])
            ),
            rhythm=str(data.get("rhythm", "monthly")),
            minutes=int(data.get("minutes", 90)),
            months=int(data.get("months", 12)),
            confidentiality=str(data.get("confidentiality", "")),
            excluded_topics=str(data.get("excluded_topics", "")),
        )


@dataclass(frozen=True)
class Section:
    """A heading with paragraphs and a list of points (either may be empty)."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A printable document: title, subtitle, sections; ``draft`` marks every page "Entwurf"."""

    title: str
    subtitle: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
    draft: bool = False

    def text(self) -> str:
        """Return the whole document as plain text (for the app and for tests)."""
        lines = [self.title, self.subtitle]
        for section in self.sections:
            lines += ["", section.heading, *section.paragraphs]
            lines += [f"- {item}" for item in section.items]
        return "\n".join(lines)
