"""Plans, their objectives (lines of action) and activities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from admin.auth import PlanEditor, Reader
from admin.routers.items import collection_routes, item_routes
from admin.routers.params import Limit, Offset, creates, sort_by
from admin.schemas.common import Page
from admin.schemas.plans import (
    ActivityCreate,
    ActivityRead,
    ActivityUpdate,
    ObjectiveCreate,
    ObjectiveRead,
    ObjectiveUpdate,
    PlanCreate,
    PlanRead,
    PlanUpdate,
)
from core.infra import listing
from core.models import Plan
from core.plans import plans, structure

router = APIRouter(prefix="/secretariats/{secretariat_id}", tags=["plans"])
PlanSort = Annotated[str | None, sort_by("id", "year", "title", default="-year")]
Positioned = sort_by("position", "code", "title", default="position")


@router.get("/plans", summary="List plans", response_model=Page[PlanRead])
async def list_plans(
    scope: Reader,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    sort: PlanSort = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> listing.Page[Plan]:
    return await scope.read(plans.list_plans, year=year, sort=sort, limit=limit, offset=offset)


@creates(router, "/plans", PlanRead, "Create a plan")
async def create_plan(body: PlanCreate, scope: PlanEditor) -> Plan:
    return await scope.change(plans.create_plan, **body.model_dump())


item_routes(
    router,
    "plan",
    "a plan",
    path="/plans/{plan_id}",
    read=plans.get_plan,
    update=plans.update_plan,
    delete=plans.delete_plan,
    read_model=PlanRead,
    update_model=PlanUpdate,
    deletion="Deletes the plan with everything in it; its audit events stay. A plan whose "
    "tasks have progress reports, or whose indicators have measurements, is kept (409).",
)


collection_routes(
    router,
    "objective",
    "objectives",
    path="/plans/{plan_id}/objectives",
    parent="plan",
    listing=structure.list_objectives,
    adding=structure.add_objective,
    read_model=ObjectiveRead,
    create_model=ObjectiveCreate,
    sort=Positioned,
    summaries=("List objectives", "Add an objective"),
)


item_routes(
    router,
    "objective",
    "an objective",
    path="/objectives/{objective_id}",
    read=structure.get_objective,
    update=structure.update_objective,
    delete=structure.delete_objective,
    read_model=ObjectiveRead,
    update_model=ObjectiveUpdate,
    deletion="Deletes the objective with everything in it. One whose tasks have progress reports "
    "is kept (409): cancel those tasks instead.",
)


collection_routes(
    router,
    "activity",
    "activities",
    path="/objectives/{objective_id}/activities",
    parent="objective",
    listing=structure.list_activities,
    adding=structure.add_activity,
    read_model=ActivityRead,
    create_model=ActivityCreate,
    sort=Positioned,
    summaries=("List activities", "Add an activity"),
)


item_routes(
    router,
    "activity",
    "an activity",
    path="/activities/{activity_id}",
    read=structure.get_activity,
    update=structure.update_activity,
    delete=structure.delete_activity,
    read_model=ActivityRead,
    update_model=ActivityUpdate,
    deletion="Deletes the activity with everything in it. One whose tasks have progress reports "
    "is kept (409): cancel those tasks instead.",
)
