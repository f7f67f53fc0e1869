"""How peers match: the sides a mode searches, PeerMatch, shared topics and reason codes.

Reasons are codes, never sentences: ``assistant.texts.peer_reason`` words them in German. A
reason says what was compared: "similar goals" (or need and offer) only with a shared topic;
without one, the topic profiles did not meet and only the texts' wording was compared
(``"similar_wording"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from assistant.errors import InvalidEntryError
from assistant.peers.profiles import PeerProfile, Side, side_of

__all__ = [
    "MAX_SHARED_TOPICS",
    "MODES",
    "REASON_CODES",
    "Mode",
    "PeerMatch",
    "ReasonCode",
    "build_match",
    "reason_codes",
    "shared_topics",
    "sides_for",
]

Mode = Literal["similar", "need-offer"]
MODES: tuple[Mode, ...] = ("similar", "need-offer")

MAX_SHARED_TOPICS = 3  # at most this many shared topics are named, the strongest first

ReasonCode = Literal[
    "similar_goals",
    "need_offer",
    "offer_need",
    "similar_wording",
    "shared_topics",
    "other_organisation",
]
REASON_CODES: tuple[ReasonCode, ...] = (
    "similar_goals",  # goals against goals, with a shared topic
    "need_offer",  # my goals against their offers: they offer what I seek (a shared topic)
    "offer_need",  # my offers against their goals: they seek what I offer (a shared topic)
    "similar_wording",  # no shared topic: only the wording of the texts was alike
    "shared_topics",  # PeerMatch.shared_topics is not empty
    "other_organisation",  # preferred because they work for another organisation
)

_BY_SIDES: dict[tuple[Side, Side], ReasonCode] = {
    ("need", "need"): "similar_goals",
    ("need", "offer"): "need_offer",
    ("offer", "need"): "offer_need",
}


@dataclass(frozen=True)
class PeerMatch:
    """One suggested peer, with the evidence for the suggestion.

    Attributes
    ----------
    participant_id : str
    score : float
        Cosine similarity of the two combined representations, clipped to [0, 1] (a negative
        cosine means "unrelated" as much as zero does). It is the similarity itself, without
        the cross-organisation penalty, which only changes the order.
    shared_topics : tuple of str
        Pool topic ids strong in both relevant profiles, best first.
    reasons : tuple of str
        Why this peer, as codes from ``REASON_CODES``: with shared topics, how the sides were
        matched (``"similar_goals"``, ``"need_offer"`` or ``"offer_need"``) and then
        ``"shared_topics"``; without, ``"similar_wording"`` alone (only the texts were
        compared); then ``"other_organisation"`` when that was preferred and holds.
        ``assistant.texts.peer_reason`` turns them into one German line.
    strength : float
        Share of random pairs of the index that are less similar (``PeerIndex.
        null_similarities``), in [0, 1]; ``assistant.scores.fit_band`` words it.
    """

    participant_id: str
    score: float
    shared_topics: tuple[str, ...]
    reasons: tuple[ReasonCode, ...]
    strength: float = 1.0


def sides_for(
    participant_id: str, mode: Mode, *, has_need: bool, has_offer: bool
) -> tuple[Side, Side]:
    """Return (query side, searched side) for ``mode``.

    A participant without goals (e.g. a mentor) is matched the other way in ``"need-offer"``
    mode: their offers against others' goals.

    Raises
    ------
    InvalidEntryError
        ``code="no_texts"`` when the participant has no texts for ``mode``.
    """
    if mode == "similar" and has_need:
        return "need", "need"
    if mode == "need-offer" and has_need:
        return "need", "offer"
    if mode == "need-offer" and has_offer:
        return "offer", "need"
    wanted = "goals" if mode == "similar" else "goals or offers"
    raise InvalidEntryError(
        f"participant '{participant_id}' has no {wanted} to match in mode '{mode}'.",
        "no_texts",
    )


def build_match(
    profile: PeerProfile,
    other: PeerProfile,
    similarity: float,
    sides: tuple[Side, Side],
    *,
    prefer_other_organisation: bool,
    topic_ids: Sequence[str],
    min_shared_score: float,
    strength: float = 1.0,
) -> PeerMatch:
    """Return the PeerMatch for ``other`` as seen from ``profile``.

    Parameters
    ----------
    similarity : float
        Inner product of the two representations; clipped to [0, 1] for ``score``.
    sides : (Side, Side)
        Query side of ``profile``, searched side of ``other``.
    """
    mine = side_of(profile, sides[0])[1]
    theirs = side_of(other, sides[1])[1]
    shared = shared_topics(mine, theirs, topic_ids, min_shared_score)
    other_organisation = prefer_other_organisation and other.organisation != profile.organisation
    return PeerMatch(
        participant_id=other.participant_id,
        score=min(max(similarity, 0.0), 1.0),
        shared_topics=shared,
        reasons=reason_codes(sides, bool(shared), other_organisation),
        strength=strength,
    )


def reason_codes(
    sides: tuple[Side, Side], has_shared_topics: bool, other_organisation: bool
) -> tuple[ReasonCode, ...]:
    """Return the reason codes of a match found by ``sides`` (query side, searched side).

    Raises
    ------
    KeyError
        For ``("offer", "offer")``, which no mode searches.
    """
    base = _BY_SIDES[sides]  # KeyError for a pair of sides no mode searches
    codes: list[ReasonCode] = [base, "shared_topics"] if has_shared_topics else ["similar_wording"]
    if other_organisation:
        codes.append("other_organisation")
    return tuple(codes)


def shared_topics(
    a: NDArray[np.floating] | None,
    b: NDArray[np.floating] | None,
    topic_ids: Sequence[str],
    min_score: float = 0.0,
    top_n: int = MAX_SHARED_TOPICS,
) -> tuple[str, ...]:
    """Return topic ids positive and at least ``min_score`` in both profiles, at most ``top_n``.

    Profiles of ``build_peer_profiles`` hold listed topics only, so a shared topic is one
    that a text of each person lists; two such profiles have a positive topic cosine exactly
    when they share a topic. Ordered by the weaker of the two scores (the strength both
    share), then by their sum, then by pool order.
    """
    if a is None or b is None:
        return ()
    both = (np.asarray(a) > 0) & (np.asarray(b) > 0) & (a >= min_score) & (b >= min_score)
    common = sorted(
        (int(i) for i in np.flatnonzero(both)),
        key=lambda i: (-min(a[i], b[i]), -(a[i] + b[i]), i),
    )
    return tuple(topic_ids[i] for i in common[:top_n])
