"""The public pages served over real HTTP on the test's database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from admin.app import create_app
from core.infra.settings import Settings
from tests.admin.server import serving


@pytest.fixture
async def site(db_url, session_factory, tmp_path) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the public pages; what the test writes with ``session_factory`` shows."""
    settings = Settings(
        data_dir=tmp_path, bot_username="incorruptible_test_bot", database_url=db_url
    )
    with serving(create_app(settings)) as base_url:
        async with httpx.AsyncClient(
            base_url=base_url, headers={"Accept": "text/html"}, timeout=30
        ) as client:
            yield client
