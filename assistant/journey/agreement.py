"""The goal agreement (Zielvereinbarung): a draft from the tandem's data, checks, the document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from assistant import texts
from assistant.domain import TopicPool
from assistant.errors import InvalidEntryError
from assistant.journey.guide import tandem_subtitle
from assistant.journey.model import (
    AgreementContent,
    AgreementDefaults,
    Document,
    GoalItem,
    Section,
    Tandem,
)

__all__ = ["LIMITS", "agreement_document", "draft_agreement", "validate_agreement"]

LIMITS: Mapping[str, int] = {
    "goal": 1500,
    "confidentiality": 2000,
    "excluded_topics": 1000,
    "goals": 8,
    "minutes_min": 15,
    "minutes_max": 480,
    "months_min": 1,
    "months_max": 36,
}
"""Field caps: a goal as long as a long written goal (about 250 words), eight goals at most,
so the printed agreement stays a few pages; longer texts are refused with a German message
(the form keeps them), never cut off silently."""


def draft_agreement(
    tandem: Tandem, pool: TopicPool, defaults: AgreementDefaults
) -> AgreementContent:
    """Return the first draft: the mentee's goals under their topics, then the shared topics.

    A goal whose topic the pool does not know keeps its text without a topic; shared topics
    without a written goal get an empty goal to fill in. At most ``LIMITS["goals"]`` items;
    one empty item when there is nothing at all.
    """
    known = {t.id for t in pool.topics}
    goals = [GoalItem(t if t in known else "", g) for t, g in tandem.goals_by_topic if g]
    have = {g.topic for g in goals}
    goals += [GoalItem(t, "") for t in tandem.shared_topics if t in known and t not in have]
    return AgreementContent(
        goals=tuple(goals[: LIMITS["goals"]]) or (GoalItem("", ""),),
        rhythm=defaults.rhythm,
        minutes=defaults.minutes,
        months=defaults.months,
        confidentiality=texts.AGREEMENT_CONFIDENTIALITY_DEFAULT,
        excluded_topics="",
    )


def validate_agreement(content: AgreementContent) -> AgreementContent:
    """Return the content with texts stripped and empty goals dropped, or refuse it.

    Raises
    ------
    InvalidEntryError
        ``too_long`` (field, length, limit in ``params``), ``rhythm``, ``minutes``,
        ``months`` or ``goals``; the message is German and safe to show.
    """
    goals = tuple(
        GoalItem(g.topic.strip(), g.goal.strip()) for g in content.goals if g.goal.strip()
    )
    for goal in goals:
        field = texts.AGREEMENT_FIELD_GOAL.format(topic=goal.topic) if goal.topic else None
        _cap(field or texts.AGREEMENT_FIELD_GOAL_FREE, goal.goal, "goal")
    _cap(texts.AGREEMENT_FIELD_CONFIDENTIALITY, content.confidentiality, "confidentiality")
    _cap(texts.AGREEMENT_FIELD_EXCLUDED, content.excluded_topics, "excluded_topics")
    if not 1 <= len(goals) <= LIMITS["goals"]:
        message = texts.INVALID_AGREEMENT["goals"].format(high=LIMITS["goals"])
        raise InvalidEntryError(message, "goals")
    if content.rhythm not in texts.RHYTHMS:
        raise InvalidEntryError(texts.INVALID_AGREEMENT["rhythm"], "rhythm")
    for name in ("minutes", "months"):
        low, high = LIMITS[f"{name}_min"], LIMITS[f"{name}_max"]
        if not low <= getattr(content, name) <= high:
            message = texts.INVALID_AGREEMENT[name].format(low=low, high=high)
            raise InvalidEntryError(message, name)
    return replace(
        content,
        goals=goals,
        confidentiality=content.confidentiality.strip(),
        excluded_topics=content.excluded_topics.strip(),
    )


def agreement_document(
    tandem: Tandem,
    content: AgreementContent,
    pool: TopicPool,
    *,
    version: int,
    confirmations: Sequence[tuple[str, datetime]],
) -> Document:
    """Compose the printable agreement; a draft until both partners confirmed this version.

    Parameters
    ----------
    version : int
        The stored version (0: a draft not stored yet).
    confirmations : sequence of (str, datetime)
        Who (participant id) confirmed this version, and when.
    """
    labels = {t.id: t.label_in("de") for t in pool.topics}
    confirmed_at = dict(confirmations)
    confirmed = tandem.partners <= set(confirmed_at)
    goals = tuple(
        f"{labels.get(g.topic, g.topic) or texts.AGREEMENT_NO_TOPIC}: "
        f"{g.goal or texts.AGREEMENT_GOAL_NONE}"
        for g in content.goals
    )
    frame = texts.AGREEMENT_FRAME_LINE.format(
        rhythm=texts.RHYTHMS.get(content.rhythm, content.rhythm),
        minutes=content.minutes,
        months=content.months,
    )
    if version == 0:
        status = texts.AGREEMENT_NOT_STORED
    else:
        status = texts.AGREEMENT_CONFIRMED if confirmed else texts.AGREEMENT_WAITING
    signatures = tuple(
        texts.AGREEMENT_CONFIRMED_BY.format(
            person=person, at=confirmed_at[person].strftime("%d.%m.%Y %H:%M")
        )
        if person in confirmed_at
        else texts.AGREEMENT_UNCONFIRMED.format(person=person)
        for person in (tandem.mentee, tandem.mentor)
    )
    return Document(
        texts.AGREEMENT_TITLE,
        tandem_subtitle(tandem),
        (
            Section(texts.AGREEMENT_GOALS, items=goals),
            Section(texts.AGREEMENT_FRAME, paragraphs=(frame,)),
            Section(texts.AGREEMENT_CONFIDENTIALITY, paragraphs=(content.confidentiality,)),
            Section(
                texts.AGREEMENT_EXCLUDED,
                paragraphs=(content.excluded_topics or texts.AGREEMENT_EXCLUDED_NONE,),
            ),
            Section(
                texts.AGREEMENT_SIGNATURES,
                paragraphs=(texts.AGREEMENT_STATUS.format(version=version, status=status),),
                items=signatures,
            ),
        ),
        draft=not confirmed,
    )


def _cap(label: str, text: str, limit: str) -> None:
    """Refuse a text longer than its limit, naming the field, its length and the limit."""
    if len(text.strip()) > LIMITS[limit]:
        length = len(text.strip())
        raise InvalidEntryError(
            texts.agreement_too_long(label, length, LIMITS[limit]),
            "too_long",
            {"field": limit, "length": length, "limit": LIMITS[limit]},
        )
