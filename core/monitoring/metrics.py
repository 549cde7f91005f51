"""Every metric the services export, declared once, and the gauges read from the database at
each scrape.

The counters and histograms count what this process did; Prometheus adds the processes up. The
gauges (the outbox, validation requests, the connection pools) describe the shared database
and this process's engines, read when ``/metrics`` is asked for: a few statements, whatever the
number of rows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool

from core.infra.db import SessionFactory
from core.models import utcnow
from core.notify import outbox
from core.validation import queries as validation

log = logging.getLogger(__name__)
MEDIA_TYPE = CONTENT_TYPE_LATEST
# Seconds a scrape gives the database; past them the gauges keep their last values.
SCRAPE_TIMEOUT = 5.0

UPDATES = Counter(
    "incorruptible_updates",
    "Telegram updates received, by kind (message, callback_query...) and outcome: handled, "
    "duplicate (delivered again, ignored), recovered (taken over from a process that died "
    "before replying), refused (a rule said no) or failed.",
    ["kind", "outcome"],
)
UPDATE_SECONDS = Histogram(
    "incorruptible_update_seconds",
    "Time to handle an update, from its claim to its commit (duplicates aside).",
    ["kind"],
)
SENDS = Counter(
    "incorruptible_outbox_sends",
    "Notifications the outbox worker tried to send, by result: sent, rate_limited (429), "
    "retried (5xx or no connection), blocked (403), refused (400), uncertain (cut off after "
    "the request left: not sent again).",
    ["result"],
)
OUTBOX = Gauge("incorruptible_outbox_notifications", "Notifications by state.", ["state"])
OUTBOX_OLDEST_DUE = Gauge(
    "incorruptible_outbox_oldest_due_seconds",
    "How long the longest-waiting due notification has waited; 0 when none waits.",
)
VALIDATION_REQUESTS = Gauge(
    "incorruptible_validation_requests", "Validation requests by state.", ["state"]
)
HTTP_REQUESTS = Counter(
    "incorruptible_http_requests",
    "Admin API requests by method, route template and status.",
    ["method", "route", "status"],
)
HTTP_SECONDS = Histogram(
    "incorruptible_http_request_seconds",
    "Time to answer an admin API request, by method and route template.",
    ["method", "route"],
)
POOL_CHECKED_OUT = Gauge(
    "incorruptible_db_pool_checked_out", "Database connections in use, by pool.", ["pool"]
)
POOL_SIZE = Gauge(
    "incorruptible_db_pool_size",
    "Connections a pool keeps (it may open more for a while), by pool.",
    ["pool"],
)


def update_handled(kind: str, outcome: str, seconds: float) -> None:
    """Count an update, and time it unless it was a duplicate (ignored at once)."""
    UPDATES.labels(kind, outcome).inc()
    if outcome != "duplicate":
        UPDATE_SECONDS.labels(kind).observe(seconds)


def request_answered(method: str, route: str, status: int, seconds: float) -> None:
    """Count and time an admin API request."""
    HTTP_REQUESTS.labels(method, route, str(status)).inc()
    HTTP_SECONDS.labels(method, route).observe(seconds)


async def scrape(session_factory: SessionFactory, pools: Mapping[str, AsyncEngine]) -> bytes:
    """Every metric in Prometheus's text format, the gauges read now: the database's through
    ``session_factory``, the use of each of ``pools`` (by name)."""
    try:
        async with asyncio.timeout(SCRAPE_TIMEOUT):
            await _read_database(session_factory)
    except (TimeoutError, OSError, SQLAlchemyError) as error:
        log.warning("metrics: the database does not answer: %s", error)
    for name, engine in pools.items():
        pool = engine.pool
        if isinstance(pool, QueuePool):  # an in-memory database has no pool to speak of
            POOL_CHECKED_OUT.labels(name).set(pool.checkedout())
            POOL_SIZE.labels(name).set(pool.size())
    return generate_latest()


async def _read_database(session_factory: SessionFactory) -> None:
    now = utcnow()
    async with session_factory() as session:
        notifications = await outbox.counts(session)
        due_since = await outbox.oldest_due(session, now)
        requests = await validation.counts(session)
    for state, count in notifications.items():
        OUTBOX.labels(state).set(count)
    OUTBOX_OLDEST_DUE.set(0 if due_since is None else (now - due_since).total_seconds())
    for state, count in requests.items():
        VALIDATION_REQUESTS.labels(state).set(count)
