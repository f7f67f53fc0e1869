"""Every command's ``cmd_*`` function, gathered for the parser.

Each name here is a thin stand-in that imports its command module only when the command runs:
building the parser loads none of them, so ``assistant info`` never imports what ``assistant
import`` needs (the NLP stages take seconds to import; tests/unit/test_lazy_imports.py).
"""

from __future__ import annotations

import importlib
from typing import Any, TextIO

__all__ = [
    "cmd_audit",
    "cmd_consent",
    "cmd_demo",
    "cmd_erase",
    "cmd_evaluation",
    "cmd_export",
    "cmd_forum",
    "cmd_group",
    "cmd_groups",
    "cmd_import",
    "cmd_info",
    "cmd_match",
    "cmd_meetings",
    "cmd_peers",
    "cmd_pool",
    "cmd_prepare",
    "cmd_programme",
    "cmd_reprocess",
    "cmd_retention",
    "cmd_roster",
    "cmd_suggest",
    "cmd_tandem",
    "cmd_themes",
    "cmd_user",
]


class _Command:
    """A command's ``cmd_*`` function, imported from its module at the first call."""

    def __init__(self, module: str, name: str) -> None:
        self.module = f"assistant.cli.{module}"
        self.__name__ = name

    def __call__(self, args: Any, out: TextIO) -> int:
        run = getattr(importlib.import_module(self.module), self.__name__)
        return int(run(args, out))


cmd_evaluation = _Command("evaluation_commands", "cmd_evaluation")
cmd_meetings = _Command("evaluation_commands", "cmd_meetings")
cmd_group = _Command("group_commands", "cmd_group")
cmd_tandem = _Command("journey_commands", "cmd_tandem")
cmd_groups = _Command("match_commands", "cmd_groups")
cmd_match = _Command("match_commands", "cmd_match")
cmd_prepare = _Command("prepare_commands", "cmd_prepare")
cmd_audit = _Command("privacy_commands", "cmd_audit")
cmd_consent = _Command("privacy_commands", "cmd_consent")
cmd_erase = _Command("privacy_commands", "cmd_erase")
cmd_export = _Command("privacy_commands", "cmd_export")
cmd_retention = _Command("privacy_commands", "cmd_retention")
cmd_roster = _Command("privacy_commands", "cmd_roster")
cmd_user = _Command("privacy_commands", "cmd_user")
cmd_demo = _Command("programme_commands", "cmd_demo")
cmd_forum = _Command("programme_commands", "cmd_forum")
cmd_import = _Command("programme_commands", "cmd_import")
cmd_peers = _Command("programme_commands", "cmd_peers")
cmd_programme = _Command("programme_commands", "cmd_programme")
cmd_reprocess = _Command("programme_commands", "cmd_reprocess")
cmd_themes = _Command("programme_commands", "cmd_themes")
cmd_info = _Command("text_commands", "cmd_info")
cmd_pool = _Command("text_commands", "cmd_pool")
cmd_suggest = _Command("text_commands", "cmd_suggest")
