"""Reads go on while another process holds SQLite's write lock, and a write that cannot have it
in time answers 503 with Retry-After. One connection used to serve everything: a 10 s lock
stalled every request, reads included, a 35 s one ended in a bare 500 after 30 s, and the health
probe stayed green throughout."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from admin.app import create_app
from core.infra.db import create_engine, create_session_factory
from core.infra.settings import Settings
from core.models import Base, TokenRole
from core.people import tokens
from tests.admin.server import serving
from tests.support import factories
from tests.support.databases import sqlite_url

WAIT = 1.0  # the admin API's database timeout in these tests, in seconds
HOLDER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(60)
"""


async def _database(path: Path) -> tuple[str, int, dict[str, str]]:
    """A SQLite file with a secretariat, its plan and a coordinator's token."""
    url = sqlite_url(path)
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    async with create_session_factory(engine)() as session, session.begin():
        secretariat = await factories.secretariat(session)
        plan, _ = await factories.plan_with_activity(session, secretariat.id)
        issued = await tokens.issue_token(
            session, "test", role=TokenRole.COORDINATOR, secretariat_id=secretariat.id
        )
    await engine.dispose()
    base = f"/secretariats/{secretariat.id}/plans/{plan.id}"
    return url, secretariat.id, {"Authorization": f"Bearer {issued.secret}", "X-Base": base}


@contextmanager
def write_lock_held(path: Path) -> Iterator[None]:
    """Another process holds the database's write lock until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.kill()
        holder.wait()


async def test_reads_go_on_and_a_write_answers_503_while_another_process_holds_the_lock(
    tmp_path,
):
    path = tmp_path / "locked.db"
    url, _, headers = await _database(path)
    base = headers.pop("X-Base")
    settings = Settings(
        data_dir=tmp_path,
        database_url=url,
        bot_username="incorruptible_test_bot",
        admin_database_timeout=WAIT,
    )
    with serving(create_app(settings)) as base_url:
        async with httpx.AsyncClient(base_url=base_url, headers=headers) as http:
            assert (await http.get(base)).status_code == 200  # the token's use is noted
            with write_lock_held(path):
                # A read that waited for the lock would answer 503 once the API's wait ran out.
                for _ in range(3):
                    read = await http.get(f"{base}/objectives")
                    assert read.status_code == 200, read.text
                # Readiness reads as the API does: its database check answers too.
                ready = (await http.get("/ready")).json()
                assert {"name": "database", "ok": True} in ready["checks"]

                write = await http.post(f"{base}/objectives", json={"title": "Transparencia"})
                assert write.status_code == 503, write.text
                assert write.headers["content-type"] == "application/problem+json"
                assert int(write.headers["retry-after"]) > 0
            write = await http.post(f"{base}/objectives", json={"title": "Transparencia"})
            assert write.status_code == 201, write.text
