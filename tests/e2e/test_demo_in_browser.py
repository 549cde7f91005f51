"""`incorruptible run` with no bot token: a newcomer joins through the web chat in Chromium."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from playwright.async_api import async_playwright, expect

from tests.emulator.test_web_chat import CHROMIUM_ARGS
from tests.support import processes
from tests.support.network import free_port

pytestmark = pytest.mark.browser


@dataclass
class Demo:
    web_chat: str
    join: str  # the civil-society invitation's /start line
    staff: str  # the code that makes whoever joins a seeded staff member


@pytest.fixture
async def product(tmp_path) -> AsyncIterator[Demo]:
    """The product running as a newcomer starts it, and what its banner offers."""
    port = free_port()
    env = processes.environment(
        data_dir=str(tmp_path), admin_port=str(free_port()), emulator_port=str(port)
    )
    command = await processes.start("run", env=env)
    try:
        join = (await command.wait_for(r"send in the web chat: (/start \S+)"))[1]
        staff = (await command.wait_for(r"create another person and send: /start (\S+)"))[1]
        yield Demo(f"http://127.0.0.1:{port}/", join, staff)
        await command.stop()
    finally:
        command.kill()


async def test_newcomer_joins_and_finds_the_built_in_surveys(product):
    url, join = product.web_chat, product.join
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = await browser.new_page()
        await page.goto(url)
        await page.locator("#first-name").fill("Sofía")
        await page.locator("#create-person").click()
        await page.locator("#text").fill(join)
        await page.locator("#text").press("Enter")
        bot_messages = page.locator(".message:not(.mine)")
        await expect(bot_messages.first.locator(".text")).to_contain_text("(demostración)")
        await bot_messages.last.get_by_role("button", name="Acepto", exact=True).click()
        await expect(bot_messages.last.locator(".text")).to_contain_text("nombre completo")
        await page.locator("#text").fill("Sofía Aguilar")
        await page.locator("#text").press("Enter")
        await expect(bot_messages.last.locator(".text")).to_contain_text("organización")
        await bot_messages.last.get_by_role("button", name="Omitir").click()
        await expect(
            page.locator(".message:not(.mine) .text").filter(has_text="Sofía Aguilar")
        ).to_have_count(1)

        await page.locator("#text").fill("/encuestas")
        await page.locator("#text").press("Enter")
        listing = bot_messages.filter(has_text="pendientes")
        await expect(listing.last.get_by_role("button")).not_to_have_count(0)
        await listing.last.get_by_role("button").first.click()
        await expect(bot_messages.last.get_by_role("button").first).to_be_visible()
        await browser.close()


async def test_an_invitation_link_opens_the_web_chat_ready_to_join_as_staff(product):
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = await browser.new_page()
        await page.goto(f"{product.web_chat}?lang=en&start={product.staff}")
        await expect(page.locator("#invitation")).to_contain_text("You opened an invitation")
        await page.locator("#first-name").fill("Lucía")
        await page.locator("#create-person").click()
        await expect(page.locator("#text")).to_have_value(f"/start {product.staff}")
        await expect(page.locator("#invitation")).to_be_hidden()
        await expect(page.locator("#notice")).to_contain_text("Send this message to join")
        await page.locator("#text").press("Enter")
        await expect(page.locator("#notice")).to_be_hidden()  # sent: nothing left to do
        bot_messages = page.locator(".message:not(.mine)")
        await bot_messages.last.get_by_role("button", name="I agree", exact=True).click()
        await expect(bot_messages.last.locator(".text")).to_contain_text("Lucía Ramírez Soto")
        await page.locator("#text").fill("/tareas")
        await page.locator("#text").press("Enter")
        listing = bot_messages.filter(has_text="Your open tasks")
        await expect(listing.last.get_by_role("button")).not_to_have_count(0)
        await browser.close()
