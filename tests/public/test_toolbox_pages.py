"""The toolbox on the public site: its contents, each chapter with its sections and action,
every link of every page answering, the printable PDF, the built-in definitions to download;
in both languages, on a phone and a desktop."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from html import unescape
from io import BytesIO
from urllib.parse import urldefrag

import httpx
import pikepdf
import pytest
from fontTools.ttLib import TTFont

from conversations.definitions import DIRECTORY, builtin_ids
from core.toolbox.manual import manual
from public.toolbox_pdf import FONTS, STYLES
from tests.public.conftest import served
from tests.support.axe import severe_violations
from tests.support.pages import at_widths

LANGUAGES = ("es", "en")


@dataclass
class Site:
    url: str
    client: httpx.AsyncClient


@pytest.fixture
async def site(db_url, session_factory, tmp_path) -> AsyncIterator[Site]:
    async with served(db_url, tmp_path) as (url, client):
        client.headers["Accept"] = "text/html"
        yield Site(url, client)


async def page(site: Site, path: str) -> str:
    answer = await site.client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.text


def links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_contents_list_the_seven_steps_then_the_other_chapters(site, language):
    html = unescape(await page(site, f"/caja-de-herramientas?lang={language}"))
    toolbox = manual()
    titles = re.findall(r'<h3><a href="/caja-de-herramientas/[^"]+">([^<]+)</a></h3>', html)
    expected = [chapter.title[language] for chapter in [*toolbox.steps(), *toolbox.others()]]
    assert titles == expected
    for chapter in toolbox.chapters:
        assert chapter.summary[language] in html
    assert ("Caja de herramientas" if language == "es" else "Toolbox") in html
    assert "/herramientas" in html and "/toolbox" in html


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_chapter_renders_and_every_link_of_the_toolbox_answers(site, language):
    """From the contents, every toolbox page is followed; each link of each page (the
    navigation's too) answers 200, and each section it points at exists."""
    start = f"/caja-de-herramientas?lang={language}"
    pages: dict[str, str] = {}
    waiting = [start]
    checked: set[str] = set()
    while waiting:
        path = waiting.pop()
        if path in pages:
            continue
        html = await page(site, path)
        pages[path] = html
        for href in links(html):
            if href.startswith("#"):
                href = path + href
            if not href.startswith("/"):
                continue
            address, anchor = urldefrag(href)
            if address.startswith("/caja-de-herramientas") and not address.endswith(
                (".pdf", ".yaml")
            ):
                waiting.append(address)
                if anchor:
                    target = pages.get(address) or await page(site, address)
                    assert f'id="{anchor}"' in target, href
            elif address not in checked:
                answer = await site.client.get(address)
                assert answer.status_code == 200, (path, href, answer.status_code)
                checked.add(address)
    toolbox = manual()
    for chapter in toolbox.chapters:
        html = unescape(pages[f"/caja-de-herramientas/{chapter.id}?lang={language}"])
        assert f"<h1>{chapter.title[language]}</h1>" in html
        for section in chapter.texts[language].sections[1:]:
            assert f'<a href="#{section.anchor}">' in html
    downloads = {
        c.action.download_path for c in toolbox.chapters if c.action and c.action.kind == "download"
    }
    assert downloads <= checked


async def test_a_chapter_shows_its_place_its_neighbours_and_its_action(site):
    toolbox = manual()
    second = toolbox.chapters[1]
    html = unescape(await page(site, f"/caja-de-herramientas/{second.id}"))
    assert f'href="/caja-de-herramientas/{toolbox.chapters[0].id}" rel="prev"' in html
    assert f'href="/caja-de-herramientas/{toolbox.chapters[2].id}" rel="next"' in html
    planning = unescape(await page(site, "/caja-de-herramientas/planeacion?lang=en"))
    assert "Step 7 of 7" in planning
    for chapter in toolbox.chapters:
        if chapter.action and chapter.action.kind == "download":
            html = await page(site, f"/caja-de-herramientas/{chapter.id}")
            assert f'href="{chapter.action.download_path}" download' in html
    diagnostic = unescape(await page(site, "/caja-de-herramientas/problematica"))
    assert "Paso 1 de 7" in diagnostic and "se responde en el bot de Telegram" in diagnostic
    commanded = [
        chapter
        for chapter in toolbox.chapters
        if chapter.action and chapter.action.kind == "command"
    ]
    for chapter in commanded:
        html = unescape(await page(site, f"/caja-de-herramientas/{chapter.id}"))
        assert f"envía {chapter.action.target}" in html


@pytest.mark.parametrize(
    "path",
    [
        "/caja-de-herramientas/nada",
        "/caja-de-herramientas/problematica.md",
        "/caja-de-herramientas/%00",
    ],
)
async def test_an_unknown_chapter_is_the_404_page(site, path):
    answer = await site.client.get(path)
    assert answer.status_code == 404
    assert "La caja de herramientas no tiene un capítulo en esta dirección." in answer.text
    english = await site.client.get(path, params={"lang": "en"})
    assert "The toolbox has no chapter at this address." in english.text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_printable_manual_is_a_pdf_of_every_chapter_in_the_language(site, language):
    answer = await site.client.get("/caja-de-herramientas.pdf", params={"lang": language})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    body = answer.content
    assert body.startswith(b"%PDF-")
    with pikepdf.open(BytesIO(body)) as pdf:
        assert str(pdf.Root.Lang) == language
        # A cover, then each chapter from a new page, each an entry of the outline.
        assert len(pdf.pages) > len(manual().chapters)
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
    assert titles == [chapter.title[language] for chapter in manual().chapters]


def test_the_pdf_font_has_every_character_of_the_manual():
    written = set()
    for chapter in manual().chapters:
        for language in LANGUAGES:
            text = chapter.texts[language]
            written |= set(unescape(re.sub(r"<[^>]+>", "", text.html))) | set(text.title)
    for name in STYLES.values():
        mapped = TTFont(FONTS / f"{name}.ttf").getBestCmap()
        missing = {char for char in written if not char.isspace() and ord(char) not in mapped}
        assert missing == set(), name


async def test_a_builtin_definition_downloads_and_no_other_path_does(site):
    for definition_id in builtin_ids():
        answer = await site.client.get(f"/caja-de-herramientas/definiciones/{definition_id}.yaml")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/yaml")
        assert answer.content == (DIRECTORY / f"{definition_id}.yaml").read_bytes()
    for wrong in [
        "nada",
        "absence",
        "..%2F__init__",
        "forms%2Fabsence",
        "secretariat_diagnostic.yml",
    ]:
        answer = await site.client.get(f"/caja-de-herramientas/definiciones/{wrong}.yaml")
        assert answer.status_code == 404, wrong


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["es-MX", "en-US"])
async def test_the_toolbox_reads_on_a_phone_and_a_desktop_and_passes_axe(site, locale):
    async for width, browser_page in at_widths(locale):
        await browser_page.goto(site.url + "/caja-de-herramientas")
        assert await browser_page.get_attribute("html", "lang") == locale[:2]
        assert await severe_violations(browser_page) == []
        await browser_page.locator("ol.toolbox a").first.click()
        await browser_page.wait_for_url("**/caja-de-herramientas/problematica**")
        assert await browser_page.locator("h1").count() == 1
        assert await severe_violations(browser_page) == []
        if locale == "es-MX":
            await browser_page.screenshot(path=f"/tmp/toolbox-{width}.png", full_page=True)
            if width == 390:
                await browser_page.screenshot(path="/tmp/toolbox.png", full_page=True)
