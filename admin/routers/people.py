"""People of a secretariat: staff, coordinators, admins and civil-society validators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from admin.auth import Id, Manager, Reader
from admin.routers.params import Limit, Offset, creates, sort_by
from admin.schemas.common import Page
from admin.schemas.organisation import PersonCreate, PersonRead, PersonUpdate
from core.infra import listing
from core.models import Role, Sector
from core.people import people

router = APIRouter(prefix="/secretariats/{secretariat_id}/people", tags=["people"])
PersonSort = Annotated[str | None, sort_by("id", "name", "created_at", default="name")]


@router.get("", summary="List people", response_model=Page[PersonRead])
async def list_people(
    scope: Reader,
    role: Role | None = None,
    sector: Sector | None = None,
    reachable: Annotated[
        bool | None, Query(description="Whether the bot can write to them.")
    ] = None,
    q: Annotated[str | None, Query(max_length=100, description="Name, email or handle.")] = None,
    sort: PersonSort = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> listing.Page[PersonRead]:
    page = await scope.read(
        people.list_people,
        role=role,
        sector=sector,
        reachable=reachable,
        search=q,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    return page.map(PersonRead.model_validate)


@creates(router, "", PersonRead, "Add a person")
async def create_person(body: PersonCreate, scope: Manager) -> PersonRead:
    """Most people join by invitation; this adds someone known by email or handle (staff who
    will be named responsible in a plan before they open the bot, for instance)."""
    person = await scope.change(people.create_person, **body.model_dump())
    return PersonRead.model_validate(person)


@router.get("/{person_id}", summary="Read a person", response_model=PersonRead)
async def read_person(person_id: Id, scope: Reader) -> PersonRead:
    return PersonRead.model_validate(await scope.read(people.get_person, person_id))


@router.patch("/{person_id}", summary="Change a person", response_model=PersonRead)
async def update_person(person_id: Id, body: PersonUpdate, scope: Manager) -> PersonRead:
    person = await scope.change(
        people.update_person,
        person_id,
        **body.model_dump(exclude_unset=True),
    )
    return PersonRead.model_validate(person)
