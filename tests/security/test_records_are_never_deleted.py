"""A deletion never takes the record of work with it: a task with progress reports (their
evidence, validation requests and votes), and every plan, objective or activity holding one,
or an indicator with measurements, is refused with 409 naming what holds it. Before, deleting
such a task removed its reports, evidence rows and votes, leaving files orphaned on disk and
only ``task.delete`` in the audit chain."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from core.models import (
    Activity,
    Evidence,
    Measurement,
    Objective,
    ProgressReport,
    Role,
    Sector,
    Task,
    ValidationRequest,
    ValidationVote,
)
from core.people.people import create_person
from core.plans import indicators, measurements, tasks
from core.reporting import evidence, reports
from core.reporting.evidence import EvidenceItem
from core.validation.policy import set_policy
from core.validation.requests import request_validation
from core.validation.votes import cast_vote

COUNTED = (ProgressReport, Evidence, ValidationRequest, ValidationVote, Measurement)


async def counts(session_factory) -> dict[str, int]:
    async with session_factory() as session:
        return {
            model.__name__: int(await session.scalar(select(func.count()).select_from(model)))
            for model in COUNTED
        }


@pytest.fixture
async def reported(world, session_factory, settings) -> dict[str, int]:
    """A task of the own plan with a report, two evidence files, a validation and its vote."""
    files = [
        evidence.store(settings.evidence_dir, data, max_bytes=1024, filename=name)
        for data, name in ((b"%PDF-1.4 acta", "acta.pdf"), (b"%PDF-1.4 lista", "lista.pdf"))
    ]
    async with session_factory() as session, session.begin():
        ana = await create_person(session, world.own, "t", roles={Role.STAFF}, name="Ana")
        validator = await create_person(
            session,
            world.own,
            "t",
            roles={Role.CIVIL_SOCIETY},
            name="Lupe",
            sector=Sector.OSC,
            telegram_id=5_550_001,
        )
        activity = await session.scalar(
            select(Activity).join(Objective).where(Objective.plan_id == world.own_plan)
        )
        task = await tasks.add_task(
            session, world.own, "t", activity.id, title="Acta", responsible_ids=[ana.id]
        )
        report = await reports.submit_report(
            session,
            ana,
            task.id,
            status="in_progress",
            percent_done=50,
            evidence=[
                EvidenceItem(
                    kind="document",
                    sha256=stored.sha256,
                    stored_name=stored.name,
                    size=stored.size,
                    mime_type=stored.mime_type,
                )
                for stored in files
            ],
        )
        await session.flush()
        # Lupe alone is asked, so the plan's policy needs her confirmation only.
        await set_policy(session, world.own, "t", world.own_plan, validators_per_request=1,
                         min_confirmations=1, min_sectors=1)  # fmt: skip
        request = await request_validation(session, world.own, "t", report.id)
        await cast_vote(session, validator, request.assignments[0].id, "confirm")
        indicator = await indicators.create_indicator(
            session, world.own, "t", world.own_plan, name="OSC", unit="osc", frequency="annual"
        )
        await measurements.record_measurement(
            session, world.own, "t", indicator.id, period=date(2026, 3, 31), value=4
        )
        await session.flush()
        return {
            "task": task.id,
            "activity": activity.id,
            "objective": activity.objective_id,
            "plan": world.own_plan,
            "indicator": indicator.id,
        }


@pytest.mark.parametrize(
    ("kind", "path", "detail"),
    [
        ("task", "tasks", "Task 1.1.1 “Acta” has progress reports (1)"),
        ("activity", "activities", "Activity 1.1 “Act” has tasks with progress reports (1)"),
        ("objective", "objectives", "Objective 1 “Obj” has tasks with progress reports (1)"),
        ("plan", "plans", "Plan “Plan anual” has tasks with progress reports (1)"),
        ("indicator", "indicators", "Indicator “OSC” has measurements (1)"),
    ],
)
async def test_a_part_holding_a_record_is_refused_and_everything_stays(
    http, world, reported, session_factory, settings, kind, path, detail
):
    before = await counts(session_factory)
    headers = {**world.auth("coordinator"), "Accept-Language": "en"}
    url = f"/secretariats/{world.own}/{path}/{reported[kind]}"
    version = (await http.get(url, headers=headers)).json()["version"]
    response = await http.delete(url, params={"version": version}, headers=headers)
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"].startswith(detail)
    assert "cannot be deleted" in response.json()["detail"]
    assert await counts(session_factory) == before
    assert before == {model.__name__: 1 for model in COUNTED} | {"Evidence": 2}
    assert len(list(settings.evidence_dir.rglob("*.pdf"))) == 2


async def test_the_refusal_says_the_task_can_be_cancelled_and_cancelling_works(
    http, world, reported
):
    headers = {**world.auth("coordinator"), "Accept-Language": "en"}
    url = f"/secretariats/{world.own}/tasks/{reported['task']}"
    refused = await http.delete(url, params={"version": 2}, headers=headers)
    assert refused.status_code == 409
    assert "Set its status to cancelled instead." in refused.json()["detail"]
    spanish = await http.delete(url, params={"version": 2}, headers=world.auth("coordinator"))
    assert spanish.json()["detail"].endswith("Cambia su estado a cancelada.")
    cancelled = await http.patch(url, json={"version": 2, "status": "cancelled"}, headers=headers)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"


async def test_a_task_without_reports_is_still_deleted(http, world, session_factory):
    async with session_factory() as session, session.begin():
        activity = await session.scalar(
            select(Activity).join(Objective).where(Objective.plan_id == world.own_plan)
        )
        task = await tasks.add_task(session, world.own, "t", activity.id, title="Borrador")
    response = await http.delete(
        f"/secretariats/{world.own}/tasks/{task.id}",
        params={"version": 1},
        headers=world.auth("coordinator"),
    )
    assert response.status_code == 204


@pytest.mark.parametrize("model", [Task, ProgressReport, Activity])
async def test_the_database_itself_refuses_a_cascade_through_a_record(
    reported, session_factory, model
):
    ids = {Task: reported["task"], Activity: reported["activity"]}
    target = ids.get(model)
    statement = delete(model) if target is None else delete(model).where(model.id == target)
    async with session_factory() as session:
        with pytest.raises(IntegrityError):
            async with session.begin():
                await session.execute(statement)
