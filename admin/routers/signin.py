"""Signing in and out in a browser, and the page a coordinator starts from: the campaigns.

Signing in trades the API token pasted in a form for a token of a day issued by it (revoked
with it, recorded in the audit log), kept in a cookie that scripts cannot read, that no other
site's page sends, and that the API honours only for reads.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse

from admin.auth import SESSION_COOKIE, CurrentPrincipal, Session
from admin.context import Language
from admin.pages import campaigns as campaigns_page
from admin.pages import signin as signin_page
from admin.pages.layout import NO_STORE
from core.audit.actor import Actor
from core.chat import campaigns
from core.errors import PermissionDenied
from core.people import tokens

router = APIRouter(tags=["pages"])
SIGNED_IN_DAYS = 1
HOME = "/campaigns.html"
NextPage = Annotated[str, Query(alias="next", max_length=2000)]


def _local(page: str) -> str:
    """Where to go after signing in: a page of this site, never another's."""
    if page.startswith("/") and not page.startswith(("//", "/\\")):
        return page
    return HOME


@router.get("/signin", summary="The sign-in form", response_class=HTMLResponse)
async def signin_form(lang: Language, next_page: NextPage = HOME) -> HTMLResponse:
    return HTMLResponse(signin_page.render(lang, next_page=_local(next_page)), headers=NO_STORE)


@router.post(
    "/signin",
    summary="Sign in a browser",
    response_class=HTMLResponse,
    response_model=None,
    responses={
        303: {"description": "Signed in: on to the page asked."},
        401: {"description": "The form again, saying why the token was refused."},
    },
)
async def signin(
    request: Request,
    session: Session,
    lang: Language,
    token: Annotated[str, Form(max_length=200)],
    next_page: Annotated[str, Form(alias="next", max_length=2000)] = HOME,
) -> HTMLResponse | RedirectResponse:
    """A valid token sets the browser's cookie and goes on to the page asked; else the form
    again, saying why."""
    try:
        parent = await tokens.authenticate(session, token.strip())
    except PermissionDenied as refusal:
        page = signin_page.render(lang, next_page=_local(next_page), error=refusal.render(lang))
        return HTMLResponse(page, status_code=401, headers=NO_STORE)
    issued = await tokens.issue_token(
        session,
        Actor.token(parent.id),
        role=parent.role,
        secretariat_id=parent.secretariat_id,
        days=SIGNED_IN_DAYS,
        label="browser",
        parent=parent,
    )
    answer = RedirectResponse(_local(next_page), status_code=303)
    answer.set_cookie(
        SESSION_COOKIE,
        issued.secret,
        max_age=SIGNED_IN_DAYS * 86400,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return answer


@router.post(
    "/signout",
    summary="Sign a browser out",
    response_class=RedirectResponse,
    status_code=status.HTTP_303_SEE_OTHER,
)
async def signout(request: Request, session: Session) -> RedirectResponse:
    """The browser's token is revoked and its cookie dropped."""
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        try:
            token = await tokens.authenticate(session, secret)
        except PermissionDenied:
            pass  # expired or revoked already: nothing to end
        else:
            await tokens.revoke_token(
                session, Actor.token(token.id), token.id, secretariat_id=token.secretariat_id
            )
    answer = RedirectResponse("/signin", status_code=303)
    answer.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict")
    return answer


@router.get(HOME, summary="The campaigns, as a page", response_class=HTMLResponse)
async def campaigns_list(
    principal: CurrentPrincipal, session: Session, lang: Language
) -> HTMLResponse:
    """Every campaign the caller reaches, by secretariat, with links to its results."""
    found = await campaigns.by_secretariat(session, principal.secretariat_id)
    return HTMLResponse(campaigns_page.render(found, lang), headers=NO_STORE)
