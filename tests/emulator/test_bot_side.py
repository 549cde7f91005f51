"""The real aiogram Bot talks to the emulator over HTTP; people act through the client."""

from __future__ import annotations

import asyncio
import io

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramConflictError
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    KeyboardButton,
    MenuButtonCommands,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from PIL import Image

from emulator.client import EmulatorClient
from emulator.server import Emulator
from tests.emulator.conftest import TOKEN


def png(width: int = 4, height: int = 3) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    buttons = [[InlineKeyboardButton(text=text, callback_data=data)] for text, data in pairs]
    return InlineKeyboardMarkup(inline_keyboard=buttons)


async def test_get_me_answers_the_bot_of_the_token(bot: Bot):
    me = await bot.get_me()
    assert me.id == 4242
    assert me.is_bot
    assert me.username


async def test_message_round_trip(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana", language_code="es")
    sent = await ana.send("/start abc")
    updates = await bot.get_updates(timeout=1)
    assert [u.update_id for u in updates] == [1]
    message = updates[0].message
    assert message.text == "/start abc"
    assert message.from_user.id == ana.id
    assert message.entities[0].type == "bot_command"
    assert (message.entities[0].offset, message.entities[0].length) == (0, 6)
    assert message.message_id == sent["message_id"]

    reply = await bot.send_message(ana.id, "Hola\n<b>Ana</b>", parse_mode="HTML")
    assert reply.text == "Hola\nAna"
    assert reply.entities[0].type == "bold"
    received = await ana.next_message(timeout=2)
    assert received["message_id"] == reply.message_id > message.message_id
    assert received["text"] == "Hola\nAna"

    # Confirming the offset drops delivered updates.
    await ana.send("otra")
    later = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=1)
    assert [u.update_id for u in later] == [2]
    assert [m["text"] for m in await ana.messages()] == ["/start abc", "Hola\nAna", "otra"]


async def test_long_poll_returns_when_an_update_arrives(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    waiting = asyncio.create_task(bot.get_updates(timeout=20))
    await asyncio.sleep(0.1)
    assert not waiting.done()
    await ana.send("hola")
    updates = await asyncio.wait_for(waiting, 5)
    assert updates[0].message.text == "hola"


async def test_a_second_poller_ends_the_first_with_conflict(bot: Bot):
    first = asyncio.create_task(bot.get_updates(timeout=20))
    await asyncio.sleep(0.1)
    second = asyncio.create_task(bot.get_updates(timeout=1))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await asyncio.wait_for(first, 5)
    assert await second == []


async def test_allowed_updates_filter_kinds(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    shown = await bot.send_message(ana.id, "¿Sí?", reply_markup=keyboard(("Sí", "yes")))
    await ana.send("texto")
    await ana.press(shown.model_dump(), "Sí")
    updates = await bot.get_updates(allowed_updates=["callback_query"], timeout=1)
    assert [u.callback_query.data for u in updates] == ["yes"]


async def test_callback_query_and_its_answer(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    shown = await bot.send_message(
        ana.id, "¿Continuar?", reply_markup=keyboard(("Sí", "go:1"), ("No", "stop"))
    )
    message = await ana.next_message()
    assert message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "go:1"
    await ana.press(message, "Sí")
    [update] = await bot.get_updates(timeout=1)
    query = update.callback_query
    assert query.data == "go:1"
    assert query.message.message_id == shown.message_id
    assert query.from_user.id == ana.id

    assert await bot.answer_callback_query(query.id, text="Listo")
    answer = await ana.next_event(kinds=("callback_answer",))
    assert answer["answer"] == {"text": "Listo"}
    assert answer["data"] == "go:1"
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)


async def test_pressing_a_missing_button_is_refused(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    shown = await bot.send_message(ana.id, "x", reply_markup=keyboard(("Sí", "yes")))
    with pytest.raises(Exception, match="no button"):
        await ana.press(shown.message_id, "Quizá")


async def test_reply_keyboard_with_location_button_and_its_removal(
    bot: Bot, client: EmulatorClient
):
    ana = await client.user("Ana")
    markup = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="📍 Ubicación", request_location=True)]],
        resize_keyboard=True,
    )
    await bot.send_message(ana.id, "¿Dónde estás?", reply_markup=markup)
    keyboard_shown = await ana.reply_keyboard()
    assert keyboard_shown["keyboard"][0][0]["request_location"] is True
    await ana.share_location(19.43, -99.13)
    [update] = await bot.get_updates(timeout=1)
    assert update.message.location.latitude == pytest.approx(19.43)
    await bot.send_message(ana.id, "Gracias", reply_markup=ReplyKeyboardRemove())
    assert await ana.reply_keyboard() is None


