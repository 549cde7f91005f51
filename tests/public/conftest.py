"""The public site served over real HTTP on the test's database, empty or with two
secretariats' plans."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from admin.app import create_app
from core.infra.settings import Settings
from tests.admin.server import serving

# The browser the verification page's tests drive, shared with the web chat's tests.
from tests.emulator.test_web_chat import browser
from tests.support import public_world
from tests.support.public_world import PublicWorld


@dataclass
class Site:
    url: str
    client: httpx.AsyncClient
    world: PublicWorld


@asynccontextmanager
async def served(db_url: str, data_dir: Path) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    """The application on ``db_url`` over HTTP: its address and a client of it."""
    settings = Settings(
        data_dir=data_dir, bot_username="incorruptible_test_bot", database_url=db_url
    )
    with serving(create_app(settings)) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            yield base_url, client


@pytest.fixture
async def site(db_url, session_factory, tmp_path) -> AsyncIterator[httpx.AsyncClient]:
    """A browser-like client of the public pages; what the test writes with
    ``session_factory`` shows."""
    async with served(db_url, tmp_path) as (_base_url, client):
        client.headers["Accept"] = "text/html"
        yield client


@pytest.fixture
async def populated(db_url, session_factory, tmp_path) -> AsyncIterator[Site]:
    """The site over two secretariats' plans (``tests.support.public_world``)."""
    world = await public_world.build(session_factory)
    async with served(db_url, tmp_path) as (base_url, client):
        yield Site(base_url, client, world)


__all__ = ["browser"]
