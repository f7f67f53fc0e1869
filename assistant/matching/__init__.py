"""Matching: cohort rules per programme kind, solver adapters, explanations as codes.

Modules, top to bottom: ``pairs`` (match_pairs, rematch; scipy's linear_sum_assignment),
``groups`` and ``group_solver`` (form_groups; scipy's HiGHS milp), ``rules`` (the hard rules
as masks, binding rules), ``scoring`` (need-offer scores, peer rows, shared topics, evidence),
``validate`` (bad input → MatchingError), ``cohort`` (a Cohort from stored analyses),
``model`` (inputs, results and codes). ``assistant.texts.matching`` words the codes in German.
"""

from assistant.matching.cohort import build_cohort
from assistant.matching.groups import GROUP_SOLVER, default_n_groups, form_groups
from assistant.matching.model import (
    BINDING_CODES,
    GROUP_REASONS,
    PAIR_KINDS,
    PAIR_REASONS,
    RULE_CODES,
    TRADE_OFF_CODES,
    UNMATCHED_REASONS,
    Binding,
    Candidate,
    Cohort,
    Evidence,
    GroupingResult,
    GroupResult,
    GroupRules,
    MatchResult,
    Objective,
    PairResult,
    PairRules,
    Passage,
    TradeOff,
    Unmatched,
)
from assistant.matching.pairs import (
    PAIR_SOLVER,
    as_entered,
    entered_pair,
    match_pairs,
    rematch,
    rematch_rules,
)

__all__ = [
    "BINDING_CODES",
    "GROUP_REASONS",
    "GROUP_SOLVER",
    "PAIR_KINDS",
    "PAIR_REASONS",
    "PAIR_SOLVER",
    "RULE_CODES",
    "TRADE_OFF_CODES",
    "UNMATCHED_REASONS",
    "Binding",
    "Candidate",
    "Cohort",
    "Evidence",
    "GroupResult",
    "GroupRules",
    "GroupingResult",
    "MatchResult",
    "Objective",
    "PairResult",
    "PairRules",
    "Passage",
    "TradeOff",
    "Unmatched",
    "as_entered",
    "build_cohort",
    "default_n_groups",
    "entered_pair",
    "form_groups",
    "match_pairs",
    "rematch",
    "rematch_rules",
]
