"""The first-meeting guide (Leitfaden für das Erstgespräch) of a published tandem."""

from __future__ import annotations

from assistant import texts
from assistant.domain import Topic, TopicPool
from assistant.journey.model import Document, Section, Tandem

__all__ = ["MAX_AGENDA_TOPICS", "compose_guide", "tandem_subtitle"]

MAX_AGENDA_TOPICS = 5
"""Shared topics first, then complementary ones: five fill a first meeting of 90 minutes."""


def tandem_subtitle(tandem: Tandem) -> str:
    """Return the line naming the programme and the two partners (pseudonyms)."""
    return texts.TANDEM_SUBTITLE.format(
        programme=tandem.programme.name, mentee=tandem.mentee, mentor=tandem.mentor
    )


def compose_guide(tandem: Tandem, pool: TopicPool) -> Document:
    """Compose the guide: getting to know, concerns, support, rules, and an agenda.

    Parameters
    ----------
    tandem : Tandem
        The published pair with its shared and complementary topics and the mentee's goals.
    pool : TopicPool
        The programme's pool; topics unknown to it (a pool edited since) are left out.

    Returns
    -------
    Document
        Four fixed sections, then the agenda: one section per topic (at most
        ``MAX_AGENDA_TOPICS``, shared first) with its description and reflection questions.
    """
    goals = tuple(goal for _, goal in tandem.goals_by_topic if goal)
    concern = Section(
        texts.GUIDE_CONCERN,
        paragraphs=(texts.GUIDE_MENTEE_GOALS,) if goals else (),
        items=tuple(f"„{goal}“" for goal in goals) + texts.GUIDE_CONCERN_ITEMS,
    )
    sections = [
        Section(texts.GUIDE_KNOW, paragraphs=(texts.GUIDE_INTRO,), items=texts.GUIDE_KNOW_ITEMS),
        concern,
        Section(texts.GUIDE_SUPPORT, items=texts.GUIDE_SUPPORT_ITEMS),
        Section(texts.GUIDE_RULES, items=texts.GUIDE_RULES_ITEMS),
    ]
    agenda = _agenda(tandem, pool)
    sections.append(
        Section(texts.GUIDE_AGENDA, paragraphs=() if agenda else (texts.GUIDE_AGENDA_EMPTY,))
    )
    sections += agenda
    return Document(texts.GUIDE_TITLE, tandem_subtitle(tandem), tuple(sections))


def _agenda(tandem: Tandem, pool: TopicPool) -> list[Section]:
    """One section per agenda topic, with the pool's description and reflection questions."""
    by_id = {t.id: t for t in pool.topics}
    picked: list[tuple[str, Topic]] = [
        (texts.GUIDE_AGENDA_SHARED, by_id[t]) for t in tandem.shared_topics if t in by_id
    ]
    picked += [
        (texts.GUIDE_AGENDA_COMPLEMENTARY, by_id[t])
        for t in tandem.complementary_topics
        if t in by_id
    ]
    return [
        Section(
            template.format(topic=topic.label_in("de")),
            paragraphs=tuple(p for p in (topic.description.get("de", ""),) if p),
            items=topic.reflection_questions.get("de", ()),
        )
        for template, topic in picked[:MAX_AGENDA_TOPICS]
    ]
