"""The security suite drives the product as its users do: through the emulator's chat, and
through the admin API served over real HTTP."""

from collections.abc import AsyncIterator

import httpx
import pytest

from admin.app import create_app
from tests.admin.conftest import settings, world
from tests.admin.server import serving
from tests.e2e.conftest import catalog, chat

__all__ = ["catalog", "chat", "http", "settings", "world"]


@pytest.fixture
async def http(db_url, settings, world) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the admin API served by uvicorn on a loopback port, on the test's database."""
    app = create_app(settings.model_copy(update={"database_url": db_url}))
    with serving(app) as base_url:
        async with httpx.AsyncClient(base_url=base_url) as client:
            yield client
