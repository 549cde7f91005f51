"""`incorruptible run` with no bot token: a newcomer joins through the web chat in Chromium."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from playwright.async_api import async_playwright, expect

from tests.emulator.test_web_chat import CHROMIUM_ARGS
from tests.support.network import free_port

pytestmark = pytest.mark.browser


@pytest.fixture
def product(tmp_path) -> Iterator[tuple[str, str]]:
    """The product running as a newcomer starts it; the web chat URL and the join command."""
    port = free_port()
    environment = {
        **os.environ,
        "INCORRUPTIBLE_DATA_DIR": str(tmp_path),
        "INCORRUPTIBLE_DATABASE_URL": "",
        "INCORRUPTIBLE_BOT_TOKEN": "",
        "INCORRUPTIBLE_ADMIN_PORT": str(free_port()),
        "INCORRUPTIBLE_EMULATOR_PORT": str(port),
    }
    environment.pop("INCORRUPTIBLE_BOT_TOKEN")
    process = subprocess.Popen(
        [sys.executable, "-m", "incorruptible", "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    try:
        join = None
        deadline = time.monotonic() + 60
        assert process.stdout is not None
        while join is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                raise AssertionError("incorruptible run stopped before printing the invitation")
            found = re.search(r"send in the web chat: (/start \S+)", line)
            join = found.group(1) if found else None
        assert join, "no invitation printed within a minute"
        yield f"http://127.0.0.1:{port}/", join
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()


async def test_newcomer_joins_and_finds_the_built_in_surveys(product):
    url, join = product
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
        await expect(bot_messages.last.locator(".text")).to_contain_text("sector")
        await bot_messages.last.get_by_role("button", name="1. Organización").click()
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
