"""All German copy of the app and the command line, in one package that imports no streamlit.

The CLI, the report and the app share it: code returns codes and numbers, this gives them words.
"""

from __future__ import annotations

# One namespace, ``texts.X``, over modules small enough to read; the split is by audience.
from assistant.texts.cli import *  # noqa: F403
from assistant.texts.common import *  # noqa: F403
from assistant.texts.evaluation import *  # noqa: F403
from assistant.texts.groups import *  # noqa: F403
from assistant.texts.imports import *  # noqa: F403
from assistant.texts.journey import *  # noqa: F403
from assistant.texts.learning import *  # noqa: F403
from assistant.texts.matching import *  # noqa: F403
from assistant.texts.meetings import *  # noqa: F403
from assistant.texts.pages import *  # noqa: F403
from assistant.texts.pairs import *  # noqa: F403
from assistant.texts.peers import *  # noqa: F403
from assistant.texts.privacy_notice import *  # noqa: F403
from assistant.texts.scale import *  # noqa: F403
from assistant.texts.sessions import *  # noqa: F403
from assistant.texts.themes import *  # noqa: F403
from assistant.texts.wording import *  # noqa: F403
