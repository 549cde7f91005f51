"""A secretariat's page filtered by the national policy's eje, objective and priority: only the
lines of action citing a matching priority, with their activities, indicators and advances;
what the filter keeps and what it left out said above them; one kept page per filter; and the
filtered page in Chromium."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.public.test_secretariat_page import http, scenario, site, text_of
from tests.support.axe import severe_violations
from tests.support.pages import at_widths

__all__ = ["http", "scenario", "site"]


async def words_of(http, path: str, **params: str) -> str:
    response = await http.get(path, params=params)
    assert response.status_code == 200
    return text_of(unescape(response.text))


async def test_a_priority_keeps_the_lines_citing_it_with_what_hangs_off_them(http, scenario):
    page = f"/secretarias/{scenario.slug}"
    # Line 1 cites priority 31 through its state policy's priority P1.2; line 2 names 1.
    words = await words_of(http, page, prioridad="31")
    assert "Contrataciones abiertas" in words and "Participación ciudadana" not in words
    assert "1.1 Publicar contratos" in words and "2.1 Comité ciudadano" not in words
    assert "Solo se muestran las líneas de acción que citan la prioridad 31" in words
    assert "Contratos publicados" in words  # the indicator measures line 1
    assert "Tarea A" in words and "Tarea C" in words
    # The figures at a glance stay the whole plan's: three activities, one behind.
    assert "Con retraso: 1 actividad de 3." in words
    words = await words_of(http, page, eje="1")
    assert "Participación ciudadana" in words and "Contrataciones abiertas" not in words
    assert "Contratos publicados" not in words
    assert "Ningún indicador mide las líneas de acción mostradas." in words
    assert "Tarea A" not in words
    assert "Aún no se ha sometido ningún avance de las líneas de acción mostradas" in words
    everything = await words_of(http, page)
    assert "Contrataciones abiertas" in everything and "Participación ciudadana" in everything


async def test_each_line_links_to_the_national_priorities_it_cites(http, scenario):
    html = unescape((await http.get(f"/secretarias/{scenario.slug}")).text)
    assert '<a href="/politica-nacional?prioridad=31">Prioridad 31</a>' in html
    assert '<a href="/politica-nacional?prioridad=1">Prioridad 1</a>' in html
    english = unescape(
        (await http.get(f"/secretarias/{scenario.slug}", params={"lang": "en"})).text
    )
    assert 'href="/politica-nacional?prioridad=31&lang=en">Priority 31</a>' in english
    assert "Cites this priority of the national policy:" in text_of(english)


async def test_a_filter_matching_no_line_says_so_and_other_plans_keep_it(http, scenario):
    words = await words_of(http, f"/secretarias/{scenario.slug}", prioridad="2", lang="en")
    assert "No line of action of this plan cites a priority the filter chose." in words
    html = (await http.get(f"/secretarias/{scenario.slug}", params={"eje": "4"})).text
    assert f'href="/secretarias/{scenario.slug}/planes/{scenario.older_plan_id}?eje=4"' in html
    # The form chooses the filter without script, and shows what is chosen.
    assert re.search(r'<form class="filters" method="get" action="/secretarias/sesea-ags">', html)
    assert '<option value="4" selected>4</option>' in html


async def test_an_unknown_value_is_named_and_left_out(http, scenario):
    for params in ({"eje": "9"}, {"prioridad": "41"}, {"objetivo": "x"}, {"eje": "9" * 300}):
        response = await http.get(f"/secretarias/{scenario.slug}", params={**params, "lang": "en"})
        assert response.status_code == 200, params
        words = text_of(unescape(response.text))
        assert "that filter is left out." in words
        assert "Contrataciones abiertas" in words and "Participación ciudadana" in words
    both = await words_of(http, f"/secretarias/{scenario.slug}", eje="9", prioridad="1")
    assert "se deja fuera" in both and "Contrataciones abiertas" not in both


async def test_each_filter_is_kept_apart_and_answered_from_memory(http, scenario):
    page = f"/secretarias/{scenario.slug}"
    first = await http.get(page, params={"prioridad": "31"})
    other = await http.get(page, params={"prioridad": "1"})
    # Same product, same day: the same ETag, but each filter its own page.
    assert first.headers["etag"] == other.headers["etag"]
    assert "Contrataciones abiertas" in first.text and "Contrataciones abiertas" not in other.text
    kept = {"If-None-Match": other.headers["etag"]}
    assert (await http.get(page, params={"prioridad": "1"}, headers=kept)).status_code == 304
    plain = await http.get(page)
    assert "Participación ciudadana" in plain.text and "Contrataciones abiertas" in plain.text


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["es-MX", "en-US"])
async def test_the_filtered_page_reads_on_a_phone_and_passes_axe(site, scenario, locale):
    async for width, page in at_widths(locale):
        await page.goto(f"{site}/secretarias/{scenario.slug}")
        label = "Prioridad" if locale == "es-MX" else "Priority"
        await page.get_by_label(label).select_option("31")
        await page.locator("form.filters button").click()
        await page.wait_for_url("**prioridad=31**")
        assert await page.locator("article.line").count() == 1
        assert await page.locator("figure.gantt g.row").count() == 2
        assert await page.locator("p.notice[role=status]").count() == 1
        assert await severe_violations(page) == []
        await page.screenshot(
            path=f"/tmp/secretariat-filtered-{locale}-{width}.png", full_page=True
        )
