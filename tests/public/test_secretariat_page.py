"""A secretariat's public page over HTTP, on both databases: its current plan with the three
statuses of every line and activity, the timeline, the indicators and the latest advances; its
other plans; the 404 page for what it does not hold; and the page in Chromium."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest
from playwright.async_api import async_playwright

from admin.app import create_app
from core.infra.settings import Settings
from public.rendering import COUNTRY_ZONE
from tests.admin.server import serving
from tests.emulator.test_web_chat import CHROMIUM_ARGS
from tests.support import public_plan
from tests.support.axe import severe_violations


@pytest.fixture
async def scenario(session_factory) -> public_plan.PublicPlan:
    return await public_plan.build(session_factory, datetime.now(COUNTRY_ZONE).date())


@pytest.fixture
async def site(db_url, tmp_path, scenario) -> AsyncIterator[str]:
    """The base URL of the app serving the scenario over real HTTP."""
    settings = Settings(data_dir=tmp_path, bot_username="incorruptible_test_bot")
    app = create_app(settings.model_copy(update={"database_url": db_url}))
    with serving(app) as base_url:
        yield base_url


@pytest.fixture
async def http(site) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=site, timeout=30) as client:
        yield client


def text_of(html: str) -> str:
    """The page's words, without markup, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


async def test_the_page_shows_the_current_plan_with_three_statuses(http, scenario):
    response = await http.get(f"/secretarias/{scenario.slug}", headers={"Accept-Language": "es"})
    assert response.status_code == 200
    html = response.text
    words = text_of(html)
    assert "Programa de trabajo" in words and "Plan anterior" in words
    assert "Sirve a P1.2 de la política estatal." in words
    assert "No cita ninguna prioridad de la política estatal." in words
    # Task A is done and validated, B reported at 40 % and disputed: activity 1.1 reports 70 %
    # and 50 % validated (equal hours, equal weights); C is past its due date: 1.2 is behind.
    assert re.search(r"1\.1 Publicar contratos.*?70 ?%.*?50 ?%.*?En tiempo", words)
    assert re.search(r"1\.2 Capacitar compradores.*?10 ?%.*?0 ?%.*?Con retraso", words)
    assert "1 tarea vencida" in words
    assert "ruta crítica" in words
    # The latest advances, newest first, by their validation state, counted, never named.
    advances = re.findall(r'href="/avances/(\d+)"', html)
    assert advances == [
        str(scenario.waiting_report),
        str(scenario.disputed_report),
        str(scenario.validated_report),
    ]
    assert "Validado por 3 personas de 3 sectores" in words
    assert "Impugnado por 2 personas" in words
    assert "Esperando a validadores" in words
    # The indicator, its baseline, goal and every measurement.
    assert "Contratos publicados" in words
    assert "Línea base: 10." in words and "Meta: 50." in words
    for value in ("12", "20.5", "31"):
        assert f">{value}<" in html
    # Where it stands: (31 - 10) / (50 - 10) of the way, and the months of last year left
    # without a value are past their due day.
    assert re.search(r"Avance hacia la meta: 52\.5\s?%", words)
    assert "Debe bajar" not in words
    assert re.search(r"\d+ periodos vencidos sin valor; el último terminó el", words)
    for value in scenario.personal:
        assert value not in html, value


async def test_the_timeline_marks_today_and_the_critical_path(http, scenario):
    html = (await http.get(f"/secretarias/{scenario.slug}", params={"lang": "en"})).text
    svg = html[html.index('<svg viewBox="0 0 900') :]
    svg = svg[: svg.index("</svg>")]
    assert 'role="img"' in svg and 'class="today"' in svg
    rows = re.findall(r'<g class="row( critical)?">\s*<title>([^<]*)</title>', svg)
    critical = {title.split(":")[0] for marked, title in rows if marked}
    assert critical == {"1.1 Publicar contratos", "2.1 Comité ciudadano"}
    assert len(rows) == 3
    # Month ticks in the visitor's language.
    months = re.findall(r'font-size="12" fill="#333">([^<]+)<', svg)
    assert months and all(re.fullmatch(r"[A-Z][a-z]{2}( \d{4})?", month) for month in months)
    assert "Activity on the critical path (hatched, outlined)" in html


async def test_another_plan_opens_at_its_own_address(http, scenario):
    page = await http.get(f"/secretarias/{scenario.slug}")
    older = f"/secretarias/{scenario.slug}/planes/{scenario.older_plan_id}"
    assert f'href="{older}"' in page.text
    response = await http.get(older)
    assert response.status_code == 200
    words = text_of(response.text)
    assert "Plan anterior" in words and "Este no es el plan vigente de la secretaría." in words
    assert "Este plan aún no tiene indicadores." in words


@pytest.mark.parametrize(
    ("language", "secretariat", "plan"),
    [
        ("es", "No hay ninguna secretaría publicada", "Esta secretaría no tiene un plan"),
        ("en", "No secretariat is published", "This secretariat has no plan"),
    ],
)
async def test_what_the_secretariat_does_not_hold_is_the_404_page(
    http, scenario, language, secretariat, plan
):
    headers = {"Accept-Language": language, "Accept": "text/html"}
    unknown = await http.get("/secretarias/no-existe", headers=headers)
    assert unknown.status_code == 404 and secretariat in unknown.text
    assert unknown.headers["content-language"] == language
    base = f"/secretarias/{scenario.slug}/planes"
    for path in (
        f"{base}/{scenario.foreign_plan_id}",
        f"{base}/abc",
        f"{base}/99999999999999999999",
        f"{base}/-1",
    ):
        response = await http.get(path, headers=headers)
        assert response.status_code == 404 and plan in response.text, path
    unknown_plan = await http.get(f"/secretarias/no-existe/planes/{scenario.plan_id}")
    assert unknown_plan.status_code == 404


@pytest.mark.browser
async def test_the_page_in_chromium_is_accessible_in_both_languages_and_widths(site, scenario):
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            for locale in ("es-MX", "en-US"):
                for width in (1280, 390):
                    context = await browser.new_context(
                        locale=locale, viewport={"width": width, "height": 900}, bypass_csp=True
                    )
                    page = await context.new_page()
                    await page.goto(f"{site}/secretarias/{scenario.slug}")
                    assert await page.locator("figure.gantt line.today").count() == 1
                    assert await page.locator("figure.gantt g.row.critical").count() == 2
                    await page.screenshot(
                        path=f"/tmp/secretariat-{locale}-{width}.png", full_page=True
                    )
                    assert await severe_violations(page) == []
                    await context.close()
        finally:
            await browser.close()
