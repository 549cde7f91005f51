"""/datos in Chromium: readable in both languages on a phone and a desktop, with no serious
accessibility fault, and the choice of a secretariat and of a national priority works without
script."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.public.test_verify_page import LOCALES, SIZES
from tests.support.axe import severe_violations

pytestmark = pytest.mark.browser


async def test_the_open_data_page_reads_well_in_both_languages_and_sizes(populated, browser):
    for language, locale in LOCALES.items():
        for size, viewport in SIZES.items():
            context = await browser.new_context(locale=locale, viewport=viewport, bypass_csp=True)
            page = await context.new_page()
            await page.goto(populated.url + "/datos")
            await page.locator("details").first.click()
            assert await severe_violations(page) == []
            await page.screenshot(path=f"/tmp/datos-{language}-{size}.png", full_page=True)
            await context.close()


async def test_choosing_a_secretariat_and_a_priority_cuts_the_links_without_script(
    populated, browser
):
    context = await browser.new_context(locale="en-US", java_script_enabled=False)
    page = await context.new_page()
    await page.goto(populated.url + "/datos?lang=en")

    await page.select_option("#secretaria", "sesea-zac")
    await page.get_by_role("button", name="Show").click()

    tasks = page.get_by_role("link", name="CSV · Tasks")
    await expect(tasks).to_have_attribute("href", "/datos/tareas.csv?secretaria=sesea-zac&lang=en")
    await page.select_option("select[name=prioridad]", "12")
    await page.get_by_role("button", name="Show").click()
    await expect(tasks).to_have_attribute(
        "href", "/datos/tareas.csv?secretaria=sesea-zac&prioridad=12&lang=en"
    )
    await context.close()
