"""What every command shares: the operator principal, the engine, JSON output, progress bars."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from assistant.cli import messages
from assistant.config import load_settings
from assistant.errors import AssistantError, InvalidEntryError
from assistant.policy import Principal, operator

if TYPE_CHECKING:
    from assistant.service import Assistant

PROGRESS_MIN_ITEMS = 20


class UsageError(AssistantError):
    """Wrong use of the command line (exit code 2)."""


def emit(data: Any, out: TextIO) -> None:
    """Write one JSON object as one line."""
    out.write(json.dumps(data, ensure_ascii=False) + "\n")


def me() -> Principal:
    """Return the operator principal ``cli:<OS user>`` every command acts as."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        name = "unknown"
    return operator(f"cli:{name}")


def engine(*, storage: bool = True, lazy: bool = True) -> Assistant:
    """Build the assistant from the settings.

    Lazily by default: the model, spaCy and the topic suggester load when a command first
    analyses a text, so commands that only read stored data start in well under a second.
    """
    from assistant.factory import build_assistant

    return build_assistant(load_settings(), storage=storage, lazy=lazy)


def progress(total: int, desc: str) -> Any:
    """Return a progress bar on stderr, silent below ``PROGRESS_MIN_ITEMS`` items."""
    from tqdm import tqdm

    return tqdm(
        total=total, file=sys.stderr, unit="Text", desc=desc, disable=total < PROGRESS_MIN_ITEMS
    )


def iso_date(value: str, option: str, example: str) -> date:
    """Parse ``YYYY-MM-DD`` or raise a ``UsageError`` naming the option."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            messages.BAD_DATE.format(option=option, example=example, value=value)
        ) from None


def yes_no(value: str | None) -> bool | None:
    """Map ``yes``/``no``/absent to True/False/None."""
    return None if value is None else value == "yes"


def parse_group(spec: str) -> tuple[str, str]:
    """Split ``"PROGRAMME:GROUP"`` (the group is after the last colon)."""
    programme, sep, group = spec.rpartition(":")
    if not sep or not programme.strip() or not group.strip():
        raise InvalidEntryError(
            f"A group must be given as PROGRAMME:GROUP, got '{spec}'.", "bad_group"
        )
    return programme.strip(), group.strip()
