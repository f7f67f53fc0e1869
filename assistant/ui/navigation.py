"""The pages ``st.navigation`` gets for who is signed in: their role's, the rest refused.

Every URL path of ``site.PAGES`` exists for everyone, so a bookmark or a typed URL never meets
Streamlit's English "Page not found": a visitor gets the sign-in page (and, signed in, lands
on the page they asked for), a signed-in person a German refusal that the facade audits.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import streamlit as st

from assistant import texts
from assistant.errors import AccessDenied
from assistant.policy import Action, Principal
from assistant.ui import identity, site, state

__all__ = ["landing", "pages_for", "refusal", "run"]

_ASKED_FOR = "_asked_for_page"


def run(who: Principal | None) -> None:
    """Run the page the URL names among ``pages_for(who)``; remember which one was asked for."""
    page = st.navigation(pages_for(who))
    st.session_state[_ASKED_FOR] = page.url_path
    page.run()


def landing(who: Principal) -> str:
    """Return where to go after signing in: the page asked for if it is ``who``'s, else ""."""
    asked = st.session_state.get(_ASKED_FOR, "")
    mine = {p.url_path for p in site.PAGES if who.role in p.roles}
    return str(asked) if asked in mine else ""


def pages_for(who: Principal | None) -> list[st.Page]:
    """Return the menu of ``who`` first, then hidden pages for every other URL path."""
    # Streamlit serves its default page at "/" only (a typed "/mentoring" would be "not found"),
    # so the default is a hidden start page that switches to the first page of the menu.
    start = st.Page(
        _start, title=texts.APP_TITLE, url_path="start", default=True, visibility="hidden"
    )
    if who is None:
        shown = [start, _page(site.SIGN_IN), _page(site.SUGGEST), _page(site.PRIVACY)]
        hidden = [
            st.Page(site.SIGN_IN.file, title=p.title, url_path=p.url_path, visibility="hidden")
            for p in site.PAGES
            if p.url_path != site.SUGGEST.url_path
        ]
        return shown + hidden
    mine = [p for p in site.PAGES if who.role in p.roles]
    others = [p for p in site.PAGES if p not in mine]
    return [
        start,
        *(_page(p) for p in mine),
        _page(site.PRIVACY),
        # Open to visitors (the suggestion page): no reason to refuse it to anyone signed in.
        *(_page(p, hidden=True) for p in others if p.action is Action.SUGGEST),
        *(
            st.Page(refusal(p), title=p.title, url_path=p.url_path, visibility="hidden")
            for p in others
            if p.action is not Action.SUGGEST
        ),
        st.Page(_signed_in, title=site.SIGN_IN.title, url_path="anmelden", visibility="hidden"),
    ]


def _page(page: site.SitePage, *, default: bool = False, hidden: bool = False) -> st.Page:
    return st.Page(
        page.file,
        title=page.title,
        url_path=page.url_path,
        default=default,
        visibility="hidden" if hidden else "visible",
    )


def refusal(page: site.SitePage) -> Callable[[], None]:
    """Return the page shown instead of ``page`` to a role without it (audited refusal)."""

    def refused() -> None:
        # The facade writes the refusal to the audit log, like a refused call.
        with contextlib.suppress(AccessDenied):
            state.assistant().authorize(identity.current(), page.action)
        st.error(texts.PAGE_NOT_FOR_ROLE)

    refused.__name__ = "refused_" + page.url_path.replace("-", "_")
    return refused


def _start() -> None:
    """Go from "/" to the first page of the menu (the sign-in page when signed out)."""
    who = identity.current()
    mine = [p for p in site.PAGES if who is not None and who.role in p.roles]
    # A link's query (``?programm=``) goes along: the page it lands on reads it.
    st.switch_page(_page(mine[0] if mine else site.SIGN_IN), query_params=st.query_params.to_dict())


def _signed_in() -> None:
    """Send someone signed in already from the sign-in URL to their first page."""
    _start()
