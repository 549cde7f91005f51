"""Views over a whole plan: progress, critical path, timeline, attention, workload."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from admin.auth import Id, Reader
from admin.schemas.views import (
    AttentionRead,
    ProgressNode,
    ScheduleRead,
    TimelineLink,
    TimelineRead,
    WeekLoad,
    WorkloadRead,
)
from core.models import utcnow
from core.services import plan_views, progress, schedule

router = APIRouter(prefix="/secretariats/{secretariat_id}/plans/{plan_id}", tags=["plan views"])


def _json(content: object) -> Response:
    """A plain JSON answer. The whole-plan views hold thousands of rows: building their dicts
    directly is several times faster than validating them into response models (the models
    still document the shape, and the API tests check answers against them)."""
    return Response(json.dumps(content, separators=(",", ":")), media_type="application/json")


def _progress(node: progress.Progress) -> dict:
    return {
        "level": node.level,
        "id": node.id,
        "code": node.code,
        "title": node.title,
        "percent": node.percent,
        "weight": float(node.weight),
        "estimated_hours": float(node.estimated_hours),
        "logged_hours": float(node.logged_hours),
        "tasks_total": node.tasks_total,
        "tasks_done": node.tasks_done,
        "children": [_progress(child) for child in node.children],
    }


@router.get("/progress", summary="Progress roll-up", response_model=ProgressNode)
async def plan_progress(plan_id: Id, scope: Reader):
    """Task → activity → objective → plan, each level the mean of the one below weighted by
    estimated hours (or by weight where set). Cancelled tasks are left out."""
    tree = await progress.plan_progress(scope.session, scope.secretariat_id, plan_id)
    return _json(_progress(tree))


@router.get("/critical-path", summary="Critical path with slack", response_model=ScheduleRead)
async def plan_critical_path(plan_id: Id, scope: Reader):
    """Earliest and latest dates of every task, its slack in days, and the chain of tasks that
    sets the plan's end."""
    result = await schedule.plan_schedule(scope.session, scope.secretariat_id, plan_id)
    return _json(
        {
            "start": result.start.isoformat(),
            "finish": result.finish.isoformat(),
            "critical_path": result.critical_path,
            "tasks": [
                {
                    "task_id": task.task_id,
                    "code": task.code,
                    "title": task.title,
                    "duration_days": task.duration_days,
                    "earliest_start": task.earliest_start.isoformat(),
                    "earliest_finish": task.earliest_finish.isoformat(),
                    "latest_start": task.latest_start.isoformat(),
                    "latest_finish": task.latest_finish.isoformat(),
                    "slack_days": task.slack_days,
                    "critical": task.critical,
                }
                for task in result.tasks
            ],
        }
    )


@router.get("/timeline", summary="Gantt-ready timeline", response_model=TimelineRead)
async def plan_timeline(plan_id: Id, scope: Reader):
    timeline = await plan_views.plan_timeline(scope.session, scope.secretariat_id, plan_id)
    return TimelineRead(
        start=timeline.start,
        finish=timeline.finish,
        items=timeline.items,
        links=[
            TimelineLink(predecessor_id=p, successor_id=s, lag_days=lag)
            for p, s, lag in timeline.links
        ],
    )


@router.get("/attention", summary="Overdue and blocked tasks", response_model=AttentionRead)
async def plan_attention(
    plan_id: Id,
    scope: Reader,
    as_of: Annotated[
        date | None, Query(description="Day to judge by; today (UTC) if unset.")
    ] = None,
):
    return await plan_views.plan_attention(
        scope.session, scope.secretariat_id, plan_id, as_of or utcnow().date()
    )


@router.get("/workload", summary="Hours per person and week", response_model=list[WorkloadRead])
async def plan_workload(plan_id: Id, scope: Reader):
    """Each task's estimated hours, shared by its responsibles and spread over the working days
    of its scheduled span. Cancelled tasks are left out."""
    loads = await plan_views.plan_workload(scope.session, scope.secretariat_id, plan_id)
    return [
        WorkloadRead(
            person_id=load.person_id,
            name=load.name,
            total_hours=round(float(load.total_hours), 2),
            weeks=[
                WeekLoad(
                    week="{}-W{:02d}".format(*monday.isocalendar()[:2]),
                    starts_on=monday,
                    hours=round(float(hours), 2),
                )
                for monday, hours in sorted(load.weeks.items())
            ],
        )
        for load in loads
    ]
