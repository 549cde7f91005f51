"""The bot's username, for invitation deep links: from the settings, else asked with getMe."""

from __future__ import annotations

from aiogram import Bot

from bot.dispatcher import create_bot
from core.infra.settings import Settings


async def username(settings: Settings, bot: Bot | None = None) -> str:
    if settings.bot_username:
        return settings.bot_username
    if bot is not None:
        me = await bot.get_me()
        return me.username or str(me.id)
    own = create_bot(settings)
    try:
        me = await own.get_me()
    finally:
        await own.session.close()
    return me.username or str(me.id)
