"""Every command's ``cmd_*`` function, gathered for the parser."""

from __future__ import annotations

from assistant.cli.evaluation_commands import cmd_evaluation, cmd_meetings
from assistant.cli.group_commands import cmd_group
from assistant.cli.journey_commands import cmd_tandem
from assistant.cli.match_commands import cmd_groups, cmd_match
from assistant.cli.prepare_commands import cmd_prepare
from assistant.cli.privacy_commands import (
    cmd_audit,
    cmd_consent,
    cmd_erase,
    cmd_export,
    cmd_retention,
    cmd_roster,
    cmd_user,
)
from assistant.cli.programme_commands import (
    cmd_demo,
    cmd_forum,
    cmd_import,
    cmd_peers,
    cmd_programme,
    cmd_reprocess,
    cmd_themes,
)
from assistant.cli.text_commands import cmd_info, cmd_pool, cmd_suggest

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
