"""The web chat in headless Chromium, with a tiny aiogram bot polling the emulator."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, F, html
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)
from playwright.async_api import Browser, async_playwright, expect

from emulator.limits import RateLimits
from emulator.server import Emulator
from tests.support.network import free_port
from tests.support.telegram import emulated

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


def echo_dispatcher() -> Dispatcher:
    """Echoes text over two lines, offers a button and a location keyboard."""
    dispatcher = Dispatcher()

    @dispatcher.message(F.text == "ubicación")
    async def ask_location(message: Message) -> None:
        markup = ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text="Enviar ubicación", request_location=True)]],
            resize_keyboard=True,
        )
        await message.answer("¿Dónde estás?", reply_markup=markup)

    @dispatcher.message(F.text & F.reply_to_message)
    async def answered(message: Message) -> None:
        await message.answer(f"Respondiste a: {html.quote(message.reply_to_message.text)}")

    @dispatcher.message(F.text)
    async def echo(message: Message) -> None:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="Otra vez", callback_data="again")]]
        )
        await message.answer(
            f"<b>Eco:</b>\n{html.quote(message.text)}", parse_mode="HTML", reply_markup=markup
        )

    @dispatcher.callback_query(F.data == "again")
    async def again(query: CallbackQuery) -> None:
        await query.answer("¡Hecho!")
        await query.message.edit_text("Botón recibido")

    @dispatcher.message(F.location)
    async def located(message: Message) -> None:
        await message.answer(f"Ubicación {message.location.latitude:.2f}")

    @dispatcher.message(F.document)
    async def document(message: Message) -> None:
        await message.answer(f"Archivo {message.document.file_name}")

    return dispatcher


@contextlib.asynccontextmanager
async def echoing(bot: Bot) -> AsyncIterator[None]:
    """The echo bot polling until the block ends."""
    dispatcher = echo_dispatcher()
    task = asyncio.create_task(
        dispatcher.start_polling(
            bot, polling_timeout=1, handle_signals=False, close_bot_session=False
        )
    )
    try:
        yield
    finally:
        await dispatcher.stop_polling()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)


@pytest.fixture
async def polling_bot(emulator: Emulator, bot: Bot) -> AsyncIterator[Bot]:
    async with echoing(bot):
        yield bot


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        await browser.close()


async def test_person_chats_with_the_bot_in_the_browser(
    emulator: Emulator, polling_bot: Bot, browser: Browser, client, tmp_path
):
    await client.set_limits(enabled=False)
    page = await browser.new_page()
    await page.goto(emulator.base_url + "/")
    # Spanish by default.
    await expect(page.locator("#create-person")).to_have_text("Crear persona")
    await page.locator("#first-name").fill("Ana")
    await page.locator("#create-person").click()
    await expect(page.locator("#chat-title")).to_have_text("Ana")

    await page.locator("#text").fill("hola <b>")
    await page.locator("#text").press("Enter")
    reply = page.locator(".message:not(.mine)").last
    await expect(reply.locator(".text")).to_have_text("Eco:\nhola <b>")
    # Line breaks are shown as such, formatting as formatting, typed markup as text.
    assert (await reply.locator(".text").inner_text()).splitlines() == ["Eco:", "hola <b>"]
    await expect(reply.locator(".text strong")).to_have_text("Eco:")

    await reply.get_by_role("button", name="Otra vez").click()
    await expect(page.locator("#notice")).to_contain_text("¡Hecho!")
    await expect(page.locator(".message:not(.mine) .text").last).to_have_text("Botón recibido")

    await page.locator("#text").fill("ubicación")
    await page.locator("#send").click()
    await page.locator("#reply-keyboard").get_by_role("button", name="Enviar ubicación").click()
    await page.locator("#send-location").click()
    await expect(page.locator(".message:not(.mine) .text").last).to_have_text("Ubicación 19.43")

    evidence = tmp_path / "informe.txt"
    evidence.write_text("avance del 50 %")
    await page.locator("#file-input").set_input_files(str(evidence))
    await expect(page.locator(".message:not(.mine) .text").last).to_have_text("Archivo informe.txt")
    await page.close()


async def test_a_message_replies_to_one_of_the_bots_as_in_telegram(
    emulator: Emulator, polling_bot: Bot, browser: Browser, client
):
    await client.set_limits(enabled=False)
    page = await browser.new_page()
    await page.goto(emulator.base_url + "/")
    await page.locator("#first-name").fill("Ana")
    await page.locator("#create-person").click()
    await page.locator("#text").fill("hola")
    await page.locator("#text").press("Enter")
    echoed = page.locator(".message:not(.mine)").last
    await expect(echoed.locator(".text")).to_have_text("Eco:\nhola")

    await echoed.get_by_role("button", name="Responder").click()
    await expect(page.locator("#replying")).to_be_visible()
    await expect(page.locator("#replying-text")).to_contain_text("Respondiendo a: Eco:")
    await page.locator("#text").fill("sí")
    await page.locator("#text").press("Enter")
    await expect(page.locator(".message:not(.mine) .text").last).to_have_text(
        "Respondiste a: Eco:\nhola"
    )
    await expect(page.locator(".message.mine .quote").last).to_have_text("Eco:\nhola")
    await expect(page.locator("#replying")).to_be_hidden()
    # The reply is used up: the next message is an ordinary one.
    await page.locator("#text").fill("otra")
    await page.locator("#text").press("Enter")
    await expect(page.locator(".message:not(.mine) .text").last).to_have_text("Eco:\notra")

    # Chosen and then dropped, nothing is replied to.
    await page.locator(".message:not(.mine)").last.get_by_role("button", name="Responder").click()
    await page.locator("#replying-cancel").click()
    await page.locator("#text").fill("fin")
    await page.locator("#text").press("Enter")
    await expect(page.locator(".message:not(.mine) .text").last).to_have_text("Eco:\nfin")
    await page.close()


async def test_interface_in_english_on_request(emulator: Emulator, browser: Browser):
    page = await browser.new_page()
    await page.goto(emulator.base_url + "/?lang=en")
    await expect(page.locator("#create-person")).to_have_text("Create person")
    await page.locator("#create-person").click()
    await expect(page.locator("#person-error")).to_have_text("A first name is required.")
    await page.close()


@pytest.mark.parametrize(
    ("query", "clock"),
    [
        ("", r"^\d{1,2}:\d{2}\s[ap]\.\s?m\.$"),
        ("?lang=en", r"^\d{1,2}:\d{2}\s[AP]M$"),
    ],
    ids=["es", "en"],
)
async def test_a_message_is_timed_in_the_chats_language_not_the_browsers(
    emulator: Emulator, browser: Browser, query: str, clock: str
):
    # A browser set to German (17:57) still shows a Spanish chat's times as in Mexico (5:57 p.m.),
    # as the bot's own messages write them.
    context = await browser.new_context(locale="de-DE", timezone_id="America/Mexico_City")
    page = await context.new_page()
    await page.goto(emulator.base_url + "/" + query)
    await page.locator("#first-name").fill("Ana")
    await page.locator("#create-person").click()
    await page.locator("#text").fill("hola")
    await page.locator("#text").press("Enter")
    await expect(page.locator(".message.mine .meta").last).to_have_text(re.compile(clock))
    await context.close()


async def test_an_open_chat_goes_on_after_the_emulator_restarts(browser: Browser, tmp_path):
    options = {
        "rate_limits": RateLimits(enabled=False),
        "state_dir": tmp_path / "emulator",
        "port": free_port(),
    }
    page = await browser.new_page()
    echoes = page.locator(".message:not(.mine) .text")
    async with emulated(**options) as telegram, echoing(telegram.bot):
        await page.goto(telegram.emulator.base_url + "/")
        await page.locator("#first-name").fill("Ana")
        await page.locator("#create-person").click()
        await page.locator("#text").fill("antes")
        await page.locator("#text").press("Enter")
        await expect(echoes).to_have_text(["Eco:\nantes"])

    async with emulated(**options) as telegram, echoing(telegram.bot):
        # The page, left open, shows the chat again as the emulator holds it, once.
        await page.locator("#text").fill("después")
        await page.locator("#text").press("Enter")
        await expect(echoes).to_have_text(["Eco:\nantes", "Eco:\ndespués"])
        await page.reload()
        await page.get_by_role("button", name="Ana").click()
        await expect(echoes).to_have_text(["Eco:\nantes", "Eco:\ndespués"])
    await page.close()


async def test_a_chat_whose_person_is_gone_after_a_restart_closes(browser: Browser):
    port = free_port()
    page = await browser.new_page()
    async with emulated(port=port) as telegram:
        await page.goto(telegram.emulator.base_url + "/")
        await page.locator("#first-name").fill("Ana")
        await page.locator("#create-person").click()
        await expect(page.locator("#chat-title")).to_have_text("Ana")

    async with emulated(port=port) as telegram:  # kept in memory: a new world, without Ana
        await telegram.people.user("Beto")
        await expect(page.locator("#chat")).to_be_hidden(timeout=10_000)
        await expect(page.locator("#people-list button")).to_have_text(["Beto"])
    await page.close()


async def test_on_a_phone_the_chat_takes_the_screen_and_a_notice_waits_to_be_read(
    emulator: Emulator, polling_bot: Bot, browser: Browser, client, tmp_path
):
    await client.set_limits(enabled=False)
    page = await browser.new_page(viewport={"width": 390, "height": 844})
    await page.goto(emulator.base_url + "/")
    for name in ("Ana", "Beto"):
        await page.locator("#first-name").fill(name)
        await page.locator("#create-person").click()
        await expect(page.locator("#chat-title")).to_have_text(name)
        if name == "Ana":
            await page.get_by_role("button", name="Personas").click()
    # The chat is the whole screen and its text box most of its width.
    await expect(page.locator("#people")).to_be_hidden()
    box = await page.locator("#text").bounding_box()
    assert box is not None and box["width"] >= 390 / 2
    await page.locator("#text").fill("hola")
    await page.locator("#send").click()
    reply = page.locator(".message:not(.mine)").last
    await expect(reply.locator(".text")).to_have_text("Eco:\nhola")
    await page.screenshot(path=tmp_path / "phone.png")

    # What the bot answered to a button stays until it is dismissed...
    await reply.get_by_role("button", name="Otra vez").click()
    await expect(page.locator("#notice")).to_contain_text("¡Hecho!")
    await page.wait_for_timeout(5000)
    await expect(page.locator("#notice")).to_be_visible()
    await page.get_by_role("button", name="Cerrar").click()
    await expect(page.locator("#notice")).to_be_hidden()
    # ...and does not come back when the chat is opened again.
    await page.get_by_role("button", name="Personas").click()
    await expect(page.locator("#people")).to_be_visible()
    await page.locator("#people-list").get_by_role("button", name="Beto").click()
    await expect(page.locator(".message .text").last).to_have_text("Botón recibido")
    await expect(page.locator("#notice")).to_be_hidden()
    await page.close()
