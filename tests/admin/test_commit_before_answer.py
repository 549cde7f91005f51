"""The admin API answers only once what it did is committed: a client told 201 can read it at
once from anywhere, and a commit that fails is never preceded by a success."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from admin.app import create_app
from core.models import Objective
from tests.admin.server import serving


@pytest.fixture
def slow_commits() -> Iterator[None]:
    """Every commit in this process takes a moment, as under load."""

    def linger(_session: Session) -> None:
        time.sleep(0.3)

    event.listen(Session, "before_commit", linger)
    yield
    event.remove(Session, "before_commit", linger)


async def test_a_created_item_is_committed_when_the_answer_arrives(
    db_url, settings, world, session_factory, slow_commits
):
    app = create_app(settings.model_copy(update={"database_url": db_url}))
    with serving(app) as base_url:
        async with httpx.AsyncClient(base_url=base_url) as http:
            created = await http.post(
                f"/secretariats/{world.own}/plans/{world.own_plan}/objectives",
                headers=world.auth("coordinator"),
                json={"title": "Transparencia proactiva"},
            )
            assert created.status_code == 201, created.text
            async with session_factory() as session:
                found = await session.scalar(
                    select(Objective.title).where(Objective.id == created.json()["id"])
                )
    assert found == "Transparencia proactiva"
