"""Requests are checked like Telegram checks them, with Telegram's answers."""

from __future__ import annotations

import json

import aiohttp
import httpx
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramUnauthorizedError
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from emulator.client import EmulatorClient
from emulator.server import Emulator
from tests.emulator.conftest import TOKEN, aiogram_bot


@pytest.fixture
async def http(emulator: Emulator):
    async with httpx.AsyncClient(base_url=f"{emulator.base_url}/bot{TOKEN}") as http:
        yield http


@pytest.fixture
async def ana(client: EmulatorClient):
    return await client.user("Ana")


async def test_wrong_token_is_unauthorized(emulator: Emulator):
    other = aiogram_bot(emulator, "999:wrong")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await other.get_me()
    finally:
        await other.session.close()


async def test_unknown_method_is_not_found(http: httpx.AsyncClient):
    response = await http.post("/sendTelepathy", json={})
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_method_names_ignore_case_and_get_works(http: httpx.AsyncClient):
    response = await http.get("/getme")
    assert response.json()["result"]["is_bot"] is True


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"text": "hola"}, "Bad Request: chat_id is empty"),
        ({"chat_id": "{ana}"}, "Bad Request: message text is empty"),
        (
            {"chat_id": "{ana}", "text": "hola", "colour": "red"},
            'Bad Request: unknown parameter "colour"',
        ),
        (
            {"chat_id": "{ana}", "text": "hola", "disable_notification": "tal vez"},
            'Bad Request: parameter "disable_notification" must be of type Boolean',
        ),
        (
            {"chat_id": "{ana}", "text": "hola", "reply_markup": "[1]"},
            'Bad Request: parameter "reply_markup" must be of type InlineKeyboardMarkup or '
            "ReplyKeyboardMarkup or ReplyKeyboardRemove or ForceReply",
        ),
        ({"chat_id": 5, "text": "hola"}, "Bad Request: chat not found"),
        ({"chat_id": "{ana}", "text": "x" * 4097}, "Bad Request: message is too long"),
        (
            {"chat_id": "{ana}", "text": "<b></b>", "parse_mode": "HTML"},
            "Bad Request: message text is empty",
        ),
        (
            {"chat_id": "{ana}", "text": "<b>hola", "parse_mode": "HTML"},
            "Bad Request: can't parse entities: "
            'Can\'t find end tag corresponding to start tag "b"',
        ),
        (
            {"chat_id": "{ana}", "text": "hola <x>", "parse_mode": "HTML"},
            'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 5',
        ),
        (
            {"chat_id": "{ana}", "text": "1.5", "parse_mode": "MarkdownV2"},
            "Bad Request: can't parse entities: Character '.' is reserved and must be escaped "
            "with the preceding '\\'",
        ),
    ],
)
async def test_send_message_refusals(http: httpx.AsyncClient, ana, params, description):
    params = {k: ana.id if v == "{ana}" else v for k, v in params.items()}
    # The same verdict for a JSON body and a form body.
    as_json = await http.post("/sendMessage", json=params)
    as_form = await http.post("/sendMessage", data={k: str(v) for k, v in params.items()})
    for response in (as_json, as_form):
        assert response.status_code == 400
        assert response.json() == {"ok": False, "error_code": 400, "description": description}


async def test_text_limit_counts_after_entity_parsing(http: httpx.AsyncClient, ana):
    text = "<b>" + "x" * 4096 + "</b>"
    response = await http.post(
        "/sendMessage", json={"chat_id": ana.id, "text": text, "parse_mode": "HTML"}
    )
    assert response.json()["ok"] is True
    assert response.json()["result"]["entities"] == [{"type": "bold", "offset": 0, "length": 4096}]


async def test_query_string_and_form_values_are_converted(http: httpx.AsyncClient, ana):
    response = await http.get("/sendMessage", params={"chat_id": str(ana.id), "text": "hola"})
    assert response.json()["result"]["chat"]["id"] == ana.id
    markup = {"inline_keyboard": [[{"text": "Sí", "callback_data": "y"}]]}
    response = await http.post(
        "/sendMessage",
        data={"chat_id": str(ana.id), "text": "¿?", "reply_markup": json.dumps(markup)},
    )
    assert response.json()["result"]["reply_markup"] == markup


async def test_keyboard_limits(bot: Bot, ana):
    def markup(rows: int, per_row: int, data: str = "d") -> InlineKeyboardMarkup:
        row = [InlineKeyboardButton(text="b", callback_data=data) for _ in range(per_row)]
        return InlineKeyboardMarkup(inline_keyboard=[row] * rows)

    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(ana.id, "x", reply_markup=markup(1, 1, "é" * 33))
    with pytest.raises(TelegramBadRequest, match="reply markup is too long"):
        await bot.send_message(ana.id, "x", reply_markup=markup(1, 9))
    with pytest.raises(TelegramBadRequest, match="reply markup is too long"):
        await bot.send_message(ana.id, "x", reply_markup=markup(13, 8))
    with pytest.raises(TelegramBadRequest, match="Text buttons are unallowed"):
        await bot.send_message(
            ana.id,
            "x",
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="b")]]),
        )
    ok = await bot.send_message(ana.id, "x", reply_markup=markup(1, 1, "é" * 32))
    assert ok.reply_markup.inline_keyboard[0][0].callback_data == "é" * 32


async def test_caption_limit(http: httpx.AsyncClient, ana):
    from tests.emulator.test_bot_side import png

    response = await http.post(
        "/sendPhoto",
        data={"chat_id": str(ana.id), "caption": "c" * 1025},
        files={"photo": ("p.png", png(), "image/png")},
    )
    assert response.json()["description"] == "Bad Request: message caption is too long"


async def test_method_the_emulator_lacks_is_refused_clearly(bot: Bot):
    with pytest.raises(TelegramBadRequest, match="not supported by the emulator"):
        await bot.pin_chat_message(1, 1)


async def test_wrong_nested_type(http: httpx.AsyncClient, ana):
    response = await http.post("/setMyCommands", json={"commands": [{"command": "start"}]})
    assert (
        response.json()["description"]
        == 'Bad Request: field "description" of BotCommand is required'
    )


async def test_unknown_file_and_bad_json(http: httpx.AsyncClient, bot: Bot):
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("nothing")
    response = await http.post(
        "/sendMessage", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["description"] == "Bad Request: can't parse JSON object"
    with pytest.raises(aiohttp.ClientResponseError) as refused:
        await bot.download_file("documents/none.pdf")
    assert refused.value.status == 404


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"sticker": True}, "sticker must be a JSON object"),
        ({"sticker": {"emoji": 7}}, "sticker.emoji must be a string"),
        ({"text": ["hola"]}, "text must be a string"),
        ({"location": {"latitude": 21.9}}, "location.longitude must be a number from -180 to 180"),
        ({"location": {"latitude": "norte", "longitude": 0}},
         "location.latitude must be a number from -90 to 90"),
        ({"contact": "555"}, "contact must be a JSON object"),
        ({"contact": {"user_id": "yo"}}, "contact.user_id must be an integer"),
    ],
)  # fmt: skip
async def test_a_message_the_control_api_cannot_send_is_refused_with_the_reason(
    emulator: Emulator, ana, fields, error
):
    async with httpx.AsyncClient(base_url=emulator.base_url) as http:
        response = await http.post("/control/messages", json={"user_id": ana.id, **fields})
    assert response.status_code == 400, response.text
    assert response.json() == {"error": error}
