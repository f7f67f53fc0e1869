"""Cohort matching on the command line: tandems (``match``) and peer groups (``groups``).

Each step acts as the operator through the ``Assistant``'s matching methods, which check the
policy and audit it with counts. The JSON holds ids, topic ids, numbers and the German lines
that explain them; a partial result is a normal one (exit 0) with its binding rule in
``message``. Bad input (a lock that breaks a hard rule, an unknown person) exits 1.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from assistant import texts
from assistant.cli import messages
from assistant.cli.common import UsageError, emit, engine, me
from assistant.matching import Binding, Objective, Unmatched
from assistant.service import Assistant, GroupsView, PairsView

__all__ = ["cmd_groups", "cmd_match", "groups_json", "pairs_json", "parse_size"]

_SIZE = re.compile(r"\s*(\d+)\s*-\s*(\d+)\s*")


def parse_size(value: str) -> tuple[int, int]:
    """Parse ``MIN-MAX`` (e.g. ``4-6``) or raise a ``UsageError`` (exit 2).

    Raises
    ------
    UsageError
        Not two whole numbers, ``MIN`` below 2 or above ``MAX``.
    """
    found = _SIZE.fullmatch(value)
    if found is None:
        raise UsageError(messages.BAD_SIZE.format(value=value))
    low, high = int(found[1]), int(found[2])
    if low < 2 or low > high:
        raise UsageError(messages.BAD_SIZE.format(value=value))
    return low, high


# -- JSON ---------------------------------------------------------------------------------------


def _unmatched(found: Sequence[Unmatched], no_consent: Sequence[str]) -> list[dict[str, str]]:
    """Return the people left over with their German reason; those without consent last."""
    rows = [
        {"participant": u.participant, "reason": texts.match_unmatched(u.reason, u.numbers)}
        for u in found
    ]
    rows += [{"participant": pid, "reason": texts.MATCH_NO_CONSENT} for pid in no_consent]
    return rows


def _message(binding: Sequence[Binding]) -> str | None:
    """Return the binding rule that limits the result most, in German (None: nothing binds)."""
    return texts.match_binding(binding[0].code, binding[0].numbers) if binding else None


def _objective(objective: Objective) -> dict[str, float | None]:
    gap = None if objective.gap is None else round(objective.gap, 4)
    return {"value": round(objective.value, 4), "gap": gap}


def pairs_json(view: PairsView, labels: Mapping[str, str]) -> dict[str, Any]:
    """Return the ``match`` contract for a programme's tandems.

    Parameters
    ----------
    labels : mapping of str to str
        German topic labels by topic id, for the pairs' reason lines.
    """
    result = view.result
    pairs = [
        {
            "mentee": p.mentee,
            "mentor": p.mentor,
            "score": round(p.score, 4),
            "shared_topics": list(p.shared_topics),
            "reasons": texts.match_pair_lines(
                p.reasons, [labels.get(t, t) for t in p.shared_topics]
            ),
            # The coordinator's working view: published runs keep none.
            "trade_offs": [
                texts.match_trade_off(t.code, t.mentor, t.score, t.rule) for t in p.trade_offs
            ],
        }
        for p in result.pairs
    ]
    return {
        "programme": view.programme.name,
        "kind": view.programme.kind,
        "status": view.status,
        "pairs": pairs,
        "unmatched": _unmatched(result.unmatched, view.no_consent),
        "objective": _objective(result.objective),
        "message": _message(result.binding),
    }


def groups_json(view: GroupsView) -> dict[str, Any]:
    """Return the ``groups`` contract for a programme's peer groups."""
    result = view.result
    groups = [
        {
            "id": g.id,
            "members": list(g.members),
            "shared_topics": list(g.shared_topics),
            "organisations": list(g.organisations),
        }
        for g in result.groups
    ]
    return {
        "programme": view.programme.name,
        "status": view.status,
        "groups": groups,
        "unassigned": _unmatched(result.unassigned, view.no_consent),
        "objective": _objective(result.objective),
        "message": _message(result.binding),
    }


# -- text ---------------------------------------------------------------------------------------


def _topic_list(ids: Sequence[str], labels: Mapping[str, str]) -> str:
    return ", ".join(labels.get(t, t) for t in ids) or "–"


def _print_rest(data: Mapping[str, Any], left_over: str, out: TextIO) -> None:
    """Unmatched people, the binding rule and the objective: the same for pairs and groups."""
    if data[left_over]:
        out.write(texts.CLI_MATCH_UNMATCHED + "\n")
    for row in data[left_over]:
        out.write(texts.CLI_MATCH_UNMATCHED_LINE.format(**row) + "\n")
    if data["message"]:
        out.write(texts.CLI_MATCH_BINDING.format(message=data["message"]) + "\n")
    objective = data["objective"]
    gap = "–" if objective["gap"] is None else f"{objective['gap']:.4f}"
    out.write(texts.CLI_MATCH_OBJECTIVE.format(value=objective["value"], gap=gap) + "\n")


