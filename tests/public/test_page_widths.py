"""No public page, nor any coordinators' page, scrolls sideways, on a phone or a desktop, in
either language: on a phone a wide table or timeline scrolls inside its own box, on a desktop it
fits its box whole."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from core.audit.actor import Actor
from core.models import Campaign, Secretariat
from core.people.tokens import issue_token
from core.toolbox.markdown import PUBLIC_PATH

pytestmark = pytest.mark.browser

PHONE, DESKTOP = 390, 1280
# Per page, how much wider than the window the document is, and than its box each scrolling
# box is: a clipped column is as bad as a page that scrolls.
OVERFLOWS = """() => [
  document.documentElement.scrollWidth - window.innerWidth,
  ...[...document.querySelectorAll('.scroll')].map(box => box.scrollWidth - box.clientWidth),
]"""


def pages(world) -> list[str]:
    """Every kind of public page, over the populated site."""
    return [
        "/",
        f"/secretarias/{world.own_slug}",
        f"/secretarias/{world.own_slug}/validar",
        f"/avances/{world.validated_report}",
        "/buenas-practicas",
        f"/buenas-practicas/{world.practice_id}",
        "/datos",
        "/politica-nacional",
        PUBLIC_PATH,
        "/verificar",
        "/no-hay-tal-pagina",
    ]


async def long_names(session_factory) -> None:
    """Secretariats named as long as the real ones, which widen selects, tables and captions."""
    async with session_factory() as session, session.begin():
        await session.execute(
            update(Secretariat).values(
                name="Secretaría Ejecutiva del Sistema Estatal Anticorrupción de "
                + Secretariat.state
            )
        )


async def test_no_public_page_is_wider_than_the_screen(populated, browser, session_factory):
    await long_names(session_factory)
    wider = []
    for locale in ("es-MX", "en-US"):
        for width in (PHONE, DESKTOP):
            context = await browser.new_context(
                locale=locale, viewport={"width": width, "height": 900}
            )
            page = await context.new_page()
            for path in pages(populated.world):
                await page.goto(populated.url + path)
                document, *boxes = await page.evaluate(OVERFLOWS)
                if document > 0 or (width == DESKTOP and max(boxes, default=0) > 0):
                    wider.append((locale, width, path, document, boxes))
            await context.close()
    assert wider == []


async def test_no_coordinators_page_is_wider_than_a_phone(populated, browser, session_factory):
    await long_names(session_factory)
    async with session_factory() as session, session.begin():
        issued = await issue_token(
            session, Actor.system(), role="viewer", secretariat_id=populated.world.own
        )
        campaign = await session.scalar(select(Campaign.id))
    results = f"/secretariats/{populated.world.own}/campaigns/{campaign}/results.html"
    wider = []
    for locale in ("es-MX", "en-US"):
        context = await browser.new_context(locale=locale, viewport={"width": PHONE, "height": 900})
        page = await context.new_page()
        await page.goto(populated.url + "/signin")
        await page.locator("input[name=token]").fill(issued.secret)
        await page.locator("button[type=submit]").click()
        for path in ("/signin", "/campaigns.html", results, results + "?by=sector"):
            await page.goto(populated.url + path)
            document, *_boxes = await page.evaluate(OVERFLOWS)
            if document > 0:
                wider.append((locale, path, document))
        await context.close()
    assert wider == []
