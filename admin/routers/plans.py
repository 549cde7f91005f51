"""Plans, their objectives (lines of action) and activities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from admin.auth import Id, PlanEditor, Reader
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
VersionQuery = Annotated[int, Query(ge=1, le=2**31 - 1, description="The version you last read.")]
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


@router.get("/plans/{plan_id}", summary="Read a plan", response_model=PlanRead)
async def read_plan(plan_id: Id, scope: Reader):
    return await scope.read(plans.get_plan, plan_id)


@router.patch("/plans/{plan_id}", summary="Change a plan", response_model=PlanRead)
async def update_plan(plan_id: Id, body: PlanUpdate, scope: PlanEditor):
    return await scope.change(plans.update_plan, plan_id, **body.model_dump(exclude_unset=True))


@router.delete("/plans/{plan_id}", summary="Delete a plan", status_code=status.HTTP_204_NO_CONTENT)
async def delete_plan(plan_id: Id, version: VersionQuery, scope: PlanEditor) -> None:
    """Deletes the plan with everything in it; its audit events stay."""
    await scope.change(plans.delete_plan, plan_id, version=version)


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


@router.get("/objectives/{objective_id}", summary="Read an objective", response_model=ObjectiveRead)
async def read_objective(objective_id: Id, scope: Reader):
    return await scope.read(structure.get_objective, objective_id)


@router.patch(
    "/objectives/{objective_id}", summary="Change an objective", response_model=ObjectiveRead
)
async def update_objective(objective_id: Id, body: ObjectiveUpdate, scope: PlanEditor):
    return await scope.change(
        structure.update_objective, objective_id, **body.model_dump(exclude_unset=True)
    )


@router.delete(
    "/objectives/{objective_id}",
    summary="Delete an objective",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def delete_objective(objective_id: Id, version: VersionQuery, scope: PlanEditor) -> None:
    await scope.change(structure.delete_objective, objective_id, version=version)


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


@router.get("/activities/{activity_id}", summary="Read an activity", response_model=ActivityRead)
async def read_activity(activity_id: Id, scope: Reader):
    return await scope.read(structure.get_activity, activity_id)


@router.patch(
    "/activities/{activity_id}", summary="Change an activity", response_model=ActivityRead
)
async def update_activity(activity_id: Id, body: ActivityUpdate, scope: PlanEditor):
    return await scope.change(
        structure.update_activity, activity_id, **body.model_dump(exclude_unset=True)
    )


@router.delete(
    "/activities/{activity_id}",
    summary="Delete an activity",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def delete_activity(activity_id: Id, version: VersionQuery, scope: PlanEditor) -> None:
    await scope.change(structure.delete_activity, activity_id, version=version)
