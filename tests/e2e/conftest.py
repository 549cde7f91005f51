"""The bot running for real: aiogram polling the emulator over HTTP, on SQLite and PostgreSQL.

``chat`` gives a harness to start (and stop, and start again) the bot, make invitations and
act as people through the emulator's control API.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import httpx
import pytest
from sqlalchemy import select

from admin.app import create_app
from bot.dispatcher import create_bot
from bot.outbox import OutboxWorker
from bot.runner import poll, prepare
from bot.worker import ReminderScheduler
from conversations.definition import Definition
from core.chat import campaigns
from core.chat.definitions import DefinitionCatalog
from core.infra.db import SessionFactory
from core.infra.settings import Settings, load_settings
from core.models import Person, ResponseSession, Role, Sector, TokenRole, utcnow
from core.people import invitations, tokens
from emulator.client import EmulatorClient, SimulatedUser
from emulator.limits import RateLimits
from emulator.server import Emulator
from tests.e2e.definitions import EVERY_TYPE, RANKING, SHORT, WITH_OTHER, WITH_REPEATS
from tests.support import factories
from tests.support.network import free_port

if TYPE_CHECKING:
    from tests.support.office import Office

TOKEN = "777000:e2e-test-token"


def buttons(message: dict) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]


class Chat:
    """One emulator, one database, and the bot that can be started and stopped between them."""

    def __init__(
        self,
        emulator: Emulator,
        client: EmulatorClient,
        session_factory: SessionFactory,
        settings: Settings,
        catalog: DefinitionCatalog,
    ) -> None:
        self.emulator = emulator
        self.client = client
        self.session_factory = session_factory
        self.settings = settings
        self.catalog = catalog
        self.secretariat_id: int | None = None

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        bot, dispatcher = prepare(
            self.settings, self.session_factory, create_bot(self.settings), self.catalog
        )
        task = asyncio.create_task(poll(bot, dispatcher))
        try:
            yield
        finally:
            with contextlib.suppress(RuntimeError):  # already stopped
                await dispatcher.stop_polling()
            await asyncio.wait_for(task, 30)

    async def secretariat(self) -> int:
        if self.secretariat_id is None:
            async with self.session_factory() as session, session.begin():
                secretariat = await factories.secretariat(session)
                self.secretariat_id = secretariat.id
        return self.secretariat_id

    async def invitation(
        self,
        role: Role = Role.STAFF,
        sector: Sector | None = None,
        ttl_days: int = 14,
        person_id: int | None = None,
        secretariat_id: int | None = None,
    ) -> str:
        """A new invitation's code (to the chat's secretariat unless another is named); bound
        to ``person_id``, it takes that person's role."""
        secretariat_id = secretariat_id or await self.secretariat()
        async with self.session_factory() as session, session.begin():
            issued = await invitations.create_invitation(
                session,
                secretariat_id,
                "test",
                role=role if person_id is None else None,
                sector=sector,
                ttl_days=ttl_days,
                person_id=person_id,
            )
            return issued.code

    async def expire(self, code: str) -> None:
        async with self.session_factory() as session, session.begin():
            invitation = await invitations.usable_invitation(session, code)
            invitation.expires_at = utcnow() - timedelta(minutes=1)

    async def launch(self, definition_id: str = "e2e_every_type", **audience) -> int:
        """A campaign of the definition for the audience (everyone by default)."""
        secretariat_id = await self.secretariat()
        async with self.session_factory() as session, session.begin():
            campaign, _ = await campaigns.start_now(
                session,
                secretariat_id,
                "test",
                definition=await self.catalog.find(session, secretariat_id, definition_id),
                settings=campaigns.Settings(audience=campaigns.Audience(**audience)),
                reach_now=False,
            )
            return campaign.id

    async def answer_invitation(self, user: SimulatedUser, definition_id: str) -> dict:
        """Launch a campaign of the definition, start it from its invitation; its first question."""
        await self.launch(definition_id)
        invitation = await user.next_message()  # sent by the outbox worker
        await user.press(invitation, "Empezar")
        return await user.next_message()

    async def start_survey(self, user: SimulatedUser) -> dict:
        """Open /encuestas, start the first listed survey; its first question."""
        await user.send("/encuestas")
        listing = await user.next_message()
        await user.press(listing, buttons(listing)[0])
        return await user.next_message()

    def forge_press(self, user: SimulatedUser, message: dict, data: str) -> None:
        """A callback query with any data, as a modified client could send it."""
        world = self.emulator.world
        query = world.new_callback(user.id, message["message_id"], data)
        payload = {
            "id": query.id,
            "from": user.data,
            "message": {key: value for key, value in message.items() if value is not None},
            "chat_instance": "forged",
            "data": data,
        }
        world.push_update(self.emulator.bot(), "callback_query", payload)

    async def response(self, user: SimulatedUser) -> ResponseSession | None:
        """The user's latest response session."""
        async with self.session_factory() as session:
            person = await session.scalar(select(Person).where(Person.telegram_id == user.id))
            return await session.scalar(
                select(ResponseSession)
                .where(ResponseSession.person_id == person.id)
                .order_by(ResponseSession.id.desc())
                .limit(1)
            )

    async def bearer(self, role: TokenRole, secretariat_id: int | None = None) -> dict[str, str]:
        """Headers with a new admin API token of ``role`` (of the chat's secretariat unless
        another is named; a national admin's of none)."""
        if role != TokenRole.NATIONAL_ADMIN:
            secretariat_id = secretariat_id or await self.secretariat()
        async with self.session_factory() as session, session.begin():
            issued = await tokens.issue_token(
                session, "test", role=role, secretariat_id=secretariat_id
            )
        return {"Authorization": f"Bearer {issued.secret}"}

    @contextlib.asynccontextmanager
    async def admin_api(self) -> AsyncIterator[httpx.AsyncClient]:
        """A client of the admin API on the chat's database, with the chat's settings."""
        settings = self.settings.model_copy(update={"bot_username": "incorruptible_test_bot"})
        app = create_app(settings, self.session_factory, catalog=self.catalog)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://admin.test") as client:
            yield client

    async def person(self, user: SimulatedUser) -> Person | None:
        async with self.session_factory() as session:
            return await session.scalar(select(Person).where(Person.telegram_id == user.id))

    async def join(self, name: str = "Ana", language: str = "es", **invitation) -> SimulatedUser:
        """A person who joined through the whole joining conversation."""
        user = await self.client.user(name, language_code=language)
        code = await self.invitation(**invitation)
        await user.send(f"/start {code}")
        await user.next_message()  # greeting
        consent = await user.next_message()
        await user.press(consent, consent["reply_markup"]["inline_keyboard"][0][0]["text"])
        await user.next_message()  # name
        await user.send(f"{name} Pérez")
        if invitation.get("role") == Role.CIVIL_SOCIETY:
            await user.next_message()  # organisation
            await user.send("Observatorio Ciudadano")
        await user.next_message()  # registered
        await user.next_message()  # welcome
        return user

    async def blocked_while_pressing(self) -> tuple[SimulatedUser, Person | None]:
        """Ana joins and lists her surveys, blocks the bot, then presses a button it left: the
        question cannot reach her. Ana, and her person once the bot found out (or ten seconds
        on). Inside ``running()``, with a campaign to launch."""
        ana = await self.join("Ana")
        await self.launch()
        await ana.next_message()
        await ana.send("/encuestas")
        listing = await ana.next_message()
        await self.client.block(ana.id)
        await ana.press(listing, buttons(listing)[0])
        for _ in range(200):
            person = await self.person(ana)
            if person is not None and not person.reachable:
                break
            await asyncio.sleep(0.05)
        return ana, person