def _print_pairs(data: Mapping[str, Any], labels: Mapping[str, str], out: TextIO) -> None:
    status = texts.CLI_MATCH_STATUS[data["status"]]
    header = texts.CLI_MATCH_HEADER.format(
        programme=data["programme"], kind=data["kind"], status=status
    )
    out.write(header + "\n")
    if not data["pairs"]:
        out.write(texts.CLI_MATCH_NONE + "\n")
    for pair in data["pairs"]:
        line = texts.CLI_MATCH_PAIR.format(
            mentee=pair["mentee"],
            mentor=pair["mentor"],
            score=pair["score"],
            topics=_topic_list(pair["shared_topics"], labels),
        )
        out.write(line + "\n")
        for reason in pair["reasons"]:
            out.write(texts.CLI_MATCH_REASON.format(line=reason) + "\n")
        for trade_off in pair["trade_offs"]:
            out.write(texts.CLI_MATCH_TRADE_OFF.format(line=trade_off) + "\n")
    _print_rest(data, "unmatched", out)


def _print_groups(data: Mapping[str, Any], labels: Mapping[str, str], out: TextIO) -> None:
    status = texts.CLI_MATCH_STATUS[data["status"]]
    out.write(texts.CLI_GROUPS_HEADER.format(programme=data["programme"], status=status) + "\n")
    if not data["groups"]:
        out.write(texts.CLI_GROUPS_NONE + "\n")
    for group in data["groups"]:
        line = texts.CLI_MATCH_GROUP.format(
            id=group["id"],
            n=len(group["members"]),
            members=", ".join(group["members"]),
            topics=_topic_list(group["shared_topics"], labels),
        )
        out.write(line + "\n")
        organisations = ", ".join(group["organisations"])
        out.write(texts.CLI_MATCH_ORGANISATIONS.format(organisations=organisations) + "\n")
    _print_rest(data, "unassigned", out)


def _labels(assistant: Assistant, programme: str) -> dict[str, str]:
    """Return the German topic labels of the programme's pool (its own once edited)."""
    return {t.id: t.label_in("de") for t in assistant.pool_of(me(), programme).topics}


# -- commands -----------------------------------------------------------------------------------


def cmd_match(args: argparse.Namespace, out: TextIO) -> int:
    """Show or compute a programme's tandems; lock, exclude, rematch, publish, enter or end."""
    if not args.programme:
        raise UsageError(messages.NEEDS_PROGRAMME.format(command="match"))
    assistant, who, step = engine(), me(), args.match_command
    if step == "lock":
        view = assistant.match_lock(who, args.programme, args.mentee, args.mentor)
    elif step == "exclude":
        view = assistant.match_exclude(who, args.programme, args.mentee, args.mentor)
    elif step == "rematch":
        view = assistant.match_rematch(who, args.programme, args.mentee)
    elif step == "publish":
        view = assistant.match_publish(who, args.programme)
    elif step == "enter":
        view = assistant.match_enter(who, args.programme, args.mentee, args.mentor)
    elif step == "end":
        view = assistant.match_end(who, args.programme, args.mentee)
    else:
        view = assistant.match(who, args.programme, recompute=args.recompute)
    labels = _labels(assistant, view.programme.name)
    data = pairs_json(view, labels)
    if args.json:
        emit(data, out)
        return 0
    if step == "enter":
        out.write(texts.CLI_PAIR_ENTERED.format(mentee=args.mentee, mentor=args.mentor) + "\n")
    elif step == "end":
        out.write(texts.CLI_PAIR_ENDED.format(mentee=args.mentee) + "\n")
    _print_pairs(data, labels, out)
    return 0


def cmd_groups(args: argparse.Namespace, out: TextIO) -> int:
    """Show or compute a programme's peer groups, or lock, exclude or publish."""
    if not args.programme:
        raise UsageError(messages.NEEDS_PROGRAMME.format(command="groups"))
    step = args.groups_command
    size = parse_size(args.size) if args.size else None
    assistant, who = engine(), me()
    if step in ("lock", "exclude"):
        change = assistant.groups_lock if step == "lock" else assistant.groups_exclude
        view = change(who, args.programme, args.participant, args.group, size=size)
    elif step == "publish":
        view = assistant.groups_publish(who, args.programme)
    else:
        view = assistant.groups(who, args.programme, size=size, recompute=args.recompute)
    labels = _labels(assistant, view.programme.name)
    data = groups_json(view)
    if args.json:
        emit(data, out)
        return 0
    _print_groups(data, labels, out)
    if step == "publish":
        out.write(texts.CLI_GROUPS_PUBLISHED + "\n")
    return 0
