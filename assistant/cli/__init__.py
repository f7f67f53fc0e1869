"""The ``assistant`` command line; every read command has ``--json`` (a stable contract).

Exit codes: 0 success; 1 an error the message explains (bad input, config, pool, storage);
2 wrong usage (unknown command or option). Every command acts as the operator principal
``cli:<OS user>`` through the ``Assistant``, so the policy and the audit log apply to it.

``parser`` builds the options, the ``*_commands`` modules run them, ``messages`` holds the
English messages; German output comes from ``assistant.texts``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from assistant.cli import messages
from assistant.cli.common import UsageError
from assistant.cli.parser import build_parser
from assistant.errors import AssistantError

__all__ = ["UsageError", "build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s: %(message)s",
    )
    try:
        return int(args.run(args, sys.stdout))
    except UsageError as err:
        sys.stderr.write(messages.ERROR.format(message=err))
        return 2
    except AssistantError as err:
        sys.stderr.write(messages.ERROR.format(message=err))
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(messages.INTERRUPTED)
        return 130
    except Exception as err:  # the recording boundary: one clear line, the trace with --debug
        logging.getLogger("assistant").debug("unexpected error", exc_info=True)
        sys.stderr.write(messages.UNEXPECTED.format(kind=type(err).__name__))
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
