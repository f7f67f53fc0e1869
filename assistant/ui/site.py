"""The app's pages: file, title, URL path, the roles that see them and the action they show.

``app.py`` builds ``st.navigation`` from this table and the ASGI layer (``web.py``) knows from
it which URL paths exist, so a typed URL of another role's page is refused in German and an
unknown one answers "Diese Seite gibt es nicht." instead of Streamlit's English dialog.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant import texts
from assistant.policy import Action

__all__ = [
    "COOKIE",
    "END_PATH",
    "PAGES",
    "PRIVACY",
    "SIGN_IN",
    "START_PATH",
    "SUGGEST",
    "SitePage",
    "url_paths",
]

COOKIE = "assistant_sitzung"
"""Name of the session cookie (HttpOnly, set by ``/sitzung/start``)."""
START_PATH = "/sitzung/start"
END_PATH = "/sitzung/ende"

_DIR = "assistant/ui/pages/"


@dataclass(frozen=True)
class SitePage:
    """One page of the app.

    Attributes
    ----------
    file : str
        The page script, relative to the repository root.
    title : str
    url_path : str
        The path after the host (``/mentoring``); unique over the table.
    roles : tuple of str
        Roles whose menu shows it, in menu order.
    action : Action
        What the page shows; a refusal of another role is audited as a refused ``action``.
    """

    file: str
    title: str
    url_path: str
    roles: tuple[str, ...]
    action: Action


SIGN_IN = SitePage(_DIR + "signin.py", texts.PAGE_SIGN_IN, "anmelden", (), Action.SUGGEST)
SUGGEST = SitePage(
    _DIR + "suggest.py", texts.PAGE_SUGGEST, "themen", ("participant",), Action.SUGGEST
)
# The privacy notice is for everyone, signed in or not; it shows no personal data.
PRIVACY = SitePage(_DIR + "privacy.py", texts.PAGE_PRIVACY, "datenschutz", (), Action.SUGGEST)
PAGES: tuple[SitePage, ...] = (
    SitePage(
        _DIR + "participant.py",
        texts.PAGE_PARTICIPANT,
        "mentoring",
        ("participant",),
        Action.READ_OWN_ENTRIES,
    ),
    SUGGEST,
    SitePage(
        _DIR + "my_data.py",
        texts.PAGE_MY_DATA,
        "meine-daten",
        ("participant",),
        Action.EXPORT_SELF,
    ),
    SitePage(
        _DIR + "moderator.py", texts.PAGE_MODERATOR, "forum", ("moderator",), Action.VIEW_FORUM
    ),
    SitePage(
        _DIR + "coordinator.py",
        texts.PAGE_COORDINATOR,
        "programm",
        ("coordinator",),
        Action.VIEW_THEMES,
    ),
    SitePage(_DIR + "matching.py", texts.PAGE_MATCHING, "tandems", ("coordinator",), Action.MATCH),
    SitePage(
        _DIR + "evaluation.py",
        texts.PAGE_EVALUATION,
        "evaluation",
        ("coordinator",),
        Action.EVALUATE,
    ),
    SitePage(
        _DIR + "pool.py", texts.PAGE_POOL, "themenpool", ("coordinator", "admin"), Action.EDIT_POOL
    ),
    SitePage(_DIR + "audit.py", texts.PAGE_AUDIT, "protokoll", ("admin",), Action.VIEW_AUDIT),
)
"""Every page a role can have, in menu order; the visitor sees ``SIGN_IN`` and ``SUGGEST``.

``PRIVACY`` closes every menu, the visitor's too."""


def url_paths() -> frozenset[str]:
    """Every URL path of the app ("" is the start page)."""
    return frozenset({"", SIGN_IN.url_path, PRIVACY.url_path, *(p.url_path for p in PAGES)})
