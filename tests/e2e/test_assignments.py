"""Staff hear that a task is theirs, end to end: a coordinator assigns it through the admin API or
a plan spreadsheet, the worker sends the outbox, and each new responsible on Telegram gets one
message with the task, its plan, dates and inputs, and the button to report progress."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest

from core.models import Role, TokenRole
from core.people.people import create_person
from emulator.client import SimulatedUser
from tests.e2e.conftest import Chat, buttons, send_outbox

ASSIGNED_ES = (
    "Ahora eres responsable de la tarea {code} «Convocar a las OSC» del plan «Plan de "
    "integridad».\n"
    "Inicio: 2 de febrero de 2026\n"
    "Entrega: 13 de febrero de 2026\n"
    "Insumos: Directorio de OSC; Padrón estatal\n"
    "Reporta tu avance con el botón de abajo."
)
ASSIGNED_EN = (
    "You are now responsible for task {code} “Convocar a las OSC” of the plan “Plan de "
    "integridad”.\n"
    "Start: February 2, 2026\n"
    "Due: February 13, 2026\n"
    "Inputs: Directorio de OSC; Padrón estatal\n"
    "Report your progress with the button below."
)


@dataclass
class Staff:
    ana: SimulatedUser  # speaks Spanish
    beto: SimulatedUser  # speaks English
    ana_id: int
    beto_id: int
    carmen_id: int  # not on Telegram


@pytest.fixture
async def staff(chat: Chat) -> Staff:
    secretariat_id = await chat.secretariat()
    users, ids = {}, {}
    async with chat.session_factory() as session, session.begin():
        for name, language in (("Ana", "es"), ("Beto", "en")):
            users[name] = await chat.client.user(name, language_code=language)
            person = await create_person(
                session,
                secretariat_id,
                "test",
                roles={Role.STAFF},
                name=f"{name} Pérez",
                language=language,
                telegram_id=users[name].id,
                consent_version=chat.settings.privacy_notice_version,
            )
            ids[name] = person.id
        carmen = await create_person(
            session, secretariat_id, "test", roles={Role.STAFF}, name="Carmen Ruiz"
        )
    return Staff(users["Ana"], users["Beto"], ids["Ana"], ids["Beto"], carmen.id)


async def test_each_new_responsible_hears_once_of_a_task_assigned_through_the_api(chat, staff):
    coordinator = await chat.bearer(TokenRole.COORDINATOR)
    base = f"/secretariats/{chat.secretariat_id}"
    async with chat.admin_api() as api:

        async def created(path: str, body: dict) -> dict:
            answer = await api.post(f"{base}{path}", headers=coordinator, json=body)
            assert answer.status_code == 201, answer.text
            return answer.json()

        # No reminder rules: the task's fixed due date would be reminded on some days of the
        # year the test runs on, and the running bot's worker would send it mid-test.
        plan = await created(
            "/plans", {"year": 2026, "title": "Plan de integridad", "reminder_rules": []}
        )
        objective = await created(f"/plans/{plan['id']}/objectives", {"title": "Participación"})
        activity = await created(f"/objectives/{objective['id']}/activities", {"title": "OSC"})
        task = await created(
            f"/activities/{activity['id']}/tasks",
            {
                "title": "Convocar a las OSC",
                "responsible_ids": [staff.ana_id, staff.carmen_id],
                "inputs": ["Directorio de OSC", "Padrón estatal"],
                "start_date": "2026-02-02",
                "due_date": "2026-02-13",
            },
        )
        assert await send_outbox(chat) == 1  # Carmen is not on Telegram
        told = await staff.ana.next_message()
        assert told["text"] == ASSIGNED_ES.format(code=task["code"])
        assert buttons(told) == ["Reportar avance"]

        change = {"responsible_ids": [staff.ana_id, staff.carmen_id, staff.beto_id]}
        for version in (task["version"], task["version"] + 1):  # the same change twice
            answer = await api.patch(
                f"{base}/tasks/{task['id']}",
                headers=coordinator,
                json={"version": version, **change},
            )
            assert answer.status_code == 200, answer.text
            assert await send_outbox(chat) == (1 if version == task["version"] else 0)
        told = await staff.beto.next_message()
        assert told["text"] == ASSIGNED_EN.format(code=task["code"])
        assert buttons(told) == ["Report progress"]

    await staff.beto.press(told, "Report progress")  # the button starts a report, as a reminder's
    async with chat.running():
        assert (await staff.beto.next_message())["text"].startswith("Progress report of task")
    assert len(await staff.ana.messages()) == 1
    assert [m["text"] for m in await staff.beto.messages()][:1] == [told["text"]]


async def test_responsibles_named_in_a_plan_spreadsheet_hear_of_their_tasks(chat, staff):
    content = io.StringIO()
    rows = csv.writer(content, delimiter=";")
    rows.writerow(
        ["Objetivo", "Actividad", "Tarea", "Responsables", "Insumos", "Inicio", "Término"]
    )
    rows.writerow(
        [
            "Participación",
            "OSC",
            "Convocar a las OSC",
            f"#{staff.ana_id}, #{staff.beto_id}, #{staff.carmen_id}",
            "Directorio de OSC\nPadrón estatal",
            "02/02/2026",
            "13/02/2026",
        ]
    )
    rows.writerow(["Participación", "OSC", "Sin responsables", "", "", "", ""])
    async with chat.admin_api() as api:
        answer = await api.post(
            f"/secretariats/{chat.secretariat_id}/plans/import",
            headers=await chat.bearer(TokenRole.COORDINATOR),
            data={"year": "2026", "title": "Plan de integridad"},
            files={"file": ("plan.csv", content.getvalue().encode(), "text/csv")},
        )
    assert answer.status_code == 201, answer.text
    assert await send_outbox(chat) == 2
    assert (await staff.ana.next_message())["text"] == ASSIGNED_ES.format(code="1.1.1")
    assert (await staff.beto.next_message())["text"] == ASSIGNED_EN.format(code="1.1.1")
