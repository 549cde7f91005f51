"""The public platform inside the web application: its pages, its stylesheet and its 404 page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.public.overview import FiguresKept
from core.toolbox.manual import manual
from i18n import gettext
from public import (
    advance,
    feeds,
    joining,
    national_policy,
    open_data,
    overview,
    practices,
    secretariat,
    toolbox,
    verify,
)
from public.deps import PublicNotFound, PublicRefusal
from public.page_cache import PageCache
from public.rendering import language_of, render

ROUTERS = (
    overview,
    secretariat,
    advance,
    joining,
    national_policy,
    practices,
    toolbox,
    open_data,
    feeds,
    verify,
)
STATIC = Path(__file__).resolve().parent / "static"
FAVICON = STATIC / "favicon.svg"


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def install(
    app: FastAPI, api_not_found: Callable[[Request, StarletteHTTPException], Response]
) -> None:
    """Serve the public pages and stylesheet; a browser asking for a page that does not exist
    gets the 404 page in its language, an API client the API's answer."""
    app.state.public_pages = PageCache()
    app.state.public_figures = FiguresKept()
    manual()  # read now: a broken manual stops the start, not a reader's visit
    for module in ROUTERS:
        app.include_router(module.router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # Browsers and feed readers ask for /favicon.ico whatever a page links to.
    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> FileResponse:
        return FileResponse(FAVICON, media_type="image/svg+xml")

    async def not_found(request: Request, error: Exception) -> Response:
        language = language_of(request)
        if isinstance(error, PublicNotFound):
            message = gettext(language, error.message, **error.params)
        elif _wants_html(request) or not isinstance(error, StarletteHTTPException):
            message = gettext(language, "There is no page at this address.")
        else:
            return api_not_found(request, error)
        return render(request, "not_found.html", {"message": message}, status_code=404)

    async def refused(request: Request, error: Exception) -> Response:
        if isinstance(error, PublicNotFound) or not isinstance(error, PublicRefusal):
            return await not_found(request, error)
        language = language_of(request)
        context = {
            "title": gettext(language, "This address cannot be answered as it asks"),
            "message": gettext(language, error.message, **error.params),
        }
        return render(request, "message.html", context, status_code=error.status_code)

    app.add_exception_handler(PublicRefusal, refused)
    app.add_exception_handler(404, not_found)
