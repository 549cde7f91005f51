"""The admin API's probes over real HTTP: ``/health`` answers without the database, ``/ready``
lists every check and names the one that fails, ``/metrics`` counts requests by route template
and reads the outbox and the validation requests from the database."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select, update

from admin.app import create_app
from core.demo import DEMO_SLUG, seed_demo
from core.models import (
    Notification,
    NotificationState,
    Secretariat,
    TokenRole,
    ValidationRequest,
    utcnow,
)
from core.notify import outbox
from tests.admin.conftest import issue
from tests.admin.server import serving
from tests.support import factories, probes

CHECKS = ["database", "migrations", "outbox"]


def app_on(settings, database_url: str):
    return create_app(settings.model_copy(update={"database_url": database_url}))


async def test_health_answers_without_the_database_and_ready_names_it(settings):
    unreachable = "postgresql+asyncpg://nobody@127.0.0.1:9/nowhere"
    with serving(app_on(settings, unreachable)) as url:
        health = await probes.health(url)
        status, problems = await probes.ready(url)
    assert health == (200, {"status": "ok"})
    assert status == 503
    assert list(problems) == CHECKS
    assert problems["database"] is not None


async def test_ready_lists_every_check_on_a_migrated_database(migrated, migrated_db_url, settings):
    with serving(app_on(settings, migrated_db_url)) as url:
        assert await probes.ready(url) == (200, dict.fromkeys(CHECKS))


async def test_ready_names_the_migrations_on_an_empty_database(empty_db_url, settings):
    with serving(app_on(settings, empty_db_url)) as url:
        status, problems = await probes.ready(url)
    assert status == 503
    assert problems["database"] is None
    assert "incorruptible migrate" in problems["migrations"]


async def test_ready_names_an_outbox_nobody_sends(migrated, migrated_db_url, settings):
    long_ago = utcnow() - timedelta(hours=1)
    async with migrated() as session, session.begin():
        secretariat = await factories.secretariat(session)
        person = await factories.staff(session, secretariat.id)
        await outbox.enqueue(
            session, person=person, kind="reminder", key="k", text="Hola", scheduled_at=long_ago
        )
    with serving(app_on(settings, migrated_db_url)) as url:
        due = await probes.ready(url)
        # Its request started an hour ago, and no worker recorded a result or gave it up.
        async with migrated() as session, session.begin():
            await session.execute(
                update(Notification).values(state=NotificationState.SENDING, locked_until=None)
            )
        started = await probes.ready(url)
    assert due[0] == started[0] == 503
    assert {name for name, problem in due[1].items() if problem} == {"outbox"}
    assert "is unsent" in due[1]["outbox"]
    assert {name for name, problem in started[1].items() if problem} == {"outbox"}
    assert "has no result" in started[1]["outbox"]


async def test_metrics_count_requests_by_route_and_read_the_database(
    migrated, migrated_db_url, settings
):
    await seed_demo(migrated, settings)
    async with migrated() as session, session.begin():
        secretariat = await session.scalar(select(Secretariat).where(Secretariat.slug == DEMO_SLUG))
        headers = await issue(session, TokenRole.VIEWER, secretariat.id)
    with serving(app_on(settings, migrated_db_url)) as url:
        before = await probes.scrape(url)
        async with httpx.AsyncClient(base_url=url, headers=headers) as http:
            for _ in range(3):
                answer = await http.get(f"/secretariats/{secretariat.id}/plans")
                assert answer.status_code == 200
            assert (await http.get("/api/nothing/here")).status_code == 404
        after = await probes.scrape(url)
    plans = {"method": "GET", "route": "/secretariats/{secretariat_id}/plans"}

    def grown(name: str, **labels: str) -> float:
        return after.value(name, **labels) - before.value(name, **labels)

    assert grown("incorruptible_http_requests_total", **plans, status="200") == 3
    assert grown("incorruptible_http_request_seconds_count", **plans) == 3
    assert grown("incorruptible_http_requests_total", route="unrouted", status="404") == 1

    async with migrated() as session:
        notifications = dict(
            (
                await session.execute(
                    select(Notification.state, func.count()).group_by(Notification.state)
                )
            ).all()
        )
        requests = dict(
            (
                await session.execute(
                    select(ValidationRequest.state, func.count()).group_by(ValidationRequest.state)
                )
            ).all()
        )
    assert requests, "the demo puts reports to validation"
    for state, count in notifications.items():
        assert after.value("incorruptible_outbox_notifications", state=state.value) == count
    for state, count in requests.items():
        assert after.value("incorruptible_validation_requests", state=state.value) == count
    assert after.value("incorruptible_db_pool_size", pool="main") >= 1
    assert "incorruptible_outbox_oldest_due_seconds" in after.names()
