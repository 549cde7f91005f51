"""Tasks of a plan and the dependencies between them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from admin.auth import Id, PlanEditor, Reader
from admin.routers.items import VersionQuery
from admin.routers.params import Limit, Offset, creates, deletes, sort_by
from admin.schemas.common import Page, RefQuery
from admin.schemas.plans import DependencyCreate, DependencyRead, TaskCreate, TaskRead, TaskUpdate
from core.infra import listing
from core.models import TaskDependency, TaskStatus
from core.plans import dependencies, tasks

router = APIRouter(prefix="/secretariats/{secretariat_id}", tags=["tasks"])
TaskSort = Annotated[
    str | None,
    sort_by(
        "position",
        "code",
        "title",
        "start_date",
        "due_date",
        "percent",
        "status",
        default="position",
    ),
]


@router.get("/plans/{plan_id}/tasks", summary="List a plan's tasks", response_model=Page[TaskRead])
async def list_tasks(
    plan_id: Id,
    scope: Reader,
    status: TaskStatus | None = None,
    objective_id: Annotated[RefQuery | None, Query()] = None,
    activity_id: Annotated[RefQuery | None, Query()] = None,
    responsible_id: Annotated[
        RefQuery | None, Query(description="Tasks this person is on.")
    ] = None,
    due_from: Annotated[date | None, Query(description="Due on or after.")] = None,
    due_to: Annotated[date | None, Query(description="Due on or before.")] = None,
    q: Annotated[str | None, Query(max_length=100, description="Code or title contains.")] = None,
    sort: TaskSort = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> listing.Page[TaskRead]:
    page = await scope.read(
        tasks.list_tasks,
        plan_id,
        status=status,
        objective_id=objective_id,
        activity_id=activity_id,
        responsible_id=responsible_id,
        due_from=due_from,
        due_to=due_to,
        search=q,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    return page.map(TaskRead.model_validate)


@creates(router, "/activities/{activity_id}/tasks", TaskRead, "Add a task")
async def create_task(activity_id: Id, body: TaskCreate, scope: PlanEditor) -> TaskRead:
    fields = body.model_dump(exclude_none=True)
    task = await scope.change(
        tasks.add_task,
        activity_id,
        responsible_ids=fields.pop("responsible_ids", ()),
        **fields,
    )
    return TaskRead.model_validate(task)


@router.get("/tasks/{task_id}", summary="Read a task", response_model=TaskRead)
async def read_task(task_id: Id, scope: Reader) -> TaskRead:
    task, _plan = await scope.read(tasks.get_task, task_id)
    return TaskRead.model_validate(task)


@router.patch("/tasks/{task_id}", summary="Change a task", response_model=TaskRead)
async def update_task(task_id: Id, body: TaskUpdate, scope: PlanEditor) -> TaskRead:
    """Send the `version` you read; if someone changed the task since, the answer is 409."""
    fields = body.model_dump(exclude_unset=True)
    task = await scope.change(
        tasks.update_task,
        task_id,
        expected_version=fields.pop("version"),
        **fields,
    )
    return TaskRead.model_validate(task)


@deletes(router, "/tasks/{task_id}", "Delete a task")
async def delete_task(task_id: Id, version: VersionQuery, scope: PlanEditor) -> None:
    """A task with progress reports is kept (409): set its status to cancelled instead."""
    await scope.change(tasks.delete_task, task_id, version=version)


@router.get(
    "/plans/{plan_id}/dependencies",
    summary="List a plan's dependencies",
    response_model=Page[DependencyRead],
)
async def list_dependencies(
    plan_id: Id, scope: Reader, limit: Limit = 50, offset: Offset = 0
) -> listing.Page[TaskDependency]:
    return await scope.read(dependencies.list_dependencies, plan_id, limit=limit, offset=offset)


@creates(router, "/dependencies", DependencyRead, "Make a task wait for another")
async def create_dependency(body: DependencyCreate, scope: PlanEditor) -> TaskDependency:
    """Finish-to-start with a lag in days. A dependency that would close a cycle is refused
    with the cycle named."""
    return await scope.change(dependencies.add_dependency, **body.model_dump())


@deletes(router, "/dependencies/{dependency_id}", "Remove a dependency")
async def delete_dependency(dependency_id: Id, scope: PlanEditor) -> None:
    await scope.change(dependencies.remove_dependency, dependency_id)
