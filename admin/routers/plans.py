"""Plans, their objectives (lines of action) and activities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from admin.auth import Id, PlanEditor, Reader
from admin.routers.items import item_routes
from admin.routers.params import Limit, Offset, sort_param
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
from core.plans import plans, structure

router = APIRouter(prefix="/secretariats/{secretariat_id}", tags=["plans"])
Positioned = sort_param("position", "code", "title", default="position")


@router.get("/plans", summary="List plans", response_model=Page[PlanRead])
async def list_plans(
    scope: Reader,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    sort: sort_param("id", "year", "title", default="-year") = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    return await scope.read(plans.list_plans, year=year, sort=sort, limit=limit, offset=offset)


@router.post(
    "/plans", summary="Create a plan", status_code=status.HTTP_201_CREATED, response_model=PlanRead
)
async def create_plan(body: PlanCreate, scope: PlanEditor):
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


@router.get(
    "/plans/{plan_id}/objectives", summary="List objectives", response_model=Page[ObjectiveRead]
)
async def list_objectives(
    plan_id: Id, scope: Reader, sort: Positioned = None, limit: Limit = 50, offset: Offset = 0
):
    return await scope.read(
        structure.list_objectives, plan_id, sort=sort, limit=limit, offset=offset
    )


@router.post(
    "/plans/{plan_id}/objectives",
    summary="Add an objective",
    status_code=status.HTTP_201_CREATED,
    response_model=ObjectiveRead,
)
async def create_objective(plan_id: Id, body: ObjectiveCreate, scope: PlanEditor):
    return await scope.change(structure.add_objective, plan_id, **body.model_dump())


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


@router.get(
    "/objectives/{objective_id}/activities",
    summary="List activities",
    response_model=Page[ActivityRead],
)
async def list_activities(
    objective_id: Id, scope: Reader, sort: Positioned = None, limit: Limit = 50, offset: Offset = 0
):
    return await scope.read(
        structure.list_activities, objective_id, sort=sort, limit=limit, offset=offset
    )


@router.post(
    "/objectives/{objective_id}/activities",
    summary="Add an activity",
    status_code=status.HTTP_201_CREATED,
    response_model=ActivityRead,
)
async def create_activity(objective_id: Id, body: ActivityCreate, scope: PlanEditor):
    return await scope.change(structure.add_activity, objective_id, **body.model_dump())


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
