"""Results, the results page and exports of a campaign over HTTP: what people answered through
core comes back, small groups never appear, anonymous answers carry only the day."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from conversations.engine.inputs import ChoiceInput, CommandInput, TextInput
from core.chat.definitions import DefinitionCatalog
from core.models import Campaign, Role, Sector
from core.people.people import create_person
from tests.support import surveys

PRIORITIES = "problem_prioritisation"
# Five people of civil society organisations, six of academia, and one journalist.
PEOPLE = [(Sector.OSC, n) for n in range(5)] + [(Sector.ACADEMIA, n) for n in range(6)]
LONE = (Sector.MEDIA, 0)
LONE_TEXT = "Lo que sólo la periodista escribió"


def script(sector: Sector, n: int) -> dict:
    first = "impunity" if sector == Sector.OSC else "opacity"
    return {
        "problems": [ChoiceInput(first), ChoiceInput("procurement"), ChoiceInput("services")],
        "severity": [ChoiceInput(str(1 + n % 5))],
        "affected": [ChoiceInput("women"), ChoiceInput("other"), TextInput(f"Otro {sector}"),
                     CommandInput("done")],
        "missing_problem": [ChoiceInput("no")],
        "evidence": [TextInput(LONE_TEXT if sector == Sector.MEDIA else f"Dato {sector} {n}")],
    }  # fmt: skip


@pytest.fixture
async def campaign(session_factory, world) -> int:
    catalog = DefinitionCatalog("2026-01")
    async with session_factory() as session, session.begin():
        found = Campaign(secretariat_id=world.own, definition_id=PRIORITIES, audience={})
        session.add(found)
        await session.flush()
        for index, (sector, n) in enumerate([*PEOPLE, LONE]):
            person = await create_person(
                session, world.own, "test", roles={Role.CIVIL_SOCIETY}, name=f"P{index}",
                sector=sector, telegram_id=1000 + index,
            )  # fmt: skip
            await surveys.answer(session, catalog, found, person, script(sector, n))
        quitter = await create_person(
            session, world.own, "test", roles={Role.CIVIL_SOCIETY}, sector=Sector.OSC,
            telegram_id=2000,
        )  # fmt: skip
        await surveys.answer(
            session, catalog, found, quitter, {"severity": [CommandInput("cancel")]}
        )
        return found.id


def url(world, campaign, tail="results"):
    return f"/secretariats/{world.own}/campaigns/{campaign}/{tail}"


async def test_results_count_what_was_answered_in_the_language_asked(http, world, campaign):
    answer = await http.get(url(world, campaign), headers={**world.auth("viewer"),
                                                           "Accept-Language": "en"})  # fmt: skip
    assert answer.status_code == 200
    result = answer.json()
    assert result["respondents"] == 12 and result["language"] == "en"
    questions = {question["id"]: question for question in result["questions"]}
    problems = {option["id"]: option for option in questions["problems"]["options"]}
    # Five put impunity first, seven opacity; everyone procurement second, services third.
    assert problems["opacity"]["borda"] == 7 * 7 and problems["impunity"]["borda"] == 5 * 7
    assert problems["procurement"]["ranks"] == [0, 12, 0]
    assert problems["opacity"]["ranks"] == [7, 0, 0]
    assert problems["opacity"]["label"] == "Opacity in the use of public funds"
    affected = {option["id"]: option for option in questions["affected"]["options"]}
    assert affected["women"] == {**affected["women"], "count": 12, "percent": 100.0}
    assert sorted(questions["affected"]["other_texts"])[0] == "Otro academia"
    severity = questions["severity"]
    assert severity["quartiles"] and severity["min"] == 1 and severity["max"] == 5


async def test_a_small_group_is_suppressed_with_the_next_smallest_everywhere(http, world, campaign):
    viewer = world.auth("viewer")
    result = (await http.get(url(world, campaign), params={"by": "sector"}, headers=viewer)).json()
    groups = {group["value"]: group for group in result["breakdown"]["groups"]}
    # The journalist alone is under k = 5: the organisations, next smallest, go with her.
    assert groups["media"] == {"value": "media", "suppressed": True}
    assert groups["osc"] == {"value": "osc", "suppressed": True}
    assert groups["academia"]["respondents"] == 6
    page = await http.get(url(world, campaign, "results.html"), params={"by": "sector"},
                          headers=viewer)  # fmt: skip
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="es">' in page.text and "<svg" in page.text and "<table>" in page.text
    assert "Respondieron muy pocas personas para mostrarlo." in page.text
    for breakdown in (page.text.split("Por sector")[-1], str(result["breakdown"])):
        assert "Dato osc" not in breakdown and LONE_TEXT not in breakdown
        assert "Dato academia 0" in breakdown
    # The export leaves the journalist's sector blank: her row looks like any other.
    export = (await http.get(url(world, campaign, "export.csv"), headers=viewer)).content
    rows = list(csv.DictReader(io.StringIO(export.decode("utf-8-sig"))))
    assert {row["Sector"] for row in rows} == {"", "academia"}


async def test_by_something_else_is_refused(http, world, campaign):
    answer = await http.get(url(world, campaign), params={"by": "name"},
                            headers=world.auth("viewer"))  # fmt: skip
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"


async def test_another_secretariats_campaign_is_not_found(http, world, campaign):
    for tail in ("results", "results.html", "export.csv", "export.xlsx"):
        answer = await http.get(
            f"/secretariats/{world.other}/campaigns/{campaign}/{tail}",
            headers=world.auth("national_admin"),
        )
        assert answer.status_code == 404, tail


async def test_the_workbook_reads_back_one_row_per_completed_response(http, world, campaign):
    answer = await http.get(url(world, campaign, "export.xlsx"), params={"values": "values"},
                            headers=world.auth("viewer"))  # fmt: skip
    assert answer.status_code == 200
    workbook = load_workbook(io.BytesIO(answer.content), read_only=True)
    responses, columns = workbook.worksheets
    header, *rows = [list(row) for row in responses.iter_rows(values_only=True)]
    assert len(rows) == 12  # the one who cancelled is not there
    row = dict(zip(header, rows[0], strict=True))
    assert row["problems"] == "impunity procurement services"
    assert (row["affected/women"], row["affected/poor"]) == (1, 0)
    assert row["affected_other"] == "Otro osc"
    assert row["version"] == 1
    # Anonymous: the day only, no time of day.
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(row["start"])) or row["start"].hour == 0
    assert all(str(when).endswith("00:00:00") for when in (row["start"], row["end"]))
    described = [list(r) for r in columns.iter_rows(values_only=True)]
    assert [r[1] for r in described[1:]] == header


async def test_the_csv_has_a_byte_order_mark_and_no_formula(http, world, campaign, session_factory):
    catalog = DefinitionCatalog("2026-01")
    async with session_factory() as session, session.begin():
        found = await session.get(Campaign, campaign)
        person = await create_person(session, world.own, "test", roles={Role.CIVIL_SOCIETY},
                                     sector=Sector.ACADEMIA, telegram_id=3000)  # fmt: skip
        trap = script(Sector.ACADEMIA, 9)
        trap["evidence"] = [TextInput('=HYPERLINK("http://x")')]
        await surveys.answer(session, catalog, found, person, trap)
    answer = await http.get(url(world, campaign, "export.csv"), params={"lang": "en"},
                            headers=world.auth("viewer"))  # fmt: skip
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Started", "Finished", "Version"] and len(rows) == 14
    assert '\'=HYPERLINK("http://x")' in [cell for row in rows for cell in row]


async def test_an_interview_gives_each_respondents_long_answers_in_order(
    http, world, campaign, session_factory
):
    catalog = DefinitionCatalog("2026-01")
    async with session_factory() as session, session.begin():
        interview = Campaign(secretariat_id=world.own, definition_id="project_interview",
                             audience={})  # fmt: skip
        session.add(interview)
        await session.flush()
        person = await create_person(session, world.own, "test", roles={Role.STAFF},
                                     name="Entrevistada", telegram_id=4000)  # fmt: skip
        await surveys.answer(session, catalog, interview, person, {})
        interview_id, person_id = interview.id, person.id
    viewer = world.auth("viewer")
    result = (await http.get(url(world, interview_id), headers=viewer)).json()
    (respondent,) = result["interviews"]
    assert respondent["person_id"] == person_id
    first = respondent["answers"][0]
    assert [part["text"] for part in first["parts"]] == ["Parte 1", "Parte 2"]
    # Anonymous surveys never list anyone's answers.
    assert "interviews" not in (await http.get(url(world, campaign), headers=viewer)).json()


@pytest.mark.browser
async def test_a_coordinator_signs_in_and_reads_the_results_in_a_browser_without_script(
    http, world, campaign, tmp_path
):
    from playwright.async_api import async_playwright

    from tests.emulator.test_web_chat import CHROMIUM_ARGS

    secret = world.auth("viewer")["Authorization"].removeprefix("Bearer ")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = await browser.new_context(java_script_enabled=False, locale="en-US")
        page = await context.new_page()
        # Not signed in, the page sends the browser to sign in, and back once signed in.
        await page.goto(f"{http.base_url}{url(world, campaign, 'results.html')}?lang=en")
        assert page.url.startswith(f"{http.base_url}/signin?")
        await page.get_by_label("API token").fill("inc_not-a-token")
        await page.get_by_role("button", name="Sign in").click()
        assert await page.get_by_role("alert").inner_text() == "The API token is not valid."
        await page.screenshot(path=tmp_path / "signin.png", full_page=True)
        await page.get_by_label("API token").fill(secret)
        await page.get_by_role("button", name="Sign in").click()
        assert page.url == f"{http.base_url}{url(world, campaign, 'results.html')}?lang=en"
        cookie = next(c for c in await context.cookies() if c["name"] == "incorruptible_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["value"] != secret
        assert await page.get_attribute("html", "lang") == "en"
        assert await page.locator("h1").count() == 1
        headings = await page.locator("h2").all_inner_texts()
        assert (
            "Rank the three problems you consider most urgent, starting with the most important."
            in headings
        )
        # Every chart has its table, and the bars are drawn: the longest one is the widest.
        assert await page.locator("svg + table").count() == await page.locator("svg").count() > 0
        widths = [int(w) for w in await page.locator("svg").first.locator("rect").evaluate_all(
            "rects => rects.map(r => r.getAttribute('width'))")]  # fmt: skip
        assert max(widths) == 300
        await page.screenshot(path=tmp_path / "results.png", full_page=True)
        # The breakdowns, the other language and the exports are a click away.
        await page.get_by_role("link", name="By sector").click()
        assert "Too few respondents to show." in await page.locator("main").inner_text()
        async with page.expect_download() as download:
            await page.get_by_role("link", name="Download responses (CSV)").click()
        assert (await download.value).suggested_filename == f"campaign-{campaign}.csv"
        await page.get_by_role("link", name="Español").click()
        assert await page.get_attribute("html", "lang") == "es"
        await page.get_by_role("link", name="Campañas").click()
        assert await page.get_by_role("link", name="Ver").count() == 1
        await page.screenshot(path=tmp_path / "campaigns.png", full_page=True)
        # Signing out ends the browser's token: the cookie no longer opens anything.
        await page.get_by_role("button", name="Cerrar sesión").click()
        assert page.url.startswith(f"{http.base_url}/signin")
        stale = await http.get(
            url(world, campaign, "results"),
            headers={"Cookie": f"incorruptible_session={cookie['value']}"},
        )
        assert stale.status_code == 401
        await browser.close()


async def test_the_browser_cookie_only_reads(http, world, campaign):
    secret = world.auth("coordinator")["Authorization"].removeprefix("Bearer ")
    signed = await http.post(
        "/signin", data={"token": secret, "next": "https://elsewhere.example/"}
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/campaigns.html"
    cookie = {"Cookie": f"incorruptible_session={signed.cookies['incorruptible_session']}"}
    http.cookies.clear()
    assert (await http.get(url(world, campaign), headers=cookie)).status_code == 200
    closing = await http.post(
        f"/secretariats/{world.own}/campaigns/{campaign}/close", json={"version": 1}, headers=cookie
    )
    assert closing.status_code == 401
    # An API client without a token is told so, not sent to a form.
    assert (await http.get(url(world, campaign))).status_code == 401


async def test_the_campaigns_page_gives_dates_on_the_secretariats_calendar(
    http, world, campaign, session_factory
):
    # 23:30 in Mexico City is already the next day in UTC: the page says the 20th.
    closes = datetime(2026, 12, 20, 23, 30, tzinfo=ZoneInfo("America/Mexico_City"))
    async with session_factory() as session, session.begin():
        (await session.get(Campaign, campaign)).closes_at = closes
    page = await http.get(
        "/campaigns.html", headers={**world.auth("viewer"), "Accept-Language": "es"}
    )
    assert page.status_code == 200
    assert "20 de diciembre de 2026" in page.text and "21 de diciembre" not in page.text
