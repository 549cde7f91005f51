"""The national policy's page, and the overview filtered by the policy's ejes, objectives and
priorities: lines of action of every secretariat cite its priorities."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest

from core.audit.actor import Actor
from core.plans import plans, structure
from core.policy import national_policy, pea
from tests.support import factories
from tests.support.axe import severe_violations
from tests.support.pages import at_widths

ACTOR = Actor.system()


async def cited_world(session) -> None:
    """sesea-ags: a line citing its PEA priority P12 (mapped to 31), one naming 1 and 12;
    sesea-bc: a plan citing nothing; sesea-cdmx: priority 12 cited only by last year's plan."""
    year = date.today().year
    async with session.begin():
        ags = await factories.secretariat(session, "sesea-ags")
        bc = await factories.secretariat(session, "sesea-bc")
        cdmx = await factories.secretariat(session, "sesea-cdmx")
        await pea.add_pea_priority(
            session, ags.id, ACTOR, code="P12", title="Participación", pna_priorities=[31]
        )
        plan = await plans.create_plan(session, ags.id, ACTOR, year=year, title="PAT")
        await structure.add_objective(
            session, ags.id, ACTOR, plan.id, title="Red de contraloría social", pea_priority="P12"
        )
        await structure.add_objective(
            session, ags.id, ACTOR, plan.id, title="Protocolos de denuncia", pna_priorities=[12, 1]
        )
        other = await plans.create_plan(session, bc.id, ACTOR, year=year, title="PAT")
        await structure.add_objective(session, bc.id, ACTOR, other.id, title="Sin cita")
        old = await plans.create_plan(session, cdmx.id, ACTOR, year=year - 1, title="Anterior")
        await structure.add_objective(
            session, cdmx.id, ACTOR, old.id, title="Auditorías", pna_priorities=[12]
        )
        await plans.create_plan(session, cdmx.id, ACTOR, year=year, title="PAT")


def table_of(html: str) -> str:
    """The overview's table (the map above it links every state, filtered or not)."""
    return html[html.index("<table") : html.index("</table>")]


def section_of(html: str, number: int) -> str:
    start = html.index(f"<strong>Prioridad {number}</strong>")
    end = html.find("<strong>Prioridad ", start + 10)
    return html[start : end if end > 0 else len(html)]


async def test_each_priority_lists_the_lines_that_cite_it_across_secretariats(site, session):
    await cited_world(session)
    page = await site.get("/politica-nacional")
    assert page.status_code == 200
    html = unescape(page.text)
    assert html.count("<strong>Prioridad ") == 40
    assert "Combatir la corrupción y la impunidad" in html
    first = section_of(html, 1)
    assert "Desarrollar y ejecutar programas estratégicos" in first
    assert 'href="/secretarias/sesea-ags"' in first and "Protocolos de denuncia" in first
    twelve = section_of(html, 12)
    assert "Protocolos de denuncia" in twelve
    assert f'Auditorías <span class="muted">({date.today().year - 1})</span>' in twelve
    assert "Red de contraloría social" in section_of(html, 31)
    assert "Aún ninguna línea de acción la cita." in section_of(html, 2)
    assert "Sin cita" not in html


async def test_the_page_narrows_to_an_eje_an_objective_or_a_priority(site, session):
    await cited_world(session)
    eje = unescape((await site.get("/politica-nacional", params={"eje": "4"})).text)
    assert eje.count("<strong>Prioridad ") == 10 and "<strong>Prioridad 31</strong>" in eje
    assert "Combatir la corrupción y la impunidad" not in eje
    one = unescape((await site.get("/politica-nacional", params={"prioridad": "12"})).text)
    assert one.count("<strong>Prioridad ") == 1 and "Protocolos de denuncia" in one
    objective = unescape((await site.get("/politica-nacional", params={"objetivo": "9"})).text)
    assert "Promover la adopción y aplicación de principios" in objective
    assert "Combatir la corrupción y la impunidad" not in objective
    apart = unescape(
        (await site.get("/politica-nacional", params={"eje": "1", "prioridad": "31"})).text
    )
    assert "Ninguna parte de la política coincide con estos filtros a la vez." in apart


