"""The exception hierarchy; the UI and the CLI catch only ``AssistantError``.

::

    AssistantError                     base class; message is safe to show
    ├── InvalidEntryError(ValueError)  bad user input (field + reason)
    │   ├── ImportRejectedError        an import file has bad rows (line + reason each)
    │   └── MatchingError              a cohort or its matching rules cannot be solved as given
    ├── ConfigError                    bad setting or unknown component name (lists valid names)
    ├── ModelNotFoundError             a model folder is missing or incomplete (says what to do)
    ├── TopicPoolError                 a topic pool file is invalid (file, topic id, field)
    ├── NotFittedError                 a learned component used before ``fit``
    ├── AccessDenied                   the signed-in person may not do this (policy.py)
    └── StorageError                   database or cache failure, raised ``from`` the cause

Messages never contain participants' raw text: they name fields, ids and limits.
"""

from __future__ import annotations

from collections.abc import Mapping


class AssistantError(Exception):
    """Base class of every error the assistant raises on purpose."""


class InvalidEntryError(AssistantError, ValueError):
    """A text or field given by a user cannot be processed.

    ``code`` is a stable machine-readable reason (``empty``, ``too_long``, ...): the app maps it
    to German copy, scripts branch on it.
    """

    def __init__(
        self, message: str, code: str = "invalid", params: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        # What the German copy of ``code`` needs (file name, line, fields); never raw text.
        self.params = {k: str(v) for k, v in (params or {}).items()}


class ConfigError(AssistantError):
    """A setting is invalid or names an unknown component."""


class ModelNotFoundError(AssistantError):
    """A model folder or bundled model package is missing or incomplete."""


class TopicPoolError(AssistantError):
    """A topic pool file is invalid."""


class NotFittedError(AssistantError):
    """A learned component was used before ``fit``."""


class StorageError(AssistantError):
    """Reading or writing the database or the cache failed."""


class ImportRejectedError(InvalidEntryError):
    """An import file has invalid rows; nothing was imported. ``rejects``: (line, reason)."""

    def __init__(
        self,
        message: str,
        rejects: list[tuple[int, str]],
        reasons: Mapping[int, tuple[str, Mapping[str, str]]] | None = None,
    ) -> None:
        super().__init__(message, "invalid_rows")
        self.rejects = rejects
        # line -> (code, parameters): what the app shows in German instead of the English reason
        self.reasons = dict(reasons or {})


class AccessDenied(AssistantError):
    """The signed-in person may not do this; the message names the action, never hidden data."""

    def __init__(self, message: str, action: str = "") -> None:
        super().__init__(message)
        self.action = action


class MatchingError(InvalidEntryError):
    """A cohort or its matching rules are invalid (``code`` says which); nothing was matched.

    Codes: ``no_mentors``, ``no_mentees``, ``no_peers``, ``bad_capacity``, ``bad_level``,
    ``bad_id``, ``duplicate_person``, ``wrong_side``, ``bad_vector``, ``too_few_peers``,
    ``bad_group_size``, ``bad_rule``, ``unknown_person``, ``unknown_group``, ``bad_lock``,
    ``bad_kind``, ``no_draft``, ``published_pair``; entering a pair (``enter_pair``) adds
    ``not_member``, ``same_person``, ``not_mentee``, ``not_mentor``, ``no_consent``,
    ``already_paired``, ``mentor_full`` and the hard rule it breaks (``RULE_CODES``); ending
    one (``end_pair``) ``not_paired``.
    """
