"""The public page of an advance, over HTTP on both databases: what it shows, the evidence it
serves (cleaned copies, and only while marked public), the comments it shows (only with their
author's consent), the people it never names, and its 404 page in both languages."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.async_api import async_playwright, expect

from tests.emulator.test_web_chat import CHROMIUM_ARGS
from tests.public.advance_world import GPS_IFD, PRIVATE_COMMENT, PUBLISHED_COMMENT, world
from tests.support.axe import severe_violations

__all__ = ["world"]


async def page(world, language: str = "es") -> str:
    response = await world.http.get(f"/avances/{world.report_id}", params={"lang": language})
    assert response.status_code == 200
    return response.text


async def test_the_page_shows_the_task_the_report_and_the_three_statuses(world):
    html = await page(world)
    assert f"Avance de la tarea {world.task_code}" in html and "Instalar el comité" in html
    assert "Obj" in html and "Act" in html  # the line of action and the activity
    assert 'href="/secretarias/sesea-avance?lang=es"' in html
    assert "Se instaló el comité con siete integrantes." in html  # the staff's note
    assert "Personal de la secretaría" in html  # the reporter, by role
    assert "Lo que reporta la secretaría" in html and "100%" in html
    assert "Lo que validó la sociedad civil" in html and "Validado por la sociedad civil" in html
    assert "Calendario" in html
    english = await page(world, "en")
    assert "What civil society validated" in english and "Validated by civil society" in english


async def test_votes_appear_by_sector_and_pseudonym_and_a_comment_only_with_consent(world):
    html = await page(world)
    assert html.count("<code>") >= 3
    assert "Organización de la sociedad civil" in html and "Academia" in html
    assert "Confirma" in html and "No confirma" in html
    assert PUBLISHED_COMMENT in html
    assert PRIVATE_COMMENT not in html
    pseudonyms = set(re.findall(r"</span> <code>([0-9a-f]{20})</code>", html))
    assert len(pseudonyms) == 3


async def test_no_person_is_named_on_the_page_in_either_language(world):
    for kind in ("photo", "document", "link"):
        assert (await world.publish(kind)).status_code == 200
    for language in ("es", "en"):
        html = await page(world, language)
        assert [value for value in world.identifiers if value in html] == []


async def test_evidence_not_marked_public_is_neither_listed_nor_served(world):
    html = await page(world)
    assert world.evidence_url("photo") not in html
    assert "Texto interno de la secretaría" not in html
    for kind in world.evidence:
        response = await world.http.get(world.evidence_url(kind))
        assert response.status_code == 404
        assert "No hay evidencia pública en esta dirección." in response.text


async def test_a_public_photo_is_served_without_its_exif_and_stops_when_unmarked(world):
    marked = await world.publish("photo")
    assert marked.status_code == 200 and marked.json()["public"] is True
    html = await page(world)
    assert world.evidence_url("photo") in html and "La sesión del comité" in html
    served = await world.http.get(world.evidence_url("photo"))
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["content-disposition"].startswith("inline")
    assert served.headers["x-content-type-options"] == "nosniff"
    image = Image.open(io.BytesIO(served.content))
    assert image.size == (64, 48)
    assert not image.getexif() and not image.getexif().get_ifd(GPS_IFD)
    assert b"Exif" not in served.content and b"Telefono de Ana" not in served.content

    assert (await world.publish("photo", public=False)).json()["public"] is False
    assert (await world.http.get(world.evidence_url("photo"))).status_code == 404
    assert world.evidence_url("photo") not in await page(world)


async def test_a_document_is_a_download_and_a_link_a_link_nobody_follows_for_us(world):
    await world.publish("document")
    await world.publish("link")
    served = await world.http.get(world.evidence_url("document"))
    assert served.headers["content-type"] == "application/pdf"
    disposition = served.headers["content-disposition"]
    assert disposition == f'attachment; filename="evidencia-{world.evidence["document"]}.pdf"'
    assert served.content.startswith(b"%PDF")
    html = await page(world)
    assert '<a href="https://sesea.example.mx/acta" rel="nofollow noopener noreferrer">' in html
    # A small file is told in bytes, as the reader's language writes them, not as "1 kB".
    for language in ("es", "en"):
        assert re.search(r"\(PDF, \d{3} bytes\)", await page(world, language))
    assert (await world.http.get(world.evidence_url("link"))).status_code == 404  # no file


async def test_voice_notes_are_never_published_and_other_secretariats_get_404(world):
    refused = await world.publish("voice")
    assert refused.status_code == 422
    assert "no se publican" in refused.json()["detail"]
    foreign = await world.publish("photo", headers=world.other_coordinator)
    assert foreign.status_code == 404
    assert (await world.http.get(world.evidence_url("photo"))).status_code == 404


async def test_the_ledger_entries_of_the_advance_are_listed_with_their_hashes(world):
    html = await page(world)
    hashes = re.findall(r"<code>([0-9a-f]{64})</code>", html)
    # The report, the request, three assignments, three votes, a consent, the closing.
    assert len(hashes) == 2 * 10  # each with its previous
    ledger = await world.http.get("/public/ledger")
    lines = ledger.text
    for digest in hashes:
        assert digest in lines
    assert "incorruptible audit verify" in html
    assert 'href="/verificar?lang=es"' in html


@pytest.mark.parametrize(
    ("language", "message"),
    [("es", "No hay ningún avance publicado en esta dirección."),
     ("en", "No advance is published at this address.")],
)  # fmt: skip
async def test_a_missing_advance_answers_the_404_page_in_the_visitors_language(
    world, language, message
):
    headers = {"Accept-Language": language}
    for path in ("/avances/2147483647", "/avances/99999999999", "/avances/uno"):
        response = await world.http.get(path, headers=headers)
        assert response.status_code == 404
        assert message in response.text
        assert f'lang="{language}"' in response.text
    wrong_report = f"/avances/{world.report_id + 1}/evidencias/{world.evidence['photo']}"
    assert (await world.http.get(wrong_report)).status_code == 404


@pytest.mark.browser
async def test_the_page_reads_well_and_passes_axe_in_both_languages_and_widths(world):
    for kind in ("photo", "document", "link"):
        await world.publish(kind)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            for locale, heading in (("es-MX", "Avance de la tarea"), ("en-US", "Advance of task")):
                for width in (1280, 390):
                    context = await browser.new_context(
                        locale=locale, viewport={"width": width, "height": 900}, bypass_csp=True
                    )
                    page = await context.new_page()
                    await page.goto(f"{world.base}/avances/{world.report_id}")
                    await expect(page.locator("h1")).to_contain_text(heading)
                    photo = page.locator(".evidence img")
                    await expect(photo).to_have_count(1)
                    # A lazy image below a phone's fold loads once it is scrolled to.
                    await photo.scroll_into_view_if_needed()
                    loaded = "img => img.complete && img.naturalWidth > 0"
                    await page.wait_for_function(loaded, arg=await photo.element_handle())
                    assert await photo.evaluate("img => img.naturalWidth") == 64
                    await page.screenshot(path=f"/tmp/advance-{locale}-{width}.png", full_page=True)
                    assert await severe_violations(page) == []
                    # Nothing runs off the side of a phone's screen.
                    overflow = "document.documentElement.scrollWidth > window.innerWidth"
                    assert not await page.evaluate(overflow)
                    await context.close()
        finally:
            await browser.close()
