"""Grouping: a peer-group programme's cohort into groups, drafted, adjusted and published.

Groups that exist already (imported or published) keep their members; the coordinator's locks
and exclusions hold; publishing creates the groups with their members. Stored as codes and ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.domain import Programme
from assistant.errors import MatchingError
from assistant.matching import GroupingResult, GroupRules, form_groups
from assistant.services.cohorts import CohortSource
from assistant.services.match_records import grouping_result, stored_groups
from assistant.storage.records import StoredMatchRule, StoredMatchRun

__all__ = ["Grouping", "GroupsView"]


@dataclass(frozen=True)
class GroupsView:
    """A programme's peer groups as stored: draft or published, and who did not consent."""

    programme: Programme
    status: str
    result: GroupingResult
    no_consent: tuple[str, ...]
    organisations: Mapping[str, str] = field(default_factory=dict)


class Grouping(CohortSource):
    """Drafts, rules and published peer groups, per programme."""

    def groups(
        self,
        programme: str,
        *,
        size: tuple[int, int] | None = None,
        recompute: bool = False,
        by: str,
    ) -> GroupsView:
        """Return the draft groups (computing them when there are none) or the published ones."""
        prog = self._programme(programme, "groups")
        draft = self.stores.matches.get(prog.id, "groups", "draft")
        if draft is None and not recompute and size is None:
            published = self.stores.matches.get(prog.id, "groups", "published")
            if published is not None:
                return self._groups_view(prog, published)
        if draft is None or recompute or size is not None:
            size = size or _size_of(draft)  # the coordinator's last size holds until changed
            result = self._groups_result(prog, size=size)
            self.stores.matches.save(prog.id, stored_groups(result, "draft", size), by=by)
            draft = self.stores.matches.get(prog.id, "groups", "draft")
        return self._groups_view(prog, draft)

    def group_rule(
        self,
        programme: str,
        rule: str,
        participant: str,
        group: str,
        *,
        size: tuple[int, int] | None = None,
        by: str,
    ) -> GroupsView:
        """Lock a person into a group or keep them out of it; the draft is recomputed."""
        prog = self._programme(programme, "groups")
        current = self.groups(programme, by=by).result
        size = size or _size_of(self.stores.matches.get(prog.id, "groups", "draft"))
        stored = StoredMatchRule(rule, participant, group=group)
        result = self._groups_result(prog, size=size, extra=stored, previous=current)
        self.stores.matches.add_rule(prog.id, "groups", stored, by=by)
        self.stores.matches.save(prog.id, stored_groups(result, "draft", size), by=by)
        return self._groups_view(prog, self.stores.matches.get(prog.id, "groups", "draft"))

    def publish_groups(self, programme: str, *, by: str) -> GroupsView:
        """Publish the draft: the programme's groups are created with these members."""
        prog = self._programme(programme, "groups")
        draft = self.stores.matches.get(prog.id, "groups", "draft")
        if draft is None:
            raise MatchingError(
                f"Programme '{prog.name}' has no draft to publish; compute one first.", "no_draft"
            )
        with self.stores.db.transaction() as tx:
            for item in draft.items:
                if item.item == "member" and item.participant and item.group:
                    self.stores.programmes.ensure_group_member(
                        tx, prog.id, item.group, item.participant
                    )
            self.stores.programmes.touch(tx, [prog.id])
        published = StoredMatchRun(
            "groups", "published", draft.objective, draft.gap, draft.solver, draft.binding,
            draft.items,
        )  # fmt: skip
        self.stores.matches.save(prog.id, published, by=by)
        self.stores.matches.drop(prog.id, "groups", "draft")
        return self._groups_view(prog, self.stores.matches.get(prog.id, "groups", "published"))

    def _groups_result(
        self,
        prog: Programme,
        *,
        size: tuple[int, int] | None = None,
        extra: StoredMatchRule | None = None,
        previous: GroupingResult | None = None,
    ) -> GroupingResult:
        cohort, _ = self._cohort(prog, ("peer",))
        people = {c.id for c in cohort.people}
        rules = [r for r in self.stores.matches.rules(prog.id, "groups") if r.group]
        if extra is not None:
            rules = [
                r for r in rules if (r.participant, r.group) != (extra.participant, extra.group)
            ]
            rules.append(extra)
        # Groups that exist already (imported, or published) keep their members: locked.
        existing = [
            (member, name)
            for name, members in self.stores.programmes.groups_with_members(prog.id)
            for member in members
            if member in people
        ]
        locks = existing + [(r.participant, str(r.group)) for r in rules if r.rule == "lock"]
        group_rules = GroupRules(
            size=size or (5, 8),
            locks=tuple(dict.fromkeys(locks)),
            exclusions=tuple((r.participant, str(r.group)) for r in rules if r.rule == "exclude"),
            previous=tuple((m, g.id) for g in previous.groups for m in g.members)
            if previous
            else (),
        )
        return form_groups(cohort, group_rules)

    def _groups_view(self, prog: Programme, run: StoredMatchRun | None) -> GroupsView:
        assert run is not None
        return GroupsView(
            prog,
            run.status,
            grouping_result(run),
            self._no_consent(prog),
            self._organisations(prog),
        )


def _size_of(run: StoredMatchRun | None) -> tuple[int, int] | None:
    """Return the group size a stored draft was computed with, if it says."""
    for item in run.items if run else ():
        if item.item == "settings" and item.detail.get("size"):
            low, high = item.detail["size"]
            return int(low), int(high)
    return None
