"""The public pages of good practices: the catalogue searched in Spanish and filtered, one
practice with what backs it and who adopted it, the secretariat's page linking its own; only
published practices, in both languages, on a phone and a desktop."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from html import unescape

import httpx
import pytest

from core.practices import adoption
from core.practices.adoption import adopters
from tests.public.conftest import served
from tests.support import factories, practice_world
from tests.support.axe import severe_violations
from tests.support.pages import at_widths
from tests.support.practice_world import HIDDEN, PRIVATE_LINK, PracticeWorld
from tests.support.practices import published_in
from tests.support.statements import count_statements

TESTIGOS = "Testigos sociales en contrataciones públicas"
OBRA = "Datos abiertos de obra pública"


@dataclass
class Site:
    url: str
    client: httpx.AsyncClient
    world: PracticeWorld


@pytest.fixture
async def practices(db_url, session_factory, tmp_path) -> AsyncIterator[Site]:
    world = await practice_world.build(session_factory, tmp_path / "evidence")
    async with served(db_url, tmp_path) as (url, client):
        client.headers["Accept"] = "text/html"
        yield Site(url, client, world)


async def words(site: Site, path: str = "/buenas-practicas", **params: str) -> str:
    page = await site.client.get(path, params=params)
    assert page.status_code == 200, (path, params, page.status_code)
    return unescape(page.text)


def listed(html: str) -> list[str]:
    """The titles the catalogue lists, in order."""
    return re.findall(r'<h2><a href="/buenas-practicas/\d+[^"]*">([^<]+)</a></h2>', html)


async def test_the_catalogue_lists_only_published_practices_with_what_a_reader_needs(practices):
    html = await words(practices)
    assert listed(html) == [OBRA, TESTIGOS]
    assert "2 prácticas publicadas" in html
    for title in HIDDEN:
        assert title not in html
    assert "Secretaría sesea-ags" in html
    assert "Contrataciones públicas" in html and "Prioridad nacional 22" in html
    assert "Las licitaciones se adjudicaban sin vigilancia ciudadana." in html
    assert "Adoptada por 2 secretarías" in html and "Aún no adoptada" in html
    english = await words(practices, lang="en")
    assert "Adopted by 2 secretariats" in english and "National priority 31" in english


async def test_the_search_reads_spanish_stems_and_says_when_nothing_matches(practices):
    assert listed(await words(practices, q="contratacion")) == [TESTIGOS]
    assert listed(await words(practices, q="OBRAS Públicas")) == [OBRA]
    for title in HIDDEN:
        assert listed(await words(practices, q=title)) == []
    nothing = await words(practices, q="helicóptero")
    assert listed(nothing) == [] and "Ninguna práctica publicada coincide" in nothing


@pytest.mark.parametrize(
    "query",
    ["!!!", "汉字 检索", "x" * 5000, "a\x00b", "🦜 " * 300, "' OR 1=1 --", '"', "NEAR(a b)", "*"],
)
async def test_any_search_gets_a_clear_answer_never_a_failure(practices, query):
    html = await words(practices, q=query)
    assert listed(html) == []
    if len(query) > 200:
        assert "Solo se leyeron los primeros 200 caracteres de la búsqueda." in html


async def test_a_search_without_words_says_so(practices):
    html = await words(practices, q="¿¡ — !?", lang="en")
    assert "The search holds no word to look for." in html


async def test_filters_narrow_by_priority_eje_objective_secretariat_and_theme(practices):
    assert listed(await words(practices, prioridad="22")) == [TESTIGOS]
    assert listed(await words(practices, eje="4")) == [OBRA]
    assert listed(await words(practices, eje="1", prioridad="31")) == []
    assert listed(await words(practices, tema="open_data")) == [OBRA]
    assert listed(await words(practices, secretaria="sesea-ags", q="obra")) == [OBRA]
    assert listed(await words(practices, secretaria="sesea-zac")) == []
    # The form keeps what was chosen.
    kept = await words(practices, tema="procurement", prioridad="22")
    assert '<option value="procurement" selected>' in kept
    assert '<option value="22" selected>' in kept


async def test_an_unknown_filter_is_named_and_left_out(practices):
    for params, notice in (
        ({"prioridad": "41"}, "The policy has no such priority"),
        ({"eje": "nueve"}, "The policy has no such axis"),
        ({"secretaria": "nadie" * 100}, "No secretariat is published at that address"),
        ({"secretaria": "sesea-ags\x00"}, "No secretariat is published at that address"),
        ({"tema": "procurement\x00"}, "There is no such theme"),
        ({"tema": "magia"}, "There is no such theme"),
    ):
        html = await words(practices, lang="en", **params)
        assert notice in html and "that filter is left out" in html, params
        assert listed(html) == [OBRA, TESTIGOS]
    assert listed(await words(practices, pagina="x" * 50)) == [OBRA, TESTIGOS]


async def test_a_practice_shows_what_backs_it_and_who_adopted_it(practices):
    world = practices.world
    html = await words(practices, f"/buenas-practicas/{world.testigos}")
    assert f"<h1>{TESTIGOS}</h1>" in html
    assert "Prioridad 22" in html and "Eje 3" in html
    assert "Prioridad P3: Contrataciones abiertas" in html
    assert "Coordinación de Vinculación de la SESEA" in html
    assert "Validación de la sociedad civil" in html and "Publicación" in html
    assert "El 80 % de las licitaciones contó con testigo social." in html
    # The indicator, its baseline, goal and measurements.
    assert "Licitaciones con testigo social" in html
    assert "Línea base: 10." in html and "Meta: 90." in html
    assert ">45<" in html and ">80<" in html
    # Public evidence as the advance page serves it; the one made private is gone.
    document = world.public_evidence[0]
    assert re.search(rf'href="/avances/\d+/evidencias/{document}"', html)
    assert 'href="https://sesea.example.mx/testigos"' in html
    assert "Padrón de testigos acreditados" in html
    assert PRIVATE_LINK not in html
    # The validators who confirmed it in chat, by sector and pseudonym, never by name.
    answered = html[html.index('id="votes-title"') : html.index('id="adopters-title"')]
    assert answered.count('<li class="choice-confirm">') == 2
    assert "Academia" in answered and "Organización de la sociedad civil" in answered
    assert len(re.findall(r"<code>[^<]+</code>", answered)) == 2
    assert "Validadora" not in html
    # Who adopted it and how far they got, as reported and as validated.
    adopted = html[html.index('id="adopters-title"') :]
    assert adopted.index("Secretaría sesea-zac") < adopted.index("Secretaría sesea-cdmx")
    assert f'href="/secretarias/sesea-zac/planes/{world.zac_plan}"' in adopted
    assert "Línea de acción 2: " + TESTIGOS in adopted
    assert "Actividad 1.2: " + TESTIGOS in adopted
    assert "1 de 2 tareas terminadas" in adopted
    figures = re.findall(r'<span class="figure">([^<]+)</span>', adopted)
    assert figures == ["50%", "0%", "60%", "60%"]
    served_file = await practices.client.get(
        f"/avances/{_report(html, document)}/evidencias/{document}"
    )
    assert served_file.status_code == 200


def _report(html: str, evidence_id: int) -> str:
    return re.search(rf'href="/avances/(\d+)/evidencias/{evidence_id}"', html)[1]


async def test_a_practice_that_is_not_published_is_the_404_page_in_the_visitors_language(
    practices,
):
    for practice_id in [*practices.world.hidden, 999_999, "abc", "9" * 30, "-1"]:
        page = await practices.client.get(f"/buenas-practicas/{practice_id}", params={"lang": "en"})
        assert page.status_code == 404, practice_id
        assert "No good practice is published at this address." in page.text
    spanish = await practices.client.get(f"/buenas-practicas/{practices.world.hidden[2]}")
    assert "No hay ninguna buena práctica publicada en esta dirección." in unescape(spanish.text)


async def test_the_secretariat_page_and_the_navigation_link_the_practices(practices):
    html = await words(practices, "/secretarias/sesea-ags")
    assert f'href="/buenas-practicas/{practices.world.testigos}"' in html
    assert f'href="/buenas-practicas/{practices.world.obra}"' in html
    for title in HIDDEN:
        assert title not in html
    assert '<a href="/buenas-practicas">Buenas prácticas</a>' in html
    # A secretariat that published none lists none.
    assert 'id="practices-title"' not in await words(practices, "/secretarias/sesea-zac")
    english = await words(practices, f"/buenas-practicas/{practices.world.obra}", lang="en")
    assert '<a href="/buenas-practicas?lang=en">Good practices</a>' in english
    assert '<meta property="og:title" content="' + OBRA in english


async def test_adopters_are_read_in_as_many_statements_for_six_as_for_one(engine, session_factory):
    async with session_factory() as session, session.begin():
        own = await factories.secretariat(session, "sesea-ags")
        practice_id = await published_in(session, own.id)
        for number in range(6):
            other = await factories.secretariat(session, f"sesea-{number}")
            plan, activity = await factories.plan_with_activity(session, other.id)
            await adoption.adopt(
                session, other.id, factories.ACTOR, practice_id, plan_id=plan.id,
                objective_id=activity.objective_id if number % 2 else None, language="es",
            )  # fmt: skip
            if number == 0:
                with count_statements(engine) as one:
                    assert len(await adopters(session, practice_id)) == 1
    with count_statements(engine) as six:
        async with session_factory() as session:
            assert len(await adopters(session, practice_id)) == 6
    assert one["n"] == six["n"] <= 6


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["es-MX", "en-US"])
async def test_the_practice_pages_read_on_a_phone_and_a_desktop_and_pass_axe(practices, locale):
    base = practices.url
    async for width, page in at_widths(locale):
        await page.goto(base + "/buenas-practicas")
        assert await page.get_attribute("html", "lang") == locale[:2]
        assert await severe_violations(page) == []
        await page.screenshot(path=f"/tmp/practices-{locale}-{width}.png", full_page=True)
        # The search is a form that works without script.
        label = "Palabras" if locale == "es-MX" else "Words"
        await page.get_by_label(label).fill("contratacion")
        await page.get_by_role("button", name="Buscar" if locale == "es-MX" else "Search").click()
        await page.wait_for_url("**q=contratacion**")
        assert await page.locator("ol.practices > li").count() == 1
        assert await severe_violations(page) == []
        await page.locator("ol.practices a").first.click()
        await page.wait_for_url(f"**/buenas-practicas/{practices.world.testigos}**")
        assert await page.locator("h1").count() == 1
        assert await severe_violations(page) == []
        await page.screenshot(path=f"/tmp/practice-{locale}-{width}.png", full_page=True)
