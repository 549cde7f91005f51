"""``incorruptible worker`` as a separate process: it sends the outbox through the Bot API it is
pointed at, and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from core.infra import migrate
from core.infra.db import create_engine, create_session_factory
from core.models import Role
from core.notify import outbox
from core.people.people import create_person
from emulator.client import EmulatorClient
from emulator.server import Emulator
from tests.cli.test_commands import incorruptible
from tests.support import factories
from tests.support.telegram import TOKEN


def test_a_worker_needs_the_bot_token():
    result = incorruptible("worker", INCORRUPTIBLE_BOT_TOKEN="")
    assert result.returncode == 2
    assert "INCORRUPTIBLE_BOT_TOKEN" in result.stderr


async def test_the_worker_sends_the_outbox_and_stops_on_sigterm(empty_db_url, tmp_path):
    engine = create_engine(empty_db_url)
    await migrate.upgrade(engine)
    async with Emulator(tokens=[TOKEN]) as emulator, EmulatorClient(emulator.base_url) as people:
        ana = await people.user("Ana")
        async with create_session_factory(engine)() as session, session.begin():
            secretariat = await factories.secretariat(session)
            person = await create_person(
                session, secretariat.id, "t", roles={Role.STAFF}, name="Ana", telegram_id=ana.id
            )
            await outbox.enqueue(session, person=person, kind="reminder", key="k", text="Hola Ana")
        environment = {
            **os.environ,
            "INCORRUPTIBLE_DATABASE_URL": empty_db_url,
            "INCORRUPTIBLE_BOT_TOKEN": TOKEN,
            "INCORRUPTIBLE_TELEGRAM_API_URL": emulator.base_url,
            "INCORRUPTIBLE_DATA_DIR": str(tmp_path),
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "incorruptible",
            "worker",
            env=environment,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            message = await ana.next_message(timeout=60)
        finally:
            process.send_signal(signal.SIGTERM)
            _out, errors = await asyncio.wait_for(process.communicate(), 60)
    await engine.dispose()
    assert message["text"] == "Hola Ana"
    assert process.returncode == 0, errors.decode()
