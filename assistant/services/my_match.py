"""A participant's own published match: their partner or group, as they may see it."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.domain import Programme
from assistant.services.match_records import grouping_result
from assistant.services.matching import Matching, mode_of

__all__ = ["MyMatch", "my_match"]


@dataclass(frozen=True)
class MyMatch:
    """What a participant sees of their published match: partner or group, never others' words.

    ``partner_offers`` are the partner's offers and ``evidence`` the two texts behind the pair
    (the mentee's goal, the mentor's offer), shown to these two people only and only while the
    partner consents to matching.
    """

    programme: Programme
    partner: str | None = None
    partner_organisation: str = ""
    partner_role: str = ""
    shared_topics: tuple[str, ...] = ()
    partner_offers: tuple[str, ...] = ()
    evidence: tuple[str, str] | None = None
    group: str | None = None
    members: tuple[tuple[str, str], ...] = ()  # (pseudonym, organisation) of the others


def my_match(matching: Matching, programme: str, participant_id: str) -> MyMatch | None:
    """Return a participant's published partner or group, or None while nothing is published."""
    prog = matching.lookups.programme(programme)
    stores = matching.stores
    people = {p.id: p for p in stores.programmes.participants_of(prog.id)}
    if mode_of(prog.kind) == "groups":
        published = stores.matches.get(prog.id, "groups", "published")
        if published is None:
            return None
        found = grouping_result(published)
        group = next((g for g in found.groups if participant_id in g.members), None)
        if group is None:
            return None
        others = tuple(
            (m, people[m].organisation)
            for m in group.members
            if m != participant_id and m in people and people[m].consent_matching
        )
        return MyMatch(prog, shared_topics=group.shared_topics, group=group.id, members=others)
    pair = matching.partner_of(programme, participant_id)
    if pair is None:
        return None
    partner_id = pair.mentor if pair.mentee == participant_id else pair.mentee
    partner = people.get(partner_id)
    if partner is None:
        return None
    texts = {e.id: e for e in stores.entries.of_programme(prog.id)}
    offers: tuple[str, ...] = ()
    if partner.consent_matching:
        offers = tuple(
            e.text for e in texts.values() if e.participant_id == partner_id and e.kind == "offer"
        )
    evidence = None
    proof = pair.evidence
    if partner.consent_matching and proof and {proof.need_entry, proof.offer_entry} <= set(texts):
        evidence = (texts[proof.need_entry].text, texts[proof.offer_entry].text)
    return MyMatch(
        prog,
        partner=partner_id,
        partner_organisation=partner.organisation,
        partner_role=partner.role,
        shared_topics=pair.shared_topics,
        partner_offers=offers,
        evidence=evidence,
    )
