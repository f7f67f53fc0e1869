"""English messages of the command line (errors, usage); German output lives in assistant.texts."""

from __future__ import annotations

BOTH_TEXT_AND_FILE = "Give either TEXT or --file, not both."
NO_TEXT = "Give a TEXT to analyse, or --file IN.jsonl."
TOP_AT_LEAST_ONE = "--top must be at least 1."
LIMIT_AT_LEAST_ONE = "--limit must be at least 1."
FORUM_NEEDS_GROUP = "forum needs --group NAME."
NEEDS_PROGRAMME = "{command} needs --programme NAME."
BAD_SIZE = "--size must look like MIN-MAX with 2 <= MIN <= MAX (e.g. 4-6), got '{value}'."
CONSENT_NEEDS_ONE = "Give --analysis yes|no and/or --matching yes|no."
BAD_DATE = "{option} must look like {example}, got '{value}'."
UNREADABLE = "Cannot read {path}: {reason}."
BAD_LINES = "{path}: {n} invalid line(s), nothing processed:\n{lines}"
LINE_NOT_UTF8 = "line {number}: not valid UTF-8 (byte {byte} of the line)"
LINE_NOT_JSON = "line {number}: not valid JSON ({reason})"
LINE_NOT_RECORD = 'line {number}: expected an object with "id" and "text"'
LINE_DUPLICATE = "line {number}: duplicate id '{ident}'"
TEXTS_INVALID = "error: {failed} of {total} texts were invalid (see their lines)\n"
ERROR = "error: {message}\n"
REJECTED_LINE = "  line {line}: {reason}\n"
REJECTS_WRITTEN = "  rejected rows written to {path}\n"
INTERRUPTED = "interrupted\n"
AUDIT_BROKEN = (
    "error: the audit log's chain breaks at row {row} ({reason}): rows were changed, removed or "
    "added without the data folder's key.\n"
)
UNEXPECTED = (
    "error: unexpected internal error ({kind}). Nothing was half-written: database changes are "
    "transactional. Run again with --debug and report the output.\n"
)
TANDEM_BAD_FORMAT = "--out for the {document} must end in {allowed}, got '{path}'."
TANDEM_CANNOT_WRITE = "Cannot write {path}: {reason}."
TANDEM_WRITTEN = (
    "{document} of the tandem of {mentee} ({programme}) written to {path} ({size} bytes)\n"
)
MEETINGS_LINE = (
    "{mentee} - {mentor}: {meetings} meeting(s) of {expected} by the rhythm, {minutes} min, "
    "last {last}, agreement confirmed: {confirmed}, overdue: {overdue}\n"
)
EVALUATION_BAD_FORMAT = "--out for the evaluation report must end in .pdf, got '{path}'."
