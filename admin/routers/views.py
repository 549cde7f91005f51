"""Views over a whole plan: progress, critical path, timeline, attention, workload."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from admin.auth import Id, Reader
from admin.plan_view_cache import PlanViewCache
from admin.problems import Responses
from admin.routers.params import AsOf, judged_on
from admin.schemas.views import (
    AttentionRead,
    ProgressNode,
    ScheduleRead,
    TimelineLink,
    TimelineRead,
    WeekLoad,
    WorkloadRead,
)
from core.plans import progress, schedule, views
from core.plans.views import Attention

router = APIRouter(prefix="/secretariats/{secretariat_id}/plans/{plan_id}", tags=["plan views"])


async def plan_view_cache(request: Request) -> PlanViewCache:  # a coroutine: no worker thread
    cache: PlanViewCache = request.app.state.plan_views
    return cache


Views = Annotated[PlanViewCache, Depends(plan_view_cache)]


NOT_MODIFIED: Responses = {
    304: {"description": "Nothing has changed since the ETag in If-None-Match."}
}


@router.get(
    "/progress", summary="Progress roll-up", response_model=ProgressNode, responses=NOT_MODIFIED
)
async def plan_progress(plan_id: Id, scope: Reader, views: Views, request: Request) -> Response:
    """Task → activity → objective → plan, each level the mean of the one below weighted by
    estimated hours (or by weight where set). Cancelled tasks are left out.

    Carries an ETag: send it back in `If-None-Match` to get 304 while nothing has changed."""
    return await views.respond(request, scope, plan_id, "progress", progress.plan_progress)


@router.get(
    "/critical-path",
    summary="Critical path with slack",
    response_model=ScheduleRead,
    responses=NOT_MODIFIED,
)
async def plan_critical_path(
    plan_id: Id, scope: Reader, views: Views, request: Request
) -> Response:
    """Earliest and latest dates of every task, its slack in days, and the chain of tasks that
    sets the plan's end.

    Carries an ETag: send it back in `If-None-Match` to get 304 while nothing has changed."""
    build = partial(schedule.plan_schedule, graphs=views.graphs)
    return await views.respond(request, scope, plan_id, "critical-path", build)


@router.get("/timeline", summary="Gantt-ready timeline", response_model=TimelineRead)
async def plan_timeline(plan_id: Id, scope: Reader) -> TimelineRead:
    timeline = await scope.read(views.plan_timeline, plan_id)
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
async def plan_attention(plan_id: Id, scope: Reader, as_of: AsOf = None) -> Attention:
    return await scope.read(views.plan_attention, plan_id, await judged_on(scope, as_of))


@router.get("/workload", summary="Hours per person and week", response_model=list[WorkloadRead])
async def plan_workload(plan_id: Id, scope: Reader) -> list[WorkloadRead]:
    """Each task's estimated hours, shared by its responsibles and spread over the working days
    of its scheduled span. Cancelled tasks are left out."""
    loads = await scope.read(views.plan_workload, plan_id)
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
