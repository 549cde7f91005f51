"""``incorruptible worker`` as a separate process: it sends the outbox through the Bot API it is
pointed at, answers its probes, and stops cleanly on SIGTERM."""

from __future__ import annotations

import signal

from core.infra import migrate
from core.infra.db import create_engine, create_session_factory
from core.models import Role
from core.notify import outbox
from core.people.people import create_person
from emulator.client import EmulatorClient
from emulator.server import Emulator
from tests.cli.test_commands import incorruptible
from tests.support import factories, probes, processes
from tests.support.network import free_port
from tests.support.telegram import TOKEN


def test_a_worker_needs_the_bot_token():
    result = incorruptible("worker", INCORRUPTIBLE_BOT_TOKEN="")
    assert result.returncode == 2
    assert "INCORRUPTIBLE_BOT_TOKEN" in result.stderr


async def test_the_worker_sends_the_outbox_answers_its_probes_and_stops_on_sigterm(
    empty_db_url, tmp_path
):
    engine = create_engine(empty_db_url)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    async with Emulator(tokens=[TOKEN]) as emulator, EmulatorClient(emulator.base_url) as people:
        ana = await people.user("Ana")
        env = processes.environment(
            data_dir=str(tmp_path),
            database_url=empty_db_url,
            bot_token=TOKEN,
            telegram_api_url=emulator.base_url,
            worker_port=str(port),
        )
        command = await processes.start("worker", env=env)
        try:
            await command.wait_for(f"/metrics at {url}")
            health = await probes.health(url)
            before = await probes.ready(url)
            await migrate.upgrade(engine)
            async with create_session_factory(engine)() as session, session.begin():
                secretariat = await factories.secretariat(session)
                person = await create_person(
                    session, secretariat.id, "t", roles={Role.STAFF}, name="Ana", telegram_id=ana.id
                )
                await outbox.enqueue(
                    session, person=person, kind="reminder", key="k", text="Hola Ana"
                )
            message = await ana.next_message(timeout=60)
            after = await probes.ready(url)
            scraped = await probes.scrape(url)
            code, _seconds = await command.stop(signal.SIGTERM)
        finally:
            command.kill()
    await engine.dispose()
    assert message["text"] == "Hola Ana"
    assert health == (200, {"status": "ok"})
    assert before[0] == 503
    assert "incorruptible migrate" in before[1]["migrations"]
    assert after == (200, dict.fromkeys(["database", "migrations", "outbox", "bot_api"]))
    # A process of its own: its counters start at nothing.
    assert scraped.value("incorruptible_outbox_sends_total", result="sent") == 1
    assert scraped.value("incorruptible_outbox_notifications", state="sent") == 1
    assert scraped.value("incorruptible_db_pool_size", pool="main") >= 1
    assert code == 0, "".join(command.output)
