"""Progress reports: who may report, what they change, hand-offs and blocked tasks."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from core.errors import Conflict, InvalidInput, PermissionDenied
from core.models import (
    AuditEvent,
    EvidenceKind,
    HelpKind,
    HelpRequest,
    Notification,
    Role,
    Task,
    TaskStatus,
)
from core.people.people import create_person
from core.plans import dependencies, tasks
from core.reporting import reports
from tests.support import factories


@pytest.fixture
async def plan(session):
    """Two tasks feeding a third; Ana does the first two, Beto the third."""
    async with session.begin():
        sec = await factories.secretariat(session)
        ana = await create_person(session, sec.id, "t", roles={Role.STAFF}, name="Ana")
        beto = await create_person(session, sec.id, "t", roles={Role.STAFF}, name="Beto")
        coordinator = await create_person(session, sec.id, "t", roles={Role.COORDINATOR}, name="C")
        _plan, activity = await factories.plan_with_activity(session, sec.id)
        add = tasks.add_task
        first = await add(session, sec.id, "t", activity.id, title="Encuesta",
                          outputs=["Cuestionario"], responsible_ids=[ana.id])  # fmt: skip
        second = await add(session, sec.id, "t", activity.id, title="Datos",
                           outputs=["Base de datos"], responsible_ids=[ana.id])  # fmt: skip
        third = await add(session, sec.id, "t", activity.id, title="Informe",
                          responsible_ids=[beto.id])  # fmt: skip
        for predecessor in (first, second):
            await dependencies.add_dependency(
                session, sec.id, "t", predecessor_id=predecessor.id, successor_id=third.id
            )
    return {"ana": ana, "beto": beto, "coordinator": coordinator, "tasks": (first.id, second.id,
            third.id)}  # fmt: skip


async def inputs_ready(session):
    return (
        await session.scalars(select(Notification).where(Notification.kind == "inputs_ready"))
    ).all()


async def test_a_report_updates_the_task_and_is_audited_with_evidence_hashes(session, plan):
    first, _second, _third = plan["tasks"]
    async with session.begin():
        await reports.submit_report(
            session, plan["ana"], first, status="in_progress", percent_done=40, hours="3.5",
            note="Avance", evidence=[reports.EvidenceItem(EvidenceKind.PHOTO, "a" * 64, "file-1")],
        )  # fmt: skip
        await reports.submit_report(session, plan["ana"], first, status="in_progress", hours=2)
    async with session.begin():
        task = await session.get(Task, first, populate_existing=True)
        assert (task.status, task.percent, task.logged_hours) == ("in_progress", 40, Decimal("5.5"))
        event = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "report.create").order_by(AuditEvent.seq)
        )
        assert event.data["evidence"] == [{"kind": "photo", "sha256": "a" * 64}]


async def test_successors_hear_when_all_their_inputs_are_ready(session, plan):
    first, second, third = plan["tasks"]
    async with session.begin():
        await reports.submit_report(session, plan["ana"], first, status="done")
    async with session.begin():
        assert await inputs_ready(session) == []  # the second input is still missing
    async with session.begin():
        await reports.submit_report(session, plan["ana"], second, status="done")
    async with session.begin():
        (notice,) = await inputs_ready(session)
        assert notice.person_id == plan["beto"].id and notice.subject_id == third
        assert "Base de datos" in notice.text


async def test_a_blocked_task_tells_the_coordinators_on_telegram_and_is_kept_for_all(session, plan):
    first, second, _ = plan["tasks"]
    async with session.begin():
        await reports.submit_report(
            session, plan["ana"], first, status="blocked", blocked_reason="Sin presupuesto"
        )
        plan["coordinator"].telegram_id = 555
        await reports.submit_report(
            session, plan["ana"], second, status="blocked", blocked_reason="Sin datos"
        )
    async with session.begin():
        alerts = (
            await session.scalars(select(Notification).where(Notification.kind == "task_blocked"))
        ).all()
        kept = (await session.scalars(select(HelpRequest).order_by(HelpRequest.id))).all()
    # Only once the coordinator is on Telegram is there anyone to write to.
    assert [(alert.person_id, alert.text) for alert in alerts] == [
        (plan["coordinator"].id, "Ana reporta la tarea 1.1.2 «Datos» bloqueada: Sin datos")
    ]
    assert [(k.task_id, k.kind, k.message, k.coordinators_notified) for k in kept] == [
        (first, HelpKind.BLOCKED, "Sin presupuesto", 0),
        (second, HelpKind.BLOCKED, "Sin datos", 1),
    ]


async def test_a_task_unblocked_or_blocked_again_settles_its_earlier_request(session, plan):
    first, *_ = plan["tasks"]
    async with session.begin():
        for reason in ("Sin presupuesto", "Sin firma"):
            await reports.submit_report(
                session, plan["ana"], first, status="blocked", blocked_reason=reason
            )
        await reports.submit_report(
            session, plan["ana"], first, status="blocked", blocked_reason="Sin firma"
        )  # the same reason again: nothing new
    async with session.begin():
        kept = (await session.scalars(select(HelpRequest).order_by(HelpRequest.id))).all()
        assert [(k.message, k.resolved_by) for k in kept] == [
            ("Sin presupuesto", f"person:{plan['ana'].id}"),
            ("Sin firma", None),
        ]
        await reports.submit_report(session, plan["ana"], first, status="in_progress")
    async with session.begin():
        assert (
            await session.scalar(select(HelpRequest).where(HelpRequest.resolved_at.is_(None)))
            is None
        )


@pytest.mark.parametrize(
    ("who", "fields", "error", "message"),
    [
        ("beto", {"status": "in_progress"}, PermissionDenied, "is not assigned to you"),
        ("ana", {"status": "in_progress", "percent_done": 250}, InvalidInput, "from 0 to 100"),
        ("ana", {"status": "in_progress", "hours": -2}, InvalidInput, "cannot be negative"),
        ("ana", {"status": "in_progress", "hours": 5000}, InvalidInput, "more hours"),
        ("ana", {"status": "blocked"}, InvalidInput, "what blocks"),
        ("ana", {"status": "pending"}, InvalidInput, "in progress, blocked or done"),
    ],
)
async def test_bad_reports_are_refused_and_nothing_changes(session, plan, who, fields, error,
                                                           message):  # fmt: skip
    first, *_ = plan["tasks"]
    with pytest.raises(error, match=message):
        async with session.begin():
            await reports.submit_report(session, plan[who], first, **fields)
    async with session.begin():
        task = await session.get(Task, first, populate_existing=True)
        assert (task.status, task.logged_hours) == (TaskStatus.PENDING, 0)


async def test_a_finished_task_takes_no_more_reports(session, plan):
    first, *_ = plan["tasks"]
    async with session.begin():
        await reports.submit_report(session, plan["ana"], first, status="done")
    with pytest.raises(Conflict, match="already done"):
        async with session.begin():
            await reports.submit_report(session, plan["ana"], first, status="in_progress")
