"""``/secretarias/{slug}/validar``: someone who wants to validate a secretariat's advances asks
for it; the secretariat's coordinators accept (and invite them) or decline in the admin API.

The form is protected against posting from another site twice over: its token must match the
one in a same-site-only cookie, and a browser's Origin, when sent, must be this site's.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Secretariat
from core.people.join_requests import TooManyRequests, read_form, submit
from core.people.roles import SECTOR_LABELS
from core.people.secretariats import secretariat_by_slug
from i18n import N_, gettext
from public.deps import PublicNotFound, Reading
from public.rendering import language_of, render, url_for_page

router = APIRouter()
FORM_PATH = "/secretarias/{slug}/validar"
# The form's fields at their longest, escaped, with room to spare: a browser posts it with no
# API token, so its body is bounded before it is read.
FORM_BYTES = 16 * 1024
FORM_COOKIE = "incorruptible_form"
NO_STORE = {"Cache-Control": "no-store"}


async def _secretariat(session: AsyncSession, slug: str) -> Secretariat:
    secretariat = await secretariat_by_slug(session, slug)
    if secretariat is None:
        raise PublicNotFound(N_("No secretariat is published at this address."))
    return secretariat


def _message_page(
    request: Request, title: str, message: str, status_code: int = 200, **params: object
) -> Response:
    """A page of one message: ``title`` and ``message`` are msgids, in the visitor's language."""
    language = language_of(request)
    return render(
        request,
        "message.html",
        {"title": gettext(language, title), "message": gettext(language, message, **params)},
        status_code=status_code,
        headers={**NO_STORE, **({"Retry-After": "3600"} if status_code == 429 else {})},
    )


def _form_page(
    request: Request,
    secretariat: Secretariat,
    token: str,
    *,
    values: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    language = language_of(request)
    sectors = [(sector.value, gettext(language, label)) for sector, label in SECTOR_LABELS.items()]
    page = render(
        request,
        "join.html",
        {
            "secretariat": secretariat,
            "sectors": sectors,
            "token": token,
            "values": values or {},
            "problems": {
                field: gettext(language, message) for field, message in (problems or {}).items()
            },
            "action": url_for_page(request, f"/secretarias/{secretariat.slug}/validar"),
        },
        status_code=status_code,
        headers=NO_STORE,
    )
    page.set_cookie(
        FORM_COOKIE, token, httponly=True, samesite="strict", path="/secretarias", max_age=3600
    )
    return page


@router.get(FORM_PATH)
async def join_form(request: Request, slug: str, session: Reading) -> Response:
    secretariat = await _secretariat(session, slug)
    token = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)
    return _form_page(request, secretariat, token)


def _same_site(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is None or origin == f"{request.url.scheme}://{request.url.netloc}"


@router.post(FORM_PATH)
async def send_request(
    request: Request,
    slug: str,
    session: Reading,
    # No bounds here: FORM_BYTES bounds the body, and read_form answers a field too long on the
    # form itself, in the visitor's language, as a browser's reader expects.
    token: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    sector: Annotated[str, Form()] = "",
    organisation: Annotated[str, Form()] = "",
    contact: Annotated[str, Form()] = "",
    consent: Annotated[str, Form()] = "",
) -> Response:
    secretariat = await _secretariat(session, slug)
    cookie = request.cookies.get(FORM_COOKIE, "")
    if not (cookie and secrets.compare_digest(cookie, token) and _same_site(request)):
        return _message_page(
            request,
            N_("Form not accepted"),
            N_("This form must be sent from this site's own page. Open it again and send it."),
            403,
        )
    values = {"name": name, "sector": sector, "organisation": organisation, "contact": contact}
    form, problems = read_form(name, sector, organisation, contact, consent == "yes")
    if form is None:
        return _form_page(
            request, secretariat, token, values=values, problems=problems, status_code=422
        )
    address = request.client.host if request.client else "unknown"
    try:
        async with request.app.state.session_factory() as writing, writing.begin():
            await submit(writing, secretariat.id, form, address)
    except TooManyRequests as refusal:
        return _message_page(request, N_("Please wait"), refusal.message, 429)
    thanks = url_for_page(request, f"/secretarias/{secretariat.slug}/validar/gracias")
    return RedirectResponse(thanks, status_code=303)


@router.get("/secretarias/{slug}/validar/gracias")
async def thanks(request: Request, slug: str, session: Reading) -> Response:
    secretariat = await _secretariat(session, slug)
    return _message_page(
        request,
        N_("Request received"),
        N_(
            "Thank you. {secretariat} will read your request and, if it is accepted, send you "
            "an invitation to the chat where advances are validated."
        ),
        secretariat=secretariat.name,
    )
