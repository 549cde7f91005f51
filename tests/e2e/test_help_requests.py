"""Asking the coordination for help, or reporting a task blocked, end to end: the person is told
the truth about who will hear of it, and the coordination finds every request in the admin API,
whether or not a coordinator could be reached on Telegram."""

from __future__ import annotations

from sqlalchemy import select, update

from core.models import Notification, Person, Task, TokenRole
from tests.e2e.conftest import Chat
from tests.support import factories
from tests.support.office import Office, reminded

NOBODY_ON_TELEGRAM = (
    "Tu solicitud de ayuda con la tarea {task} quedó registrada: tu coordinación la ve en el "
    "panel de administración. Todavía nadie ahí recibe mensajes por Telegram, así que también "
    "puedes comunicarte directamente con tu secretaría."
)
ON_TELEGRAM = (
    "Tu coordinación recibirá por Telegram tu solicitud de ayuda con la tarea {task}; se pondrán "
    "en contacto contigo."
)


async def carla_blocked_the_bot(chat: Chat, office: Office) -> None:
    async with chat.session_factory() as session, session.begin():
        await session.execute(
            update(Person).where(Person.telegram_id == office.carla.id).values(reachable=False)
        )


async def ids(chat: Chat, office: Office) -> tuple[int, Task]:
    async with chat.session_factory() as session:
        ana = await session.scalar(select(Person.id).where(Person.telegram_id == office.ana.id))
        task = await session.get_one(Task, office.report)
    return ana, task


async def test_help_with_no_coordinator_on_telegram_is_recorded_said_so_and_listed(chat, office):
    await carla_blocked_the_bot(chat, office)
    async with chat.running():
        reminder = await reminded(chat, office.ana)
        await office.ana.press(reminder, "Necesito ayuda")
        told = await office.ana.next_message()
    ana, task = await ids(chat, office)
    assert told["text"] == NOBODY_ON_TELEGRAM.format(task=task.label)
    async with chat.session_factory() as session:
        kinds = await session.scalars(
            select(Notification.kind).where(Notification.kind != "task_assigned")
        )
        assert kinds.all() == ["reminder"]  # nobody to write to about the request

    coordinator = await chat.bearer(TokenRole.COORDINATOR)
    base = f"/secretariats/{chat.secretariat_id}/help-requests"
    async with chat.admin_api() as api:
        listed = (await api.get(base, headers=coordinator)).json()
        attention = await api.get(
            f"/secretariats/{chat.secretariat_id}/plans/{office.plan}/attention",
            headers=coordinator,
        )
    [asked] = listed["items"]
    assert listed["total"] == 1
    assert {key: value for key, value in asked.items() if key != "asked_at"} == {
        "id": asked["id"],
        "kind": "help",
        "task_id": office.report,
        "task_code": task.code,
        "task_title": "Informe trimestral",
        "task_status": "pending",
        "plan_id": office.plan,
        "plan_title": "Plan anual",
        "person_id": ana,
        "person_name": "Ana Pérez",
        "message": None,
        "coordinators_notified": 0,
        "coordinator_reached": False,
        "resolved_at": None,
        "resolved_by": None,
        "version": 1,
    }
    assert attention.json()["help_requests"] == [asked]


async def test_help_reaches_a_coordinator_on_telegram_once_a_day(chat, office):
    async with chat.running():
        reminder = await reminded(chat, office.ana)
        await office.ana.press(reminder, "Necesito ayuda")
        told = await office.ana.next_message()
        await office.ana.press(reminder, "Necesito ayuda")  # twice the same day: told once
        again = await office.ana.next_message()
        asked = await office.carla.next_message()
    _ana, task = await ids(chat, office)
    assert told["text"] == again["text"] == ON_TELEGRAM.format(task=task.label)
    assert asked["text"] == (
        f"Ana Pérez necesita ayuda con la tarea {task.label}. Por favor ponte en contacto."
    )
    assert [message["text"] for message in await office.carla.messages()] == [asked["text"]]

    async with chat.admin_api() as api:
        listed = await api.get(
            f"/secretariats/{chat.secretariat_id}/help-requests",
            headers=await chat.bearer(TokenRole.VIEWER),
        )
    [request] = listed.json()["items"]
    assert (request["coordinators_notified"], request["coordinator_reached"]) == (1, True)


