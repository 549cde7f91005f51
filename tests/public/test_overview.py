"""The national overview: each secretariat's plan as reported beside as validated."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from core.audit.actor import Actor
from core.models import Person, ValidationRequest, ValidationState
from core.plans import plans
from core.validation.votes import cast_vote
from tests.core import validation_world
from tests.core.validation_world import asked
from tests.support import factories
from tests.support.axe import severe_violations
from tests.support.pages import at_widths


async def confirm_by_three_sectors(session, world) -> None:
    request = await validation_world.request(session, world)
    async with session.begin():
        chosen = await asked(session, request.id)
    for name in ("olga", "alma", "beto"):
        async with session.begin():
            person = await session.get(Person, world.validators[name].id, populate_existing=True)
            await cast_vote(session, person, chosen[name].id, "confirm")
    async with session.begin():
        state = await session.scalar(
            select(ValidationRequest.state).where(ValidationRequest.id == request.id)
        )
    assert state == ValidationState.VALIDATED


async def validated_world(session):
    """sesea-ags: one task, done and validated by three sectors; sesea-bc: no plan."""
    world = await validation_world.build(session)
    await confirm_by_three_sectors(session, world)
    return world


def row_of(html: str, slug: str) -> str:
    match = re.search(
        rf'<tr>\s*<th scope="row"><a href="/secretarias/{slug}[^"]*">.*?</tr>', html, re.S
    )
    assert match, f"no row for {slug}"
    return match.group(0)


async def test_reported_and_validated_progress_stand_side_by_side(site, session):
    world = await validation_world.build(session)
    await validation_world.report_done(session, world)

    page = await site.get("/")
    assert page.status_code == 200
    assert page.headers["content-language"] == "es"
    ags = row_of(page.text, "sesea-ags")
    assert 'aria-label="Avance reportado"></progress> <span class="figure">100%' in ags
    assert 'aria-label="Avance validado"></progress> <span class="figure">0%' in ags
    assert "Aún no publica un plan" in row_of(page.text, "sesea-bc")

    await confirm_by_three_sectors(session, world)

    page = await site.get("/", headers={"Accept-Language": "en-US,en;q=0.8"})
    ags = row_of(page.text, "sesea-ags")
    assert 'aria-label="Validated progress"></progress> <span class="figure">100%' in ags
    assert "1 advance validated by civil society" in page.text
    # On the map, Aguascalientes links to its secretariat, in the darkest green.
    shape = re.search(
        r'<a href="/secretarias/sesea-ags" aria-label="([^"]+)">\s*<path [^>]*fill="([^"]+)"',
        page.text,
    )
    assert shape.groups() == ("Aguascalientes: 100% validated, 100% reported", "#006d2c")
    assert "Zacatecas: no plan published here" in page.text
    # Nobody is named: not the reporter, not a validator.
    for person in (world.reporter, world.coordinator, *world.validators.values()):
        assert person.name not in page.text


async def test_an_unchanged_overview_is_answered_from_memory_and_by_its_etag(site, session):
    await validation_world.build(session)
    first = await site.get("/")
    again = await site.get("/", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    async with session.begin():
        await factories.secretariat(session, "sesea-zac")
    changed = await site.get("/", headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200 and "sesea-zac" in changed.text


async def test_the_table_sorts_by_a_heading_and_says_so_of_an_unknown_order(site, session):
    await validated_world(session)
    by_validated = await site.get("/", params={"orden": "validated", "dir": "desc"})
    assert by_validated.text.index("/secretarias/sesea-ags") < by_validated.text.index(
        "/secretarias/sesea-bc"
    )
    assert (
        'aria-sort="descending" class="n"><a href="/?orden=validated&amp;dir=asc"'
        in by_validated.text
    )
    unknown = await site.get("/", params={"orden": "<script>", "lang": "en"})
    assert unknown.status_code == 200
    assert "That order is not one of the table's; it is shown by name." in unescape(unknown.text)
    assert "<script>" not in unknown.text


async def test_an_address_that_is_no_page_answers_a_browser_in_its_language(site, session):
    spanish = await site.get("/secretarias-no/hay")
    assert spanish.status_code == 404
    assert "No hay ninguna página en esta dirección." in spanish.text
    english = await site.get("/nothing/here", headers={"Accept-Language": "en"})
    assert "There is no page at this address." in english.text
    api = await site.get("/nothing/here", headers={"Accept": "application/json"})
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/problem+json")


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["es-MX", "en-US"])
async def test_the_overview_reads_on_a_phone_and_a_desktop_and_passes_axe(
    site, session, locale, tmp_path
):
    await validated_world(session)
    async for width, page in at_widths(locale):
        await page.goto(str(site.base_url) + "/")
        assert await page.get_attribute("html", "lang") == locale[:2]
        assert await page.locator("h1").count() == 1
        assert await severe_violations(page) == []
        # The table sorts by following a heading, with no script.
        heading = "Validado" if locale == "es-MX" else "Validated"
        sorting = page.get_by_role("link", name=heading, exact=True).filter(visible=True)
        await sorting.first.click()
        assert "orden=validated" in page.url
        await page.screenshot(path=tmp_path / f"overview-{locale}-{width}.png", full_page=True)


async def test_a_second_plan_of_the_year_does_not_replace_the_published_one(site, session):
    world = await validated_world(session)
    async with session.begin():
        drafted = await plans.create_plan(
            session, world.secretariat_id, Actor.system(), year=2026, title="Otro plan 2026"
        )

    ags = row_of((await site.get("/")).text, "sesea-ags")
    assert "Plan anual" in ags and "Otro plan 2026" not in ags
    assert 'aria-label="Avance validado"></progress> <span class="figure">100%' in ags
    page = (await site.get("/secretarias/sesea-ags")).text
    assert re.search(r"Plan anual \(2026\)</a> <span class=\"muted\">\(vigente\)", page)
    # A title that says its year is not followed by it again.
    assert f'href="/secretarias/sesea-ags/planes/{drafted.id}">Otro plan 2026</a></li>' in page
