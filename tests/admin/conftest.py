"""Two secretariats, a token of every role, and HTTP clients on the app: in process, and over
real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest

from admin.app import create_app
from core.infra.settings import Settings
from core.models import TokenRole
from core.people import tokens
from tests.admin.server import serving
from tests.support import factories


@dataclass
class World:
    """Secretariat ``own`` with a plan, ``other`` with one too, and a token per role."""

    own: int
    other: int
    own_plan: int
    other_plan: int
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def auth(self, role: str) -> dict[str, str]:
        return self.headers[role]


async def issue(session, role: TokenRole, secretariat_id: int | None) -> dict[str, str]:
    issued = await tokens.issue_token(session, "test", role=role, secretariat_id=secretariat_id)
    return {"Authorization": f"Bearer {issued.secret}"}


@pytest.fixture
async def world(session_factory) -> World:
    async with session_factory() as session, session.begin():
        own = await factories.secretariat(session, "sesea-ags")
        other = await factories.secretariat(session, "sesea-zac")
        own_plan, _ = await factories.plan_with_activity(session, own.id)
        other_plan, _ = await factories.plan_with_activity(session, other.id)
        world = World(own.id, other.id, own_plan.id, other_plan.id)
        world.headers["national_admin"] = await issue(session, TokenRole.NATIONAL_ADMIN, None)
        for role in (TokenRole.SECRETARIAT_ADMIN, TokenRole.COORDINATOR, TokenRole.VIEWER):
            world.headers[role.value] = await issue(session, role, own.id)
    return world


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, bot_username="incorruptible_test_bot")


@pytest.fixture
async def client(settings, session_factory) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, session_factory)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://admin.test") as client:
        yield client


@pytest.fixture
async def http(db_url, settings, world) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the admin API served by uvicorn on a loopback port, on the test's database."""
    app = create_app(settings.model_copy(update={"database_url": db_url}))
    with serving(app) as base_url:
        async with httpx.AsyncClient(base_url=base_url) as client:
            yield client
