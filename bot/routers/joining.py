"""``/start <code>``: joining by invitation, through the joining conversation.

A valid code starts the conversation (greeting naming the secretariat, privacy notice and
consent, name, and for civil society sector and organisation; for a person who already exists,
only what their record lacks); its completion creates the person, or links the account to the
existing one (see ``bot.conversation``). A used, expired or unknown code, or one meant for
someone else, gets a clear answer.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import CommandObject
from aiogram.types import Message

from bot import menu
from bot.conversation import Turn
from bot.filters import CommandStart
from bot.translation import _, language_of
from core.chat import responses
from core.models import Secretariat
from core.people import invitations, joining


def create_router() -> Router:
    router = Router(name="joining")
    router.message.register(start, CommandStart())
    return router


async def start(message: Message, command: CommandObject, turn: Turn) -> None:
    user = message.from_user
    assert user is not None
    session, person, under_way = turn.session, turn.person, turn.under_way
    code = (command.args or "").strip()
    if person is not None:
        if code:
            await invitations.ensure_not_bound_to_another(session, code, person)
            await message.answer(_("You are already registered; no invitation is needed."))
        if menu.TASKS in menu.offered(person):
            hello = _(
                "Hello again, {name}! Your tasks are in /tareas, your pending surveys in "
                "/encuestas and help in /ayuda.",
                name=person.display_name,
            )
        else:
            hello = _(
                "Hello again, {name}! Your pending surveys are in /encuestas; help is in /ayuda.",
                name=person.display_name,
            )
        await message.answer(hello)
        return
    if not code:
        if under_way is not None:
            await turn.ask(message, under_way)
            return
        await message.answer(
            _(
                "Hello! This bot is used by invitation of your anticorruption secretariat. "
                "Open the invitation link you received, or ask your coordinator for one."
            )
        )
        return
    invitation = await invitations.usable_invitation(session, code)
    definition_id = await joining.conversation_for(session, invitation)
    language = language_of(None, user)
    if under_way is not None:
        await session.delete(under_way)  # a new code replaces a joining left halfway
    response = await responses.start(
        session,
        turn.catalog,
        definition_id,
        language,
        secretariat_id=invitation.secretariat_id,
        telegram_id=user.id,
        invitation_id=invitation.id,
    )
    secretariat = await session.get(Secretariat, invitation.secretariat_id)
    assert secretariat is not None
    await turn.reply(
        message,
        _(
            "Hello! {secretariat} invites you to take part, through this bot, in planning and "
            "following its anticorruption work.",
            secretariat=secretariat.name,
        ),
    )
    await turn.ask(message, response)