async def test_no_secretariat_sees_or_resolves_another_ones_requests(chat, office):
    async with chat.running():
        reminder = await reminded(chat, office.ana)
        await office.ana.press(reminder, "Necesito ayuda")
        await office.ana.next_message()
    async with chat.session_factory() as session, session.begin():
        other = (await factories.secretariat(session, "sesea-zac")).id
    own = await chat.bearer(TokenRole.COORDINATOR)
    foreign = await chat.bearer(TokenRole.COORDINATOR, secretariat_id=other)
    national = await chat.bearer(TokenRole.NATIONAL_ADMIN)
    base = f"/secretariats/{chat.secretariat_id}/help-requests"
    async with chat.admin_api() as api:
        [asked] = (await api.get(base, headers=own)).json()["items"]
        one = f"{base}/{asked['id']}"
        assert (await api.get(base, headers=foreign)).status_code == 404
        assert (await api.get(one, headers=foreign)).status_code == 404
        from_other = f"/secretariats/{other}/help-requests/{asked['id']}"
        assert (await api.get(from_other, headers=foreign)).status_code == 404
        refused = await api.post(f"{from_other}/resolve", headers=foreign, json={"version": 1})
        assert refused.status_code == 404
        assert (await api.get(f"/secretariats/{other}/help-requests", headers=national)).json()[
            "items"
        ] == []
        viewer = await chat.bearer(TokenRole.VIEWER)
        assert (
            await api.post(f"{one}/resolve", headers=viewer, json={"version": 1})
        ).status_code == 403

        stale = await api.post(f"{one}/resolve", headers=own, json={"version": 2})
        assert stale.status_code == 409
        resolved = await api.post(f"{one}/resolve", headers=own, json={"version": 1})
        assert resolved.status_code == 200
        assert resolved.json()["resolved_by"].startswith("token:")
        assert resolved.json()["version"] == 2
        again = await api.post(f"{one}/resolve", headers=own, json={"version": 2})
        assert again.status_code == 409 and "ya está resuelta" in again.json()["detail"]
        assert (await api.get(base, headers=own)).json()["items"] == []
        done = (await api.get(base, headers=own, params={"state": "resolved"})).json()["items"]
        assert [item["id"] for item in done] == [asked["id"]]


async def report_blocked(office: Office, reason: str) -> list[str]:
    """Ana reports the task of the reminder blocked; what the bot says when it is recorded."""
    status = await office.ana.next_message()
    await office.ana.press(status, "2. Bloqueada")
    await office.ana.next_message()  # what blocks it
    await office.ana.send(reason)
    await office.ana.next_message()  # percent
    await office.ana.send("30")
    await office.ana.next_message()  # hours
    await office.ana.send("0")
    note = await office.ana.next_message()
    await office.ana.press(note, "Omitir")
    evidence = await office.ana.next_message()
    await office.ana.press(evidence, "Listo")
    return [(await office.ana.next_message())["text"] for _ in range(2)]


async def test_a_blocked_task_is_shown_with_its_reason_though_no_coordinator_hears_of_it(
    chat, office
):
    await carla_blocked_the_bot(chat, office)
    async with chat.running():
        reminder = await reminded(chat, office.ana)
        await office.ana.press(reminder, "Reportar avance")
        await office.ana.next_message()  # which task
        closing = await report_blocked(office, "Falta la firma del titular")
    ana, task = await ids(chat, office)
    assert closing[1] == (
        f"Tarea {task.label}: bloqueada, 30%.\n"
        "Nadie de tu coordinación recibe mensajes por Telegram: lo que la bloquea quedó "
        "registrado y tu coordinación lo ve en el panel de administración."
    )
    coordinator = await chat.bearer(TokenRole.COORDINATOR)
    base = f"/secretariats/{chat.secretariat_id}"
    async with chat.admin_api() as api:
        attention = (
            await api.get(f"{base}/plans/{office.plan}/attention", headers=coordinator)
        ).json()
        listed = await api.get(
            f"{base}/help-requests", headers=coordinator, params={"kind": "blocked"}
        )
    [blocked] = attention["blocked"]
    assert (blocked["task_id"], blocked["blocked_reason"]) == (
        office.report,
        "Falta la firma del titular",
    )
    [request] = listed.json()["items"]
    assert (request["person_id"], request["message"], request["coordinators_notified"]) == (
        ana,
        "Falta la firma del titular",
        0,
    )


async def test_a_blocked_report_reaches_the_coordinator_and_unblocking_resolves_it(chat, office):
    async with chat.running():
        reminder = await reminded(chat, office.ana)
        await office.ana.press(reminder, "Reportar avance")
        await office.ana.next_message()  # which task
        closing = await report_blocked(office, "Falta la firma del titular")
        heard = await office.carla.next_message()
    _ana, task = await ids(chat, office)
    assert closing[1].endswith("\nTu coordinación recibirá por Telegram lo que la bloquea.")
    assert heard["text"] == (
        f"Ana Pérez reporta la tarea {task.label} bloqueada: Falta la firma del titular"
    )
    coordinator = await chat.bearer(TokenRole.COORDINATOR)
    async with chat.admin_api() as api:
        moved = await api.patch(
            f"/secretariats/{chat.secretariat_id}/tasks/{office.report}",
            headers=coordinator,
            json={"version": task.version, "status": "in_progress"},
        )
        assert moved.status_code == 200
        base = f"/secretariats/{chat.secretariat_id}/help-requests"
        assert (await api.get(base, headers=coordinator)).json()["items"] == []
        [settled] = (await api.get(base, headers=coordinator, params={"state": "resolved"})).json()[
            "items"
        ]
    assert settled["resolved_by"].startswith("token:")