class Clock:
    """A clock that stands still until moved."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def work(chat: Chat, clock: Clock) -> int:
    """One round of the worker at the clock's time: reminders written, the outbox sent.

    Only where the bot is not running: a running bot sends the outbox on the real clock.
    """
    await ReminderScheduler(
        chat.session_factory, chat.settings, catalog=chat.catalog, clock=clock
    ).run_once()
    return await send_outbox(chat, clock)


async def send_outbox(chat: Chat, clock: Callable[[], datetime] = utcnow) -> int:
    """One round of the outbox worker at the clock's time (where the bot is not running)."""
    bot = create_bot(chat.settings)
    try:
        return await OutboxWorker(bot, chat.session_factory, chat.settings, clock=clock).run_once()
    finally:
        await bot.session.close()


@pytest.fixture
def catalog() -> DefinitionCatalog:
    return DefinitionCatalog(
        Settings.model_fields["privacy_notice_version"].default,
        extra=[
            Definition.model_validate(d)
            for d in (EVERY_TYPE, SHORT, RANKING, WITH_OTHER, WITH_REPEATS)
        ],
    )


@pytest.fixture
async def chat(session_factory, db_url, catalog) -> AsyncIterator[Chat]:
    settings = load_settings(
        bot_token=TOKEN, telegram_api_url="http://127.0.0.1:1", database_url=db_url
    )
    limits = RateLimits(enabled=False)
    async with Emulator(tokens=[TOKEN], rate_limits=limits) as em:
        settings = settings.model_copy(update={"telegram_api_url": em.base_url})
        async with EmulatorClient(em.base_url) as client:
            yield Chat(em, client, session_factory, settings, catalog)


@pytest.fixture
async def saved_chat(
    session_factory, db_url, catalog, tmp_path
) -> AsyncIterator[Callable[[], contextlib.AbstractAsyncContextManager[Chat]]]:
    """Opens a chat whose emulator keeps its world in a folder, at the same address each time:
    opening it again after it closed is restarting the emulator. The people's client stays."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    settings = load_settings(bot_token=TOKEN, telegram_api_url=base_url, database_url=db_url)
    options = {"rate_limits": RateLimits(enabled=False), "state_dir": tmp_path / "emulator"}
    async with EmulatorClient(base_url) as client:

        @contextlib.asynccontextmanager
        async def open_chat() -> AsyncIterator[Chat]:
            async with Emulator(tokens=[TOKEN], port=port, **options) as em:
                yield Chat(em, client, session_factory, settings, catalog)

        yield open_chat


@pytest.fixture
async def office(chat: Chat, tmp_path) -> Office:
    """Ana and Beto (staff) and Carla (coordinator), registered; a plan with their tasks."""
    from tests.support.office import open_office  # it builds on this module's Chat

    chat.settings = chat.settings.model_copy(update={"data_dir": tmp_path})
    return await open_office(chat)
