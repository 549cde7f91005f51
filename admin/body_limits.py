"""Request bodies, bounded per route and refused before a byte of them is read.

FastAPI reads and parses an operation's body before it resolves the operation's dependencies,
authentication included: left to it, anyone could make the API buffer and parse whatever they
send. This middleware stands in front of the app. A body sent without a bearer token answers 401
(every operation that takes a body needs one), a declared length past the route's limit answers
413, both at once; a body sent without a length is cut with 413 as soon as it grows past it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from admin.auth import MISSING_TOKEN, bearer_token_in
from admin.problems import BodyTooLarge, Unauthenticated, domain_problem
from core.chat import stored_definitions
from core.errors import DomainError
from core.meetings import minutes
from core.plans.spreadsheets import columns
from i18n import N_
from public import joining

# The largest valid JSON body, a task with every text and list full and every character
# escaped as \uXXXX, is under 500 KB.
JSON_BYTES = 1024 * 1024
# Room for a form's other fields and the multipart boundaries around an uploaded file.
FORM_FIELDS_BYTES = 64 * 1024
UPLOAD_BYTES = {
    "/secretariats/{secretariat_id}/plans/import": columns.MAX_BYTES + FORM_FIELDS_BYTES,
    "/secretariats/{secretariat_id}/definitions": stored_definitions.MAX_BYTES + FORM_FIELDS_BYTES,
    "/secretariats/{secretariat_id}/meetings/{meeting_id}/minutes": minutes.MAX_BYTES
    + FORM_FIELDS_BYTES,
}

# The operations a browser posts to without a token (its cookie is not one), and their most
# bytes. The sign-in form's fields at their longest (a token of 200 characters, a page of
# 2,000), every character four bytes of UTF-8 escaped as %XX, take under 27 KB.
SIGNIN_BYTES = 32 * 1024
OPEN_BYTES = {"/signin": SIGNIN_BYTES, "/signout": 1024, joining.FORM_PATH: joining.FORM_BYTES}


class BodyLimits:
    """An ASGI middleware: ``by_route`` maps path templates to their limit, others get
    ``default``."""

    def __init__(self, app: ASGIApp, *, default: int, by_route: Mapping[str, int]) -> None:
        self.app = app
        self.default = default
        self.by_route = _compiled(by_route)
        self.open = _compiled(OPEN_BYTES)

    def limit(self, path: str) -> int:
        """The most bytes a request to ``path`` may send."""
        return _matching(self.by_route, path) or self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length in (None, "0") and "transfer-encoding" not in headers:
            await self.app(scope, receive, send)
            return
        limit = _matching(self.open, scope["path"])
        if limit is None:
            if not bearer_token_in(headers):
                await _refuse(scope, receive, send, Unauthenticated(MISSING_TOKEN))
                return
            limit = self.limit(scope["path"])
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _refuse(scope, receive, send, _too_large(limit))
            return
        await _Bounded(self.app, limit)(scope, receive, send)


def _compiled(limits: Mapping[str, int]) -> list[tuple[re.Pattern[str], int]]:
    return [(compile_path(path)[0], limit) for path, limit in limits.items()]


def _matching(limits: list[tuple[re.Pattern[str], int]], path: str) -> int | None:
    return next((limit for pattern, limit in limits if pattern.match(path)), None)


def _too_large(limit: int) -> BodyTooLarge:
    return BodyTooLarge(N_("The request may carry at most {limit} KB."), limit=limit // 1024)


async def _refuse(scope: Scope, receive: Receive, send: Send, error: DomainError) -> None:
    # The body stays unread: the connection closes after the answer instead of draining it.
    response = domain_problem(Request(scope), error)
    response.headers["Connection"] = "close"
    await response(scope, receive, send)


class _Bounded:
    """One request whose body is counted as it arrives and cut past ``limit``."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.received = 0
        self.started = False
        self.refused = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def receive_within_limit() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                self.received += len(message.get("body", b""))
                if self.received > self.limit:
                    if not self.started:
                        self.refused = True
                        await _refuse(scope, receive, send, _too_large(self.limit))
                    # To the app the client is gone: it stops reading and its answer is dropped.
                    return {"type": "http.disconnect"}
            return message

        async def send_unless_refused(message: Message) -> None:
            if self.refused:
                return
            if message["type"] == "http.response.start":
                self.started = True
            await send(message)

        await self.app(scope, receive_within_limit, send_unless_refused)