async def test_the_objective_is_offered_only_once_the_data_says_what_each_holds(site, session):
    # The source read gives no priority its objective: a filter by one would match nothing.
    assert not national_policy().objectives_hold_priorities
    page = unescape((await site.get("/politica-nacional")).text)
    assert 'name="eje"' in page and 'name="prioridad"' in page
    assert 'name="objetivo"' not in page
    # Reached by a link, the objective chosen still shows.
    chosen = unescape((await site.get("/politica-nacional", params={"objetivo": "9"})).text)
    assert 'name="objetivo"' in chosen


async def test_an_unknown_filter_is_named_and_left_out_never_a_failure(site, session):
    await cited_world(session)
    for params in ({"eje": "9"}, {"objetivo": "x"}, {"prioridad": "41"}, {"eje": "-1"}):
        page = await site.get("/politica-nacional", params={**params, "lang": "en"})
        assert page.status_code == 200, params
        assert "that filter is left out." in unescape(page.text)
        assert unescape(page.text).count("<strong>Priority ") == 40
    huge = await site.get("/", params={"prioridad": "9" * 500})
    assert huge.status_code == 200


async def test_the_overview_lists_only_the_secretariats_whose_current_plan_cites_the_filter(
    site, session
):
    await cited_world(session)
    page = unescape((await site.get("/", params={"prioridad": "12"})).text)
    assert "citando la prioridad 12 de la política nacional" in page
    # The glance above stays the country's.
    assert "3 secretarías publican aquí sus planes." in page
    twelve = table_of(page)
    assert "/secretarias/sesea-ags" in twelve
    # sesea-cdmx cited it only in last year's plan; sesea-bc never did.
    assert "/secretarias/sesea-cdmx" not in twelve and "/secretarias/sesea-bc" not in twelve
    page = unescape((await site.get("/", params={"eje": "4", "lang": "en"})).text)
    assert "citing a priority of axis 4 of the national policy are listed" in page
    eje = table_of(page)
    assert "/secretarias/sesea-ags" in eje and "/secretarias/sesea-bc" not in eje
    # Sorting keeps the filter.
    assert "orden=validated&dir=desc&eje=4" in eje
    everything = unescape((await site.get("/", params={"eje": "nueve"})).text)
    assert "se deja fuera" in everything and "/secretarias/sesea-bc" in table_of(everything)


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["es-MX", "en-US"])
async def test_the_policy_page_reads_on_a_phone_and_a_desktop_and_passes_axe(site, session, locale):
    await cited_world(session)
    async for width, page in at_widths(locale):
        await page.goto(str(site.base_url) + "/politica-nacional")
        assert await page.get_attribute("html", "lang") == locale[:2]
        assert await page.locator("h1").count() == 1
        assert await severe_violations(page) == []
        await page.screenshot(path=f"/tmp/pna-all-{locale}-{width}.png", full_page=True)
        # The filter is a form that works without script.
        label = "Prioridad" if locale == "es-MX" else "Priority"
        await page.get_by_label(label).select_option("12")
        await page.get_by_role("button").click()
        await page.wait_for_url("**prioridad=12**")
        assert await page.locator("ul.priorities > li").count() == 1
        assert await severe_violations(page) == []
        await page.screenshot(path=f"/tmp/pna-{locale}-{width}.png", full_page=True)
        # The overview filtered by an eje says so above its table.
        await page.goto(str(site.base_url) + "/?eje=4")
        assert await page.locator("table tbody tr").count() == 1
        assert await severe_violations(page) == []
        await page.screenshot(path=f"/tmp/pna-overview-{locale}-{width}.png", full_page=True)
