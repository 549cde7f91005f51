"""A closed campaign's results published on the secretariat's public page and in the open data,
over HTTP on both databases: counts and rankings in the visitor's language, nothing anyone wrote,
nothing for a survey or a question too few answered, and gone again once withdrawn."""

from __future__ import annotations

import re

import pytest

from conversations.engine.inputs import ChoiceInput, CommandInput, TextInput
from core.chat.definitions import DefinitionCatalog
from core.models import Campaign, Role, Sector
from core.people.people import create_person
from tests.support import surveys
from tests.support.open_data import validated_package

WRITTEN = "Lo que escribió una persona"


def script(n: int) -> dict:
    return {
        "problems": [ChoiceInput("impunity" if n % 3 else "opacity"), ChoiceInput("procurement"),
                     ChoiceInput("services")],
        "severity": [ChoiceInput(str(1 + n % 5))],
        "affected": [ChoiceInput("women"), ChoiceInput("other"), TextInput(f"{WRITTEN} {n}"),
                     CommandInput("done")],
        "missing_problem": [ChoiceInput("no")],
        "evidence": [TextInput(f"{WRITTEN} en detalle {n}")],
    }  # fmt: skip


async def answered(session_factory, world, people: int, first_id: int) -> int:
    """A campaign of the prioritisation survey that ``people`` of civil society answered."""
    catalog = DefinitionCatalog("2026-01")
    async with session_factory() as session, session.begin():
        campaign = Campaign(
            secretariat_id=world.own, definition_id="problem_prioritisation", audience={}
        )
        session.add(campaign)
        await session.flush()
        for n in range(people):
            person = await create_person(
                session, world.own, "test", roles={Role.CIVIL_SOCIETY}, sector=Sector.OSC,
                name=f"Persona {first_id + n}", telegram_id=first_id + n,
            )  # fmt: skip
            await surveys.answer(session, catalog, campaign, person, script(n))
        return campaign.id


@pytest.fixture
async def campaign(session_factory, world) -> int:
    return await answered(session_factory, world, 6, 1000)


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


async def change(http, world, campaign: int, step: str, role: str = "coordinator"):
    version = (
        await http.get(f"/secretariats/{world.own}/campaigns/{campaign}", headers=world.auth(role))
    ).json()["version"]
    return await http.post(
        f"/secretariats/{world.own}/campaigns/{campaign}/{step}",
        json={"version": version},
        headers=world.auth(role),
    )


async def test_a_closed_campaigns_published_results_show_counts_and_no_written_word(
    http, world, campaign, tmp_path
):
    refused = await change(http, world, campaign, "results/publish")
    assert refused.status_code == 409
    assert "cerrada" in refused.json()["detail"]
    assert (await change(http, world, campaign, "close")).status_code == 200
    assert (await change(http, world, campaign, "results/publish", "viewer")).status_code == 403
    published = await change(http, world, campaign, "results/publish")
    assert published.status_code == 200
    assert published.json()["results_published_at"] is not None
    assert (await change(http, world, campaign, "results/publish")).status_code == 409

    page = await http.get("/secretarias/sesea-ags", headers={"Accept-Language": "es"})
    assert page.status_code == 200
    shown = words(page.text)
    assert "Resultados de encuestas" in shown
    assert "Priorización de problemas" in shown and "6 personas respondieron" in shown
    # Among seven options, first place earns 7 points, second 6: everyone put procurement
    # second (36), four put impunity first (28) and two opacity (14).
    assert re.search(
        r"contrataciones públicas: 36 puntos; 0 personas la pusieron primero.*"
        r"Impunidad[^:]*: 28 puntos; 4 personas la pusieron primero.*"
        r"Opacidad[^:]*: 14 puntos; 2 personas la pusieron primero",
        shown,
    )
    assert re.search(r"Opción Proporción Personas 1 33.3 ?% 2 2 16.7 ?% 1", shown)
    assert re.search(r"Mujeres 100 ?% 6", shown)
    assert "Promedio 2.7; mediana 2.5." in shown
    assert WRITTEN not in page.text and "Persona 100" not in page.text
    # The same figures in the open data, whose package still validates.
    header, *rows = (await http.get("/datos/resultados-de-encuestas.json")).json()
    found = [dict(zip(header, row, strict=True)) for row in rows]
    women = next(row for row in found if row["option"] == "women")
    assert (women["count"], women["percent"], women["respondents"]) == (6, 100.0, 6)
    impunity = next(row for row in found if row["option"] == "impunity")
    assert (impunity["borda_points"], impunity["first_places"]) == (28, 4)
    severity = [row for row in found if row["question_id"] == "severity"]
    assert [row["option"] for row in severity] == ["1", "2", "3", "4", "5"]
    assert {row["median"] for row in severity} == {2.5}
    assert not any(row["question_id"] == "evidence" for row in found)
    report = await validated_package(http, tmp_path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    for path in ("/datos/resultados-de-encuestas.csv", "/datos/resultados-de-encuestas.json"):
        assert WRITTEN not in (await http.get(path)).text

    english = await http.get("/secretarias/sesea-ags?lang=en")
    assert "Survey results" in words(english.text) and "6 people answered" in words(english.text)

    assert (await change(http, world, campaign, "results/withdraw")).status_code == 200
    page = await http.get("/secretarias/sesea-ags", headers={"Accept-Language": "es"})
    assert "Resultados de encuestas" not in words(page.text)


async def test_a_survey_too_few_answered_shows_no_figure(http, world, session_factory):
    few = await answered(session_factory, world, 2, 3000)
    assert (await change(http, world, few, "close")).status_code == 200
    assert (await change(http, world, few, "results/publish")).status_code == 200
    shown = words((await http.get("/secretarias/sesea-ags?lang=es")).text)
    assert "2 personas respondieron" in shown
    assert "Respondieron muy pocas personas para mostrar sus cifras." in shown
    assert "Impunidad" not in shown and "Mujeres" not in shown


async def test_another_secretariat_cannot_publish(http, world, campaign):
    national = world.auth("national_admin")
    other = await http.post(
        f"/secretariats/{world.other}/campaigns/{campaign}/results/publish",
        json={"version": 1},
        headers=national,
    )
    assert other.status_code == 404
