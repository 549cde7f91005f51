"""The bot holds the response model of each Bot API method it calls, so none is rebuilt."""

import gc

from aiogram.methods import Response
from aiogram.types import Message

from bot.response_models import KeepResponseModels
from tests.support.telegram import emulated


async def test_each_response_model_used_is_kept_and_reused():
    keeper = KeepResponseModels()
    async with emulated() as telegram:
        telegram.bot.session.middleware(keeper)
        ana = await telegram.people.user("Ana")
        sent = await telegram.bot.send_message(ana.id, "Hola")
        await telegram.bot.send_message(ana.id, "Otra vez")
    gc.collect()
    assert sent.text == "Hola"
    assert list(keeper.kept) == [Message]
    assert keeper.kept[Message] is Response[Message]
