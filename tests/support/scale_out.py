"""The production shape on this machine: bot webhook processes and workers, each a real
``incorruptible`` process, on one PostgreSQL database, fed by the emulator's webhook delivery.

The bot processes share one port (``SO_REUSEPORT``: the kernel spreads the emulator's
connections among them, as a proxy spreads Telegram's). People answer a survey by typing
numbers; the outbox holds notices for each of them, which the workers send meanwhile.
``check`` then says what was kept, handled and sent, and how often.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.audit.actor import Actor
from core.chat import responses, stored_definitions
from core.chat.definitions import DefinitionCatalog
from core.infra import migrate
from core.infra.db import create_engine, create_session_factory
from core.models import (
    Notification,
    NotificationState,
    Person,
    PersonRole,
    ProcessedUpdate,
    ResponseSession,
    Role,
)
from core.notify import outbox
from core.people import secretariats
from emulator.client import EmulatorClient, SimulatedUser
from emulator.limits import RateLimits
from emulator.server import Emulator
from tests.support import processes
from tests.support.network import free_port

TOKEN = "4242:scale-out"
SECRET = "scale-out-webhook-secret-0123456789abcdef"
PRIVACY_NOTICE = "2026-01"
SURVEY = "scale_survey"
QUESTIONS = 6
NOTICES = 4  # per person, sent by the workers while people answer
RECEIVED = "Recibí tu último mensaje."


def survey() -> bytes:
    """A survey of whole numbers: each person's answers are known in advance (``answer``)."""

    def text(words: str) -> dict[str, str]:
        return {"es": words, "en": words}

    questions = [
        {"id": f"n{n}", "type": "integer", "text": text(f"Número {n}"), "min": 0, "max": 10_000}
        for n in range(1, QUESTIONS + 1)
    ]
    return yaml.safe_dump(
        {"id": SURVEY, "version": 1, "title": text("Encuesta de escala"), "questions": questions}
    ).encode()


def answer(person: int, question: int) -> int:
    return person * 10 + question


def notice(number: int) -> str:
    return f"Aviso {number} de {NOTICES}"


@dataclass
class Running:
    """A command of the product, its output read as it comes (a full pipe would stop it)."""

    command: processes.Command
    reading: asyncio.Task[None] = field(init=False)

    def __post_init__(self) -> None:
        self.reading = asyncio.create_task(self._read())

    async def _read(self) -> None:
        stream = self.command.process.stdout
        assert stream is not None
        while line := await stream.readline():
            self.command.output.append(line.decode(errors="replace"))

    async def printed(self, pattern: str, within: float = 60) -> None:
        expression = re.compile(pattern)
        deadline = time.monotonic() + within
        while not any(expression.search(line) for line in self.command.output):
            if self.command.process.returncode is not None or time.monotonic() > deadline:
                printed = "".join(self.command.output[-40:])
                raise AssertionError(f"nothing matched {pattern!r}; it printed:\n{printed}")
            await asyncio.sleep(0.05)

    def kill(self) -> None:
        self.command.kill()

    async def stop(self) -> None:
        if self.command.process.returncode is None:
            self.command.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.command.process.wait(), 20)
            self.command.kill()
        await self.reading


@dataclass
class Deployment:
    database_url: str
    data_dir: Path
    emulator: Emulator
    client: EmulatorClient
    webhook_port: int = field(default_factory=free_port)
    bots: list[Running] = field(default_factory=list)
    workers: list[Running] = field(default_factory=list)

    def environment(self, **more: str) -> dict[str, str]:
        return processes.environment(
            database_url=self.database_url,
            data_dir=str(self.data_dir),
            bot_token=TOKEN,
            bot_username="scale_out_bot",
            telegram_api_url=self.emulator.base_url,
            webhook_url=f"http://127.0.0.1:{self.webhook_port}/telegram/webhook",
            webhook_secret=SECRET,
            webhook_port=str(self.webhook_port),
            privacy_notice_version=PRIVACY_NOTICE,
            **more,
        )

    async def start_bot(self) -> Running:
        """A webhook process that leaves the outbox to the workers."""
        command = await processes.start("bot", "--webhook", "--no-worker", env=self.environment())
        running = Running(command)
        self.bots.append(running)
        await running.printed("receiving updates by webhook")
        return running

    async def start_worker(self, **settings: str) -> Running:
        environment = self.environment(worker_port=str(free_port()), **settings)
        command = await processes.start("worker", env=environment)
        running = Running(command)
        self.workers.append(running)
        await running.printed("worker: sending")
        return running

    async def stop(self) -> None:
        await asyncio.gather(*(each.stop() for each in self.bots + self.workers))


@contextlib.asynccontextmanager
async def deployment(database_url: str, data_dir: Path) -> AsyncIterator[Deployment]:
    """An emulator for the deployment's processes to talk to (they are started by the caller),
    stopped with them at the end."""
    async with (
        Emulator(tokens=[TOKEN], rate_limits=RateLimits(enabled=False)) as emulator,
        EmulatorClient(emulator.base_url) as client,
    ):
        shape = Deployment(database_url, data_dir, emulator, client)
        try:
            yield shape
        finally:
            await shape.stop()