async def test_reply_to_a_message(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    question = await bot.send_message(ana.id, "¿Tu nombre?")
    await ana.send("Ana", reply_to=question.message_id)
    [update] = await bot.get_updates(timeout=1)
    assert update.message.reply_to_message.message_id == question.message_id
    answer = await bot.send_message(
        ana.id, "Gracias", reply_parameters=ReplyParameters(message_id=update.message.message_id)
    )
    assert answer.reply_to_message.text == "Ana"
    with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
        await bot.send_message(ana.id, "x", reply_parameters=ReplyParameters(message_id=999))


async def test_edit_and_delete_messages(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    shown = await bot.send_message(ana.id, "Paso 1", reply_markup=keyboard(("Ok", "ok")))
    edited = await bot.edit_message_text(
        text="Paso 2",
        chat_id=ana.id,
        message_id=shown.message_id,
        reply_markup=keyboard(("B", "b")),
    )
    assert edited.text == "Paso 2"
    assert edited.edit_date is not None
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            text="Paso 2",
            chat_id=ana.id,
            message_id=shown.message_id,
            reply_markup=keyboard(("B", "b")),
        )
    without_buttons = await bot.edit_message_reply_markup(
        chat_id=ana.id, message_id=shown.message_id
    )
    assert without_buttons.reply_markup is None
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text(text="x", chat_id=ana.id, message_id=999)
    assert await bot.delete_message(ana.id, shown.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(ana.id, shown.message_id)

    kinds = [event["kind"] for event in await ana.events()]
    assert kinds == ["message", "edit", "edit", "delete"]
    assert await ana.messages() == []


async def test_person_edits_their_message(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    sent = await ana.send("hola")
    await ana.edit(sent, "hola de nuevo")
    updates = await bot.get_updates(timeout=1)
    assert updates[1].edited_message.text == "hola de nuevo"
    assert updates[1].edited_message.message_id == sent["message_id"]


async def test_unexpected_kinds_reach_the_bot(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    await ana.send_sticker("🐱")
    await ana.send_contact("+5215512345678")
    sticker, contact = await bot.get_updates(timeout=1)
    assert sticker.message.sticker.emoji == "🐱"
    assert contact.message.contact.phone_number == "+5215512345678"


async def test_chat_action_is_seen_by_the_person(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    assert await bot.send_chat_action(ana.id, "typing")
    event = await ana.next_event()
    assert event == event | {"kind": "chat_action", "action": "typing"}


@pytest.mark.parametrize(
    ("kind", "name", "mime", "field"),
    [
        ("document", "informe.pdf", "application/pdf", "document"),
        ("voice", "nota.ogg", "audio/ogg", "voice"),
        ("video", "video.mp4", "video/mp4", "video"),
        ("photo", "foto.png", "image/png", "photo"),
    ],
)
async def test_person_uploads_and_bot_downloads_identical_bytes(
    bot: Bot, client: EmulatorClient, kind: str, name: str, mime: str, field: str
):
    ana = await client.user("Ana")
    data = png() if kind == "photo" else bytes(range(256)) * 40
    await ana.upload(kind, data, name, mime, caption="evidencia")
    [update] = await bot.get_updates(timeout=1)
    attached = getattr(update.message, field)
    file_id = attached[-1].file_id if field == "photo" else attached.file_id
    assert update.message.caption == "evidencia"
    file = await bot.get_file(file_id)
    assert file.file_size == len(data)
    downloaded = await bot.download_file(file.file_path)
    assert downloaded.read() == data


async def test_bot_sends_files_by_upload_and_by_file_id(bot: Bot, client: EmulatorClient):
    await client.set_limits(enabled=False)
    ana = await client.user("Ana")
    image = png(8, 6)
    first = await bot.send_photo(
        ana.id, BufferedInputFile(image, "foto.png"), caption="<i>Mapa</i>", parse_mode="HTML"
    )
    assert (first.photo[-1].width, first.photo[-1].height) == (8, 6)
    assert first.caption == "Mapa"
    assert first.caption_entities[0].type == "italic"
    again = await bot.send_photo(ana.id, first.photo[-1].file_id)
    assert again.photo[-1].file_unique_id == first.photo[-1].file_unique_id
    assert await client.file(again.photo[-1].file_id) == image

    document = await bot.send_document(ana.id, BufferedInputFile(b"a,b\n1,2\n", "datos.csv"))
    assert document.document.file_name == "datos.csv"
    with pytest.raises(TelegramBadRequest, match="can't use file of type Document as Photo"):
        await bot.send_photo(ana.id, document.document.file_id)
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_document(ana.id, "no-such-file")
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await bot.send_photo(ana.id, BufferedInputFile(b"not an image", "x.png"))

    voice = await bot.send_voice(ana.id, BufferedInputFile(b"OggS....", "nota.ogg"), duration=3)
    assert voice.voice.duration == 3
    video = await bot.send_video(ana.id, BufferedInputFile(b"\x00\x00video", "v.mp4"))
    assert video.video.file_name == "v.mp4"

    album = await bot.send_media_group(
        ana.id,
        [
            InputMediaPhoto(media=BufferedInputFile(image, "a.png"), caption="uno"),
            InputMediaPhoto(media=first.photo[-1].file_id),
        ],
    )
    assert len(album) == 2
    assert album[0].media_group_id == album[1].media_group_id
    assert album[0].caption == "uno"
    with pytest.raises(TelegramBadRequest, match="2-10 items"):
        await bot.send_media_group(ana.id, [InputMediaDocument(media=document.document.file_id)])
    received = [m for m in await ana.messages() if m["from"]["is_bot"]]
    assert len(received) == 7


async def test_commands_per_language_and_scope(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    spanish = [BotCommand(command="start", description="Comenzar")]
    english = [BotCommand(command="start", description="Start")]
    personal = [BotCommand(command="tareas", description="Mis tareas")]
    assert await bot.set_my_commands(spanish, language_code="es")
    assert await bot.set_my_commands(english)
    assert await bot.set_my_commands(personal, scope=BotCommandScopeChat(chat_id=ana.id))
    assert [c.description for c in await bot.get_my_commands(language_code="es")] == ["Comenzar"]
    assert [c.description for c in await bot.get_my_commands()] == ["Start"]
    in_chat = await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=ana.id))
    assert [c.command for c in in_chat] == ["tareas"]
    assert await bot.delete_my_commands(language_code="es")
    assert await bot.get_my_commands(language_code="es") == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Mal Comando", description="x")])
    assert await bot.set_chat_menu_button(chat_id=ana.id, menu_button=MenuButtonCommands())
    assert (await bot.get_chat_menu_button(chat_id=ana.id)).type == "commands"


async def test_log_out_and_close_are_answered(bot: Bot):
    assert await bot.log_out()
    assert await bot.close()


async def test_redelivery_sends_each_update_twice(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    await client.set_redelivery(True)
    await ana.send("una vez")
    updates = await bot.get_updates(timeout=1)
    assert [u.update_id for u in updates] == [1, 1]
    await client.set_redelivery(False)


async def test_group_chat(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana")
    luis = await client.user("Luis")
    group = await client.group("Comité", [ana, luis])
    await luis.send("hola grupo", chat_id=group["id"])
    [update] = await bot.get_updates(timeout=1)
    assert update.message.chat.type == "group"
    assert update.message.chat.id == group["id"] < 0
    sent = await bot.send_message(group["id"], "Hola a todos")
    assert sent.chat.title == "Comité"
    seen = await ana.next_message(chat_id=group["id"])
    assert seen["text"] == "Hola a todos"
    assert [m["text"] for m in await luis.messages(chat_id=group["id"])] == [
        "hola grupo",
        "Hola a todos",
    ]


async def test_several_bots_share_people():
    other = "777:second-bot"
    async with (
        Emulator(tokens=[TOKEN, other]) as emulator,
        EmulatorClient(emulator.base_url, bot=777) as client,
    ):
        ana = await client.user("Ana")
        await ana.send("hola segundo")
        from tests.emulator.conftest import aiogram_bot

        first, second = aiogram_bot(emulator), aiogram_bot(emulator, other)
        try:
            assert await first.get_updates(timeout=0) == []
            [update] = await second.get_updates(timeout=0)
            assert update.message.text == "hola segundo"
        finally:
            await first.session.close()
            await second.session.close()


async def test_profile_chat_and_membership(bot: Bot, client: EmulatorClient):
    ana = await client.user("Ana", username="ana_l")
    assert await bot.set_my_description("Planes y avances", language_code="es")
    assert (await bot.get_my_description(language_code="es")).description == "Planes y avances"
    assert (await bot.get_my_description()).description == ""
    assert await bot.set_my_name("Incorruptible MX")
    assert (await bot.get_my_name(language_code="en")).name == "Incorruptible MX"
    chat = await bot.get_chat(ana.id)
    assert (chat.type, chat.username) == ("private", "ana_l")
    assert (await bot.get_chat("@ana_l")).id == ana.id
    member = await bot.get_chat_member(ana.id, ana.id)
    assert member.status == "member"
    luis = await client.user("Luis")
    group = await client.group("Comité", [ana])
    assert (await bot.get_chat_member(group["id"], luis.id)).status == "left"


async def test_location_and_caption_edits(bot: Bot, client: EmulatorClient):
    await client.set_limits(enabled=False)
    ana = await client.user("Ana")
    place = await bot.send_location(ana.id, latitude=20.67, longitude=-103.35)
    assert place.location.latitude == pytest.approx(20.67)
    document = await bot.send_document(
        ana.id, BufferedInputFile(b"x", "a.txt"), caption="Versión 1"
    )
    edited = await bot.edit_message_caption(
        chat_id=ana.id,
        message_id=document.message_id,
        caption="<b>Versión 2</b>",
        parse_mode="HTML",
    )
    assert edited.caption == "Versión 2"
    assert edited.caption_entities[0].type == "bold"
    text = await bot.send_message(ana.id, "texto")
    with pytest.raises(TelegramBadRequest, match="there is no caption"):
        await bot.edit_message_caption(chat_id=ana.id, message_id=text.message_id, caption="x")
    with pytest.raises(TelegramBadRequest, match="there is no text"):
        await bot.edit_message_text(text="x", chat_id=ana.id, message_id=document.message_id)
    sent = await ana.send("mío")
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text(text="x", chat_id=ana.id, message_id=sent["message_id"])


async def test_forward_and_copy_evidence(bot: Bot, client: EmulatorClient):
    await client.set_limits(enabled=False)
    ana = await client.user("Ana")
    coordinator = await client.user("Coordinadora")
    evidence = await ana.upload_document(b"%PDF-1.4", "acta.pdf", "application/pdf", caption="Acta")
    forwarded = await bot.forward_message(coordinator.id, ana.id, evidence["message_id"])
    assert forwarded.document.file_id == evidence["document"]["file_id"]
    assert forwarded.forward_origin.sender_user.id == ana.id
    copied = await bot.copy_message(
        coordinator.id, ana.id, evidence["message_id"], caption="<b>Revisar</b>", parse_mode="HTML"
    )
    received = await coordinator.messages()
    assert received[-1]["message_id"] == copied.message_id
    assert received[-1]["caption"] == "Revisar"
    assert received[-1]["document"]["file_name"] == "acta.pdf"
    with pytest.raises(TelegramBadRequest, match="message to forward not found"):
        await bot.forward_message(coordinator.id, ana.id, 999)
