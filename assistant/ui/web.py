"""The ASGI side of the app (``serve.py``): session cookie routes, German 404, early warm-up.

A Streamlit script cannot set an HttpOnly cookie, so two small routes do: ``/sitzung/start``
exchanges the one-time token of a sign-in for the signed session cookie, ``/sitzung/ende``
ends the session and deletes the cookie. Unknown one-segment paths answer a German 404 page
instead of Streamlit's English "Page not found" dialog. Everything goes through the facade.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant import texts
from assistant.errors import AccessDenied
from assistant.ui import site

if TYPE_CHECKING:  # the engine's imports (spaCy, torch) wait for the warm-up thread
    from assistant.service import Assistant

__all__ = ["GermanNotFound", "lifespan", "middleware", "routes", "served"]

_SERVED = threading.Event()

# One path segment without a dot: what a typed page URL looks like (files have a dot).
_PAGE_LIKE = re.compile(r"/([A-Za-z0-9_-]+)/?")
# Streamlit's own one-segment routes (OIDC callback); everything under a deeper path is theirs.
_STREAMLIT_PATHS = frozenset({"oauth2callback"})


def routes(engine: Callable[[], Assistant]) -> list[BaseRoute]:
    """Return the two session routes over the facade ``engine()`` returns.

    Calling it tells the pages of this process that the routes exist (``served``).
    """
    _SERVED.set()

    def start(request: Request) -> Response:
        cookie = engine().redeem_session(request.query_params.get("t", ""))
        wanted = request.query_params.get("weiter", "")
        target = "/" + wanted if wanted in site.url_paths() else "/"
        response = RedirectResponse(target if cookie else "/", status_code=303)
        if cookie is not None:
            response.set_cookie(
                site.COOKIE,
                cookie.value,
                max_age=cookie.max_age_s,
                path="/",
                httponly=True,
                samesite="lax",  # sent when a bookmark or a link in a mail opens the app
                secure=_is_https(request),
            )
        return response

    def end(request: Request) -> Response:
        cookie = request.cookies.get(site.COOKIE)
        found = engine().session_principal(cookie)
        if found is not None:
            with contextlib.suppress(AccessDenied):  # the cookie's own account may end it
                engine().end_session(found[0], cookie)
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(
            site.COOKIE, path="/", httponly=True, samesite="lax", secure=_is_https(request)
        )
        return response

    return [
        Route(site.START_PATH, start, methods=["GET"]),
        Route(site.END_PATH, end, methods=["GET"]),
    ]


def served() -> bool:
    """Return whether this process serves the session routes (``streamlit run serve.py``).

    Under ``streamlit run app.py`` (and AppTest) there are none: a sign-in then lasts for the
    browser tab's session, as before, instead of sending the browser to a missing route.
    """
    return _SERVED.is_set()


def _is_https(request: Request) -> bool:
    """Return whether the request came over https (directly or through the TLS proxy)."""
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


class GermanNotFound:
    """ASGI middleware: a typed URL of no page of the app gets a German 404 page.

    Streamlit serves its single-page app for every path and then shows an English dialog;
    paths of pages (any role's: the app refuses those itself) and Streamlit's own pass through.
    """

    def __init__(self, app: ASGIApp, known: Sequence[str] | None = None) -> None:
        self.app = app
        self.known = frozenset(known) if known is not None else site.url_paths()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer an unknown page path with 404, pass everything else on."""
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            found = _PAGE_LIKE.fullmatch(scope.get("path", ""))
            name = found.group(1) if found else None
            if name is not None and name not in self.known and name not in _STREAMLIT_PATHS:
                page = texts.NOT_FOUND_HTML.format(
                    title=texts.PAGE_UNKNOWN, link=texts.PAGE_UNKNOWN_LINK
                )
                await HTMLResponse(page, status_code=404)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def middleware() -> list[Middleware]:
    """Return the middleware of ``serve.py``."""
    return [Middleware(GermanNotFound)]


def lifespan(warm: Callable[[], Any]) -> Callable[[Any], Any]:
    """Return a lifespan that starts ``warm`` in a thread when the server starts.

    The server listens at once; the engine loads meanwhile, so the first page finds it ready
    (or shows the German loading message while it finishes).
    """

    @asynccontextmanager
    async def run(_app: Any) -> AsyncIterator[None]:
        threading.Thread(target=warm, name="assistant-warm-up", daemon=True).start()
        yield None

    return run