async def prepare(shape: Deployment, count: int, notices: int = NOTICES) -> list[SimulatedUser]:
    """``count`` people in the web chat, each in the survey with ``notices`` waiting in the
    outbox."""
    users = [await shape.client.user(f"Persona {n}", language_code="es") for n in range(count)]
    engine = create_engine(shape.database_url)
    try:
        await migrate.upgrade(engine)
        catalog = DefinitionCatalog(PRIVACY_NOTICE)
        async with create_session_factory(engine)() as session, session.begin():
            secretariat = await secretariats.create_secretariat(
                session, "scale", slug="escala", name="Secretaría de escala", state="Nacional"
            )
            actor = Actor.system("scale-out")
            await stored_definitions.upload(
                session, secretariat.id, actor, catalog, data=survey(), filename=f"{SURVEY}.yaml"
            )
            for user in users:
                person = Person(
                    secretariat_id=secretariat.id,
                    name=user.data["first_name"],
                    telegram_id=user.id,
                    language="es",
                    consent_version=PRIVACY_NOTICE,
                    role_links=[PersonRole(role=Role.STAFF)],
                )
                session.add(person)
                await session.flush()
                await responses.start(
                    session,
                    catalog,
                    SURVEY,
                    "es",
                    secretariat_id=secretariat.id,
                    person=person,
                    owner_id=secretariat.id,
                )
                for number in range(1, notices + 1):
                    await outbox.enqueue(
                        session,
                        person=person,
                        kind="notice",
                        key=f"notice:{person.id}:{number}",
                        text=notice(number),
                    )
    finally:
        await engine.dispose()
    return users


async def next_question(user: SimulatedUser) -> dict:
    """The bot's next message that is not a notice (those come from the workers meanwhile) nor
    the word that a message arrived whose first handler died (the question follows it)."""
    while True:
        message = await user.next_message(timeout=60)
        if not message["text"].startswith(("Aviso ", RECEIVED)):
            return message


@dataclass
class Progress:
    """The seconds each answer took, from sending it to the next question, as they come."""

    seconds: list[float] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def add(self, seconds: float) -> None:
        self.seconds.append(seconds)
        self.changed.set()

    async def reached(self, count: float) -> None:
        while len(self.seconds) < count:
            self.changed.clear()
            await self.changed.wait()


async def answer_survey(user: SimulatedUser, index: int, progress: Progress) -> None:
    """Type every answer, each after the bot asked the next question."""
    for question in range(1, QUESTIONS + 1):
        started = time.perf_counter()
        await user.send(str(answer(index, question)))
        await next_question(user)
        progress.add(time.perf_counter() - started)


@dataclass
class Outcome:
    """What the database and the chats hold at the end."""

    answers_kept: int  # people whose stored answers are all theirs, in a completed survey
    updates: int  # updates the emulator took from people
    updates_handled: int  # rows of processed updates, each finished
    unfinished_updates: int
    notices_arrived: int
    notices_twice: int
    notices_out_of_order: int  # chats whose notices arrived in another order
    notices_may_have_arrived: int  # given up because a worker died during the send
    questions_twice: int  # a question asked twice, beyond the one repeated after RECEIVED
    recovered: int  # updates taken over from a process that died before replying (RECEIVED)
    pending_deliveries: int  # updates the emulator still holds


async def settled(shape: Deployment, users: list[SimulatedUser], within: float = 90) -> Outcome:
    """The outcome once the workers sent what they could and the emulator delivered all."""
    engine = create_engine(shape.database_url)
    try:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            async with create_session_factory(engine)() as session:
                counts = await outbox.counts(session)
            waiting = counts[NotificationState.PENDING] + counts[NotificationState.SENDING]
            if not waiting and not shape.emulator.bot().updates:
                break
            await asyncio.sleep(0.2)
        return await _outcome(shape, users, engine)
    finally:
        await engine.dispose()


async def _outcome(shape: Deployment, users: list[SimulatedUser], engine: AsyncEngine) -> Outcome:
    async with create_session_factory(engine)() as session:
        kept = 0
        for index, user in enumerate(users):
            stored = await session.scalar(
                select(ResponseSession.state)
                .join(Person, Person.id == ResponseSession.person_id)
                .where(Person.telegram_id == user.id)
            )
            expected = {f"n{q}": answer(index, q) for q in range(1, QUESTIONS + 1)}
            kept += stored is not None and stored["answers"] == expected
        handled = await session.scalar(select(func.count()).select_from(ProcessedUpdate))
        unfinished = await session.scalar(
            select(func.count()).where(ProcessedUpdate.finished.is_(False))
        )
        uncertain = await session.scalar(
            select(func.count()).where(Notification.last_error == outbox.MAY_HAVE_ARRIVED)
        )
    arrived = twice = out_of_order = asked_twice = recovered = 0
    for user in users:
        said = [
            event["message"]["text"]
            for event in (await shape.client.events(user.id, from_bot=True))["events"]
            if event["kind"] == "message"
        ]
        notices = [text for text in said if text.startswith("Aviso ")]
        arrived += len(set(notices))
        twice += len(notices) - len(set(notices))
        out_of_order += notices != sorted(notices)
        questions = [
            text
            for before, text in zip([None, *said], said, strict=False)
            if not text.startswith(("Aviso ", RECEIVED)) and before != RECEIVED
        ]
        asked_twice += len(questions) - len(set(questions))
        recovered += said.count(RECEIVED)
    bot = shape.emulator.bot()
    return Outcome(
        answers_kept=kept,
        updates=bot.last_update_id,
        updates_handled=handled or 0,
        unfinished_updates=unfinished or 0,
        notices_arrived=arrived,
        notices_twice=twice,
        notices_out_of_order=out_of_order,
        notices_may_have_arrived=uncertain or 0,
        questions_twice=asked_twice,
        recovered=recovered,
        pending_deliveries=len(bot.updates),
    )
