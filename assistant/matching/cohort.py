"""Building a Cohort from what the database holds: participants, entries, stored analyses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from assistant.domain import Entry, Participant
from assistant.matching.model import Candidate, Cohort, Passage, Side
from assistant.scores import ScoreRows

__all__ = ["build_cohort"]


def build_cohort(
    people: Sequence[Participant],
    entries: Sequence[Entry],
    entry_ids: Sequence[str],
    vectors: NDArray[np.float32],
    scores: ScoreRows,
    topic_ids: Sequence[str],
    *,
    levels: Mapping[str, int | None] | None = None,
    capacities: Mapping[str, int | None] | None = None,
) -> Cohort:
    """Return the Cohort of ``people`` with one Passage per analysed entry.

    Parameters
    ----------
    people : sequence of Participant
        Already filtered to those who consented to matching; ``role`` gives the side.
    entries : sequence of Entry
        The programme's entries; those without a row in ``entry_ids`` are left out.
    entry_ids, vectors, scores
        The stored analyses: one row of ``vectors`` and ``scores`` per id.
    topic_ids : sequence of str
        The pool's topic ids in the order of the score columns.
    levels, capacities : mapping of participant id to int or None, optional
        From the programme membership; a missing id means "not given".

    Returns
    -------
    Cohort
        Needs are goals (for peers goals and reflections; for a mentee without goals, their
        reflections); offers are offers. Values are not checked here: the matching functions
        check them and raise ``MatchingError``.
    """
    if not len(entry_ids) == len(vectors) == len(scores):
        raise ValueError(
            f"entry_ids ({len(entry_ids)}), vectors ({len(vectors)}) and scores "
            f"({len(scores)}) must have one row per analysed entry."
        )
    row_of = {eid: i for i, eid in enumerate(entry_ids)}
    topics = scores.topics
    by_person: dict[str, dict[str, list[Passage]]] = {}
    for entry in entries:
        if entry.id in row_of:
            i = row_of[entry.id]
            passage = Passage(entry.id, vectors[i], topics[i])
            by_person.setdefault(entry.participant_id, {}).setdefault(entry.kind, []).append(
                passage
            )
    levels = levels or {}
    capacities = capacities or {}
    candidates = []
    for person in people:
        kinds = by_person.get(person.id, {})
        goals, reflections = kinds.get("goal", []), kinds.get("reflection", [])
        side: Side = person.role  # type: ignore[assignment]  # checked by the matching functions
        needs = goals + reflections if side == "peer" else goals or reflections
        candidates.append(
            Candidate(
                id=person.id,
                side=side,
                organisation=person.organisation,
                level=levels.get(person.id),
                capacity=capacities.get(person.id),
                needs=tuple(needs),
                offers=tuple(kinds.get("offer", [])),
            )
        )
    return Cohort(tuple(topic_ids), tuple(candidates))
