"""/docs and /redoc render in Chromium with every request beyond the loopback refused."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from playwright.async_api import Page, Request, Route, async_playwright, expect

from admin.app import create_app
from tests.admin.server import serving
from tests.emulator.test_web_chat import CHROMIUM_ARGS

pytestmark = pytest.mark.browser
# Both pages lay out the whole OpenAPI document in the browser before showing it: seconds on a
# busy machine.
RENDERED = 30_000


@pytest.fixture
def base_url(settings) -> Iterator[str]:
    with serving(create_app(settings)) as url:
        yield url


@pytest.fixture
async def offline_page(base_url) -> AsyncIterator[tuple[Page, list[Request]]]:
    """A page that may reach only the admin API; the requests it tried elsewhere."""
    refused: list[Request] = []

    async def only_loopback(route: Route) -> None:
        if route.request.url.startswith(f"{base_url}/"):
            await route.continue_()
        else:
            refused.append(route.request)
            await route.abort("internetdisconnected")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = await browser.new_page()
        await page.route("**/*", only_loopback)
        yield page, refused
        await browser.close()


async def test_the_openapi_document_stays_where_it_was(base_url):
    async with httpx.AsyncClient(base_url=base_url) as client:
        document = (await client.get("/openapi.json")).json()
    assert "/secretariats/{secretariat_id}/invitations" in document["paths"]


async def test_swagger_ui_lists_the_operations_with_no_internet(base_url, offline_page):
    page, refused = offline_page
    await page.goto(f"{base_url}/docs")
    await expect(page.get_by_text("List invitations", exact=True)).to_be_visible(timeout=RENDERED)
    await expect(page.get_by_text("Invite someone", exact=True)).to_be_visible()
    assert [request.url for request in refused] == []


async def test_redoc_lists_the_operations_with_no_internet(base_url, offline_page):
    page, refused = offline_page
    await page.goto(f"{base_url}/redoc")
    await expect(page.get_by_role("heading", name="List invitations")).to_be_visible(
        timeout=RENDERED
    )
    await expect(page.get_by_role("heading", name="Invite someone")).to_be_visible()
    # Scripts, styles, fonts and images all come from the admin API: not even ReDoc's own
    # "API docs by Redocly" logo is asked of its CDN.
    assert [request.url for request in refused] == []
