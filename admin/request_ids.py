"""Every request has an id: the caller's ``X-Request-ID`` when it is short and plain (a proxy's,
say), else a new one. It is answered in the response's ``X-Request-ID`` and is on every line
logged while the request is handled, with the caller's token and secretariat once the token is
known (``admin.auth``): never the token itself.
"""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import Message, Receive, Scope, Send
from structlog.contextvars import bind_contextvars, bound_contextvars, unbind_contextvars

from admin.http_middleware import HttpMiddleware

HEADER = "X-Request-ID"
# Anything else could forge a line of the log or carry what should not be logged.
PLAIN = re.compile(r"[A-Za-z0-9._-]{1,64}")
CALLER = ("token_id", "secretariat_id")


class RequestIds(HttpMiddleware):
    """Names each HTTP request on its log lines and in its response."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = Headers(scope=scope).get(HEADER, "")
        request_id = given if PLAIN.fullmatch(given) else uuid.uuid4().hex

        async def answering(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        with bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, answering)
            finally:
                unbind_contextvars(*CALLER)


def bind_caller(token_id: int, secretariat_id: int | None) -> None:
    """Name the caller on the rest of the request's log lines."""
    bind_contextvars(token_id=token_id)
    if secretariat_id is not None:
        bind_contextvars(secretariat_id=secretariat_id)
