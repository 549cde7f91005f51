"""A public page's test in Chromium, at a desktop's width and then a phone's, in one locale."""

from __future__ import annotations

from collections.abc import AsyncIterator

from playwright.async_api import Page, async_playwright

from tests.emulator.test_web_chat import CHROMIUM_ARGS
from tests.support.debian_tools import TOOLS

WIDTHS = (1280, 390)


async def at_widths(locale: str) -> AsyncIterator[tuple[int, Page]]:
    """Each width with a fresh page in ``locale``, the Content-Security-Policy bypassed so that
    axe-core can be injected."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=TOOLS["chromium"], args=CHROMIUM_ARGS
        )
        try:
            for width in WIDTHS:
                context = await browser.new_context(
                    locale=locale, bypass_csp=True, viewport={"width": width, "height": 900}
                )
                try:
                    yield width, await context.new_page()
                finally:
                    await context.close()
        finally:
            await browser.close()
