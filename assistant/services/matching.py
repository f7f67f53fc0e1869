"""Matching: a programme's cohort into tandems, drafted, adjusted and published.

Reads the consenting members and the stored analyses of their texts (``matching.build_cohort``),
applies the coordinator's locks and exclusions (``MatchStore``), solves (``matching``) and
stores the draft. Published results are what participants see; a recompute keeps published
pairs locked. A coordinator may also enter a pair formed elsewhere (``enter_pair``): it is
published at once, like a matched one, and stays through every recompute. Results are stored
as codes, topic ids and entry ids (``detail``), never text. Peer groups: ``services.grouping``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from assistant.domain import Participant, Programme
from assistant.errors import MatchingError
from assistant.matching import (
    MatchResult,
    PairResult,
    PairRules,
    as_entered,
    entered_pair,
    match_pairs,
)
from assistant.services.cohorts import GROUP_KINDS, PAIR_KINDS, CohortSource, mode_of
from assistant.services.grouping import GroupsView
from assistant.services.match_records import match_result, stored_pair, stored_pairs
from assistant.storage.records import StoredMatchItem, StoredMatchRule, StoredMatchRun

__all__ = [
    "GROUP_KINDS",
    "PAIR_KINDS",
    "EntryCandidates",
    "GroupsView",
    "Matching",
    "PairsView",
    "mode_of",
]


@dataclass(frozen=True)
class PairsView:
    """A programme's tandems as stored: draft or published, and who did not consent.

    ``organisations`` maps each member of the programme to their organisation as imported, for
    the coordinator's table and export (the rules compare authorities: ``authority_of``).
    """

    programme: Programme
    status: str
    result: MatchResult
    no_consent: tuple[str, ...]
    organisations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EntryCandidates:
    """Who a coordinator may enter as a tandem now (ids, sorted).

    Consenting mentees without a published partner, consenting mentors with a place left;
    and the published tandems (mentee, mentor), which the coordinator may end.
    """

    mentees: tuple[str, ...]
    mentors: tuple[str, ...]
    published: tuple[tuple[str, str], ...]


class Matching(CohortSource):
    """Drafts, rules and published results of cohort matching, per programme."""

    def pairs(self, programme: str, *, recompute: bool = False, by: str) -> PairsView:
        """Return the draft (computing one when there is none) or else the published pairs."""
        prog = self._programme(programme, "pairs")
        draft = self.stores.matches.get(prog.id, "pairs", "draft")
        if draft is None and not recompute:
            published = self.stores.matches.get(prog.id, "pairs", "published")
            if published is not None:
                return self._pairs_view(prog, published)
        if draft is None or recompute:
            return self._solve_pairs(prog, by=by)
        return self._pairs_view(prog, draft)

    def lock_pair(self, programme: str, mentee: str, mentor: str, *, by: str) -> PairsView:
        """Fix a pair; the draft is recomputed around it (nothing stored if it breaks a rule)."""
        return self._pair_rule(programme, StoredMatchRule("lock", mentee, mentor), by=by)

    def exclude_pair(self, programme: str, mentee: str, mentor: str, *, by: str) -> PairsView:
        """Never form this pair; the draft is recomputed, changing as few pairs as it can."""
        return self._pair_rule(programme, StoredMatchRule("exclude", mentee, mentor), by=by)

    def rematch(self, programme: str, mentee: str, *, by: str) -> PairsView:
        """Re-match one mentee ("passt nicht"): exclude their mentor, keep the other pairs."""
        prog = self._programme(programme, "pairs")
        view = self.pairs(programme, by=by)
        known = {p.mentee for p in view.result.pairs} | {
            u.participant for u in view.result.unmatched
        }
        if mentee not in known:
            raise MatchingError(f"'{mentee}' is not a mentee of this draft.", "unknown_person")
        mentor = view.result.partner_of(mentee)
        published = self.stores.matches.get(prog.id, "pairs", "published")
        if (
            mentor
            and published
            and any((i.participant, i.partner) == (mentee, mentor) for i in published.items)
        ):
            raise MatchingError(
                f"The tandem {mentee} – {mentor} is published and continues; it cannot be "
                "re-matched in a draft.",
                "published_pair",
            )
        if mentor is None:  # nobody to exclude: a plain recompute around the others
            return self._solve_pairs(prog, by=by, previous=view.result)
        self.stores.matches.drop_rules_of(prog.id, "pairs", mentee)  # an old lock must not hold
        return self._pair_rule(programme, StoredMatchRule("exclude", mentee, mentor), by=by)

    def publish_pairs(self, programme: str, *, by: str) -> PairsView:
        """Publish the draft: participants see their partner from now on."""
        prog = self._programme(programme, "pairs")
        draft = self.stores.matches.get(prog.id, "pairs", "draft")
        if draft is None:
            raise MatchingError(
                f"Programme '{prog.name}' has no draft to publish; compute one first.", "no_draft"
            )
        # Trade-offs name other mentors: the coordinator's working view, not the record.
        kept = tuple(
            StoredMatchItem(i.item, i.participant, i.partner, i.group, i.score,
                            {k: v for k, v in i.detail.items() if k != "trade_offs"})
            for i in draft.items
        )  # fmt: skip
        published = StoredMatchRun(
            "pairs", "published", draft.objective, draft.gap, draft.solver, draft.binding, kept
        )
        self.stores.matches.save(prog.id, published, by=by)
        self.stores.matches.drop(prog.id, "pairs", "draft")
        return self._pairs_view(prog, self.stores.matches.get(prog.id, "pairs", "published"))

    def enter_pair(self, programme: str, mentee: str, mentor: str, *, by: str) -> PairsView:
        """Publish a pair formed outside the assistant (e.g. by a steering group) as a tandem.

        It becomes a published tandem like a matched one (score, shared topics, evidence),
        marked ``entered``; guide, agreement and meetings work unchanged. A draft is
        recomputed around it, so publishing the draft keeps it; every later recompute keeps it
        locked, like any published pair.

        Both need consent to matching: the tandem shows each partner the other (pseudonym,
        organisation, shared topics), which is what that consent covers, and a recompute
        keeps only consenting pairs. The hard rules of the programme's kind hold as for a
        lock, so that no later recompute fails on the entered pair.

        Raises
        ------
        MatchingError
            ``not_member`` (not in the programme), ``same_person``, ``not_mentee`` /
            ``not_mentor`` (wrong role), ``no_consent``, ``already_paired`` (the mentee has a
            published partner), ``mentor_full`` (no place left), or the hard rule it breaks
            (``same_organisation``, ``seniority``, ``excluded``, ``no_capacity``); nothing
            is stored then.
        """
        prog = self._programme(programme, "pairs")
        members = {p.id: p for p in self.stores.programmes.participants_of(prog.id)}
        for pid in (mentee, mentor):
            if pid not in members:
                raise MatchingError(f"'{pid}' is not in programme '{prog.name}'.", "not_member")
        if mentee == mentor:
            raise MatchingError("Mentee and mentor are the same person.", "same_person")
        for pid, role in ((mentee, "mentee"), (mentor, "mentor")):
            if members[pid].role != role:
                raise MatchingError(f"'{pid}' is not a {role} of this programme.", f"not_{role}")
        for pid in (mentee, mentor):
            if not members[pid].consent_matching:
                raise MatchingError(f"'{pid}' has not consented to matching.", "no_consent")
        published = self.stores.matches.get(prog.id, "pairs", "published")
        pairs = [i for i in published.items if i.item == "pair"] if published else []
        if any(i.participant == mentee for i in pairs):
            raise MatchingError(f"'{mentee}' is in a published tandem.", "already_paired")
        taken = sum(i.partner == mentor for i in pairs)
        places = _places(members[mentor])
        if taken and taken >= places:
            raise MatchingError(f"Mentor '{mentor}' has no place left.", "mentor_full")
        two = [members[mentee], replace(members[mentor], capacity=max(places - taken, 0))]
        cohort, _ = self._cohort(prog, ("mentee", "mentor"), only=two)
        excluded = any(
            (r.rule, r.participant, r.other) == ("exclude", mentee, mentor)
            for r in self.stores.matches.rules(prog.id, "pairs")
        )
        pair = entered_pair(
            cohort,
            PairRules(
                kind=prog.kind,  # type: ignore[arg-type]  # _programme checked a pair kind
                exclusions=((mentee, mentor),) if excluded else (),
            ),
        )  # raises: nothing stored
        kept = [
            i
            for i in (published.items if published else ())
            if not (i.item == "unmatched" and i.participant in (mentee, mentor))
        ]
        self.stores.matches.save(
            prog.id,
            StoredMatchRun(
                "pairs",
                "published",
                (published.objective if published else 0.0) + pair.score,
                published.gap if published else None,
                published.solver if published else "entered",
                published.binding if published else (),
                (*kept, stored_pair(pair)),
            ),
            by=by,
        )
        # An older lock of the mentee with another mentor would now contradict the tandem.
        self.stores.matches.drop_rules_of(prog.id, "pairs", mentee)
        draft = self.stores.matches.get(prog.id, "pairs", "draft")
        if draft is not None:  # publishing the old draft would drop the entered pair
            try:
                self._solve_pairs(prog, by=by, previous=match_result(prog.kind, draft))
            except MatchingError:  # e.g. another lock broke: the next view computes afresh
                self.stores.matches.drop(prog.id, "pairs", "draft")
        return self._pairs_view(prog, self.stores.matches.get(prog.id, "pairs", "published"))

    def end_pair(self, programme: str, mentee: str, *, by: str) -> PairsView:
        """End the published tandem of ``mentee``: it no longer shows to anyone.

        Nothing is deleted: the tandem's goal agreement and meetings are stored under the two
        partners and stay in their export and erasure (and go with the programme); a new
        partner of either never sees them. The pair is excluded, so that no recompute forms
        it again, and a waiting draft is dropped (it held the pair as published); the next
        view computes a new one.

        Raises
        ------
        MatchingError
            ``not_paired`` when ``mentee`` is in no published tandem; nothing changes then.
        """
        prog = self._programme(programme, "pairs")
        published = self.stores.matches.get(prog.id, "pairs", "published")
        items = published.items if published else ()
        ended = next((i for i in items if i.item == "pair" and i.participant == mentee), None)
        if published is None or ended is None:
            raise MatchingError(f"'{mentee}' is in no published tandem.", "not_paired")
        self.stores.matches.save(
            prog.id,
            replace(
                published,
                objective=published.objective - (ended.score or 0.0),
                items=tuple(i for i in items if i is not ended),
            ),
            by=by,
        )
        # The newest word counts: the exclusion replaces a lock of the pair.
        self.stores.matches.add_rule(
            prog.id, "pairs", StoredMatchRule("exclude", mentee, ended.partner), by=by
        )
        self.stores.matches.drop(prog.id, "pairs", "draft")
        return self._pairs_view(prog, self.stores.matches.get(prog.id, "pairs", "published"))

    def entry_candidates(self, programme: str) -> EntryCandidates:
        """Return who may be entered as a tandem now (see ``enter_pair`` for the rules)."""
        prog = self._programme(programme, "pairs")
        published = self.stores.matches.get(prog.id, "pairs", "published")
        pairs = [i for i in published.items if i.item == "pair"] if published else []
        members = [p for p in self.stores.programmes.participants_of(prog.id) if p.consent_matching]
        paired = {i.participant for i in pairs}
        return EntryCandidates(
            tuple(sorted(p.id for p in members if p.role == "mentee" and p.id not in paired)),
            tuple(
                sorted(
                    p.id
                    for p in members
                    if p.role == "mentor" and sum(i.partner == p.id for i in pairs) < _places(p)
                )
            ),
            tuple(sorted((str(i.participant), str(i.partner)) for i in pairs)),
        )

    def partner_of(self, programme: str, participant_id: str) -> PairResult | None:
        """Return the published pair a participant is in, or None."""
        prog = self._programme(programme, "pairs")
        published = self.stores.matches.get(prog.id, "pairs", "published")
        if published is None:
            return None
        result = match_result(prog.kind, published)
        return next(
            (p for p in result.pairs if participant_id in (p.mentee, p.mentor)),
            None,
        )

    def matched_with(self, programme: str, participant_id: str) -> set[str]:
        """Return who a participant is published with: their partner, or their group's others."""
        prog = self.lookups.programme(programme)
        mode = mode_of(prog.kind)
        published = self.stores.matches.get(prog.id, mode, "published")
        if published is None:
            return set()
        if mode == "pairs":
            return {
                str(other)
                for i in published.items
                if i.item == "pair"
                for me, other in ((i.participant, i.partner), (i.partner, i.participant))
                if me == participant_id
            }
        groups = {
            i.group
            for i in published.items
            if i.item == "member" and i.participant == participant_id
        }
        return {
            str(i.participant)
            for i in published.items
            if i.item == "member" and i.group in groups and i.participant != participant_id
        }

    def _pair_rule(self, programme: str, rule: StoredMatchRule, *, by: str) -> PairsView:
        prog = self._programme(programme, "pairs")
        current = self.pairs(programme, by=by).result
        result = self._pairs_result(prog, extra=rule, previous=current)  # raises: nothing stored
        self.stores.matches.add_rule(prog.id, "pairs", rule, by=by)
        self.stores.matches.save(prog.id, stored_pairs(result, "draft"), by=by)
        return self._pairs_view(prog, self.stores.matches.get(prog.id, "pairs", "draft"))

    def _solve_pairs(
        self, prog: Programme, *, by: str, previous: MatchResult | None = None
    ) -> PairsView:
        result = self._pairs_result(prog, previous=previous)
        self.stores.matches.save(prog.id, stored_pairs(result, "draft"), by=by)
        return self._pairs_view(prog, self.stores.matches.get(prog.id, "pairs", "draft"))

    def _pairs_result(
        self,
        prog: Programme,
        *,
        extra: StoredMatchRule | None = None,
        previous: MatchResult | None = None,
    ) -> MatchResult:
        cohort, _ = self._cohort(prog, ("mentee", "mentor"))
        rules = [r for r in self.stores.matches.rules(prog.id, "pairs") if r.other]
        if extra is not None:
            rules = [
                r for r in rules if (r.participant, r.other) != (extra.participant, extra.other)
            ]
            rules.append(extra)
        people = {c.id for c in cohort.people}
        locks = [(r.participant, str(r.other)) for r in rules if r.rule == "lock"]
        published = self.stores.matches.get(prog.id, "pairs", "published")
        if published is not None:  # published tandems continue: they stay locked
            locks += [
                (str(i.participant), str(i.partner))
                for i in published.items
                if i.item == "pair" and {i.participant, i.partner} <= people
            ]
        pair_rules = PairRules(
            kind=prog.kind,  # type: ignore[arg-type]  # mode_of checked it is a pair kind
            locks=tuple(dict.fromkeys(locks)),
            exclusions=tuple((r.participant, str(r.other)) for r in rules if r.rule == "exclude"),
            previous=tuple((p.mentee, p.mentor) for p in previous.pairs) if previous else (),
        )
        result = match_pairs(cohort, pair_rules)
        # An entered pair stays marked as such through every recompute and publication.
        entered = {
            (i.participant, i.partner)
            for i in (published.items if published else ())
            if i.item == "pair" and "entered" in i.detail.get("reasons", ())
        }
        if not entered:
            return result
        return replace(
            result,
            pairs=tuple(
                as_entered(p) if (p.mentee, p.mentor) in entered else p for p in result.pairs
            ),
        )

    def _pairs_view(self, prog: Programme, run: StoredMatchRun | None) -> PairsView:
        assert run is not None
        return PairsView(
            prog,
            run.status,
            match_result(prog.kind, run),
            self._no_consent(prog),
            self._organisations(prog),
        )


def _places(mentor: Participant) -> int:
    """Return how many mentees a mentor takes this round (no capacity given: one)."""
    return 1 if mentor.capacity is None else mentor.capacity
