"""SIGINT (Ctrl+C) and SIGTERM stop every long-running command, all of its parts, within ten
seconds and with exit code 0; a worker gives back what it claimed and did not send."""

from __future__ import annotations

import signal

import httpx
import pytest
from sqlalchemy import func, select

from core.infra import migrate
from core.infra.db import create_engine, create_session_factory
from core.models import Notification, NotificationState, Role
from core.notify import outbox
from core.people.people import create_person
from emulator.client import EmulatorClient
from emulator.limits import RateLimits
from emulator.server import Emulator
from tests.support import factories, processes
from tests.support.network import free_port
from tests.support.telegram import TOKEN

STOPPED_WITHIN = 10.0
SIGNALS = [signal.SIGINT, signal.SIGTERM]


async def status(url: str) -> int | None:
    """The HTTP status of a GET, or None when nothing listens there any more."""
    async with httpx.AsyncClient(timeout=5) as client:
        try:
            return (await client.get(url)).status_code
        except httpx.TransportError:
            return None


@pytest.mark.parametrize("number", SIGNALS, ids=["SIGINT", "SIGTERM"])
async def test_run_stops_the_admin_api_the_bot_and_the_emulator(number, empty_db_url, tmp_path):
    admin, chat = free_port(), free_port()
    env = processes.environment(
        data_dir=str(tmp_path),
        database_url=empty_db_url,
        admin_port=str(admin),
        emulator_port=str(chat),
    )
    command = await processes.start("run", env=env)
    try:
        await command.wait_for(r"Run polling for bot")
        assert await status(f"http://127.0.0.1:{admin}/health") == 200
        assert await status(f"http://127.0.0.1:{chat}/") == 200
        code, seconds = await command.stop(number)
    finally:
        command.kill()
    assert code == 0, "".join(command.output)
    assert seconds < STOPPED_WITHIN
    assert await status(f"http://127.0.0.1:{admin}/health") is None
    assert await status(f"http://127.0.0.1:{chat}/") is None


@pytest.mark.parametrize("number", SIGNALS, ids=["SIGINT", "SIGTERM"])
async def test_the_admin_api_alone_stops(number, empty_db_url, tmp_path):
    port = free_port()
    env = processes.environment(
        data_dir=str(tmp_path), database_url=empty_db_url, admin_port=str(port)
    )
    command = await processes.start("admin", env=env)
    try:
        await command.wait_for(r"Application startup complete")
        code, seconds = await command.stop(number)
    finally:
        command.kill()
    assert (code, seconds < STOPPED_WITHIN) == (0, True), "".join(command.output)
    assert await status(f"http://127.0.0.1:{port}/health") is None


async def test_the_bot_alone_stops(empty_db_url, tmp_path):
    engine = create_engine(empty_db_url)
    await migrate.upgrade(engine)
    await engine.dispose()
    async with Emulator(tokens=[TOKEN]) as emulator:
        env = processes.environment(
            data_dir=str(tmp_path),
            database_url=empty_db_url,
            bot_token=TOKEN,
            telegram_api_url=emulator.base_url,
        )
        command = await processes.start("bot", env=env)
        try:
            await command.wait_for(r"Run polling for bot")
            code, seconds = await command.stop(signal.SIGINT)
        finally:
            command.kill()
    assert (code, seconds < STOPPED_WITHIN) == (0, True), "".join(command.output)


async def test_a_stopped_worker_gives_back_what_it_claimed_and_did_not_send(empty_db_url, tmp_path):
    engine = create_engine(empty_db_url)
    await migrate.upgrade(engine)
    session_factory = create_session_factory(engine)
    # One chat takes one message a second: the worker claims all 30 and sends them slowly.
    limits = RateLimits(enabled=False)
    async with (
        Emulator(tokens=[TOKEN], rate_limits=limits) as emulator,
        EmulatorClient(emulator.base_url) as people,
    ):
        ana = await people.user("Ana")
        async with session_factory() as session, session.begin():
            secretariat = await factories.secretariat(session)
            person = await create_person(
                session, secretariat.id, "t", roles={Role.STAFF}, name="Ana", telegram_id=ana.id
            )
            for number in range(30):
                await outbox.enqueue(
                    session, person=person, kind="reminder", key=f"k{number}", text=f"{number}"
                )
        env = processes.environment(
            data_dir=str(tmp_path),
            database_url=empty_db_url,
            bot_token=TOKEN,
            telegram_api_url=emulator.base_url,
            send_rate_per_chat="1",
            worker_port=str(free_port()),
        )
        command = await processes.start("worker", env=env)
        try:
            await ana.next_message(timeout=60)
            await ana.next_message(timeout=10)
            code, seconds = await command.stop(signal.SIGTERM)
        finally:
            command.kill()
        received = len(await ana.messages())
    async with session_factory() as session:
        states = dict(
            (
                await session.execute(
                    select(Notification.state, func.count()).group_by(Notification.state)
                )
            ).all()
        )
        pending = list(
            await session.scalars(
                select(Notification).where(Notification.state == NotificationState.PENDING)
            )
        )
    await engine.dispose()
    assert (code, seconds < STOPPED_WITHIN) == (0, True), "".join(command.output)
    assert NotificationState.SENDING not in states
    assert states[NotificationState.SENT] == received
    assert states[NotificationState.PENDING] == 30 - received > 0
    assert all(n.locked_until is None and n.attempts == 0 for n in pending)
