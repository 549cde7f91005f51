"""``/health``, ``/ready`` and ``/metrics`` of the admin API, and the count of its requests.

``/health`` says the process answers (nothing else is asked); ``/ready`` runs the checks of
``core.monitoring.readiness`` on the connections the API reads with; ``/metrics`` is
``core.monitoring.metrics`` in Prometheus's text format. The probes are for the operator's
tools, not the API's clients: ``/ready`` and ``/metrics`` stay out of the OpenAPI document.

Requests are counted by route template (``/secretariats/{secretariat_id}/plans``), never by
their path, so the number of series stays that of the routes whatever clients send; a request
that reaches no route (a 404, a body refused before routing) counts as ``UNROUTED``.
"""

from __future__ import annotations

import time

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send

from admin.http_middleware import HttpMiddleware
from core.infra.db import SessionFactory
from core.monitoring import metrics, readiness

UNROUTED = "unrouted"
# A client may send any word as its method: others are counted together, as OTHER.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER = "other"


class RequestMetrics(HttpMiddleware):
    """An ASGI middleware counting and timing every request by method, route and status."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500  # unless an answer starts: what the server says to an escaped error

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            # The router notes the route it chose in the request's scope.
            route = getattr(scope.get("route"), "path", UNROUTED)
            method = scope["method"] if scope["method"] in METHODS else OTHER
            metrics.request_answered(method, route, status, time.perf_counter() - started)


def use_database(app: FastAPI, writes: SessionFactory, reads: SessionFactory) -> None:
    """Let the API write with ``writes`` and read with ``reads``, which its probes use."""
    app.state.session_factory = writes
    app.state.read_session_factory = reads
    app.state.readiness_checks = readiness.service_checks(reads)
    pools = {"main": writes.kw["bind"]}
    if reads.kw["bind"] is not writes.kw["bind"]:
        pools["read"] = reads.kw["bind"]
    app.state.pools = pools


def install(app: FastAPI) -> None:
    """Count the app's requests and serve its probes."""
    app.add_middleware(RequestMetrics)

    @app.get("/health", tags=["health"], summary="Liveness probe")
    async def health() -> dict[str, str]:
        """The service answers; nothing else is asked (``/ready`` checks the database)."""
        return {"status": "ok"}

    @app.get("/ready", include_in_schema=False)
    async def ready(request: Request) -> JSONResponse:
        report = await readiness.run(request.app.state.readiness_checks)
        return JSONResponse(report.as_json(), status_code=200 if report.ready else 503)

    @app.get("/metrics", include_in_schema=False)
    async def scrape(request: Request) -> Response:
        state = request.app.state
        body = await metrics.scrape(state.read_session_factory, state.pools)
        return Response(body, media_type=metrics.MEDIA_TYPE)
