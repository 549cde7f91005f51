"""Good practices: a secretariat's own, written as drafts, submitted, published and withdrawn;
the published ones of every secretariat, searched in Spanish; and their adoption into a plan.

Validation by civil society (submitted → validated) has no route here: submitting asks the
secretariat's validators in chat (the request is listed with the others, under
``/validations``), and their votes decide it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query

from admin.auth import CurrentPrincipal, Id, PlanEditor, Reader, Session
from admin.context import Language
from admin.routers.params import Limit, Offset, creates, sort_by
from admin.schemas.common import VersionBody, page_of
from admin.schemas.practices import (
    AdoptBody,
    AdoptedRead,
    PracticeCreate,
    PracticeDetail,
    PracticeRead,
    PracticeUpdate,
)
from core.infra import listing
from core.models import PracticeState, PracticeTheme
from core.policy import PRIORITY_COUNT
from core.practices import adoption, practices, reading
from core.practices.adoption import Adopted
from core.practices.reading import PracticeView

router = APIRouter(tags=["good practices"])
PracticeSort = Annotated[str | None, sort_by("id", "title", "published_at", default="-id")]
OWN = "/secretariats/{secretariat_id}/practices"
ITEM = OWN + "/{practice_id}"
Priority = Annotated[
    int | None,
    Query(ge=1, le=PRIORITY_COUNT, description="A priority of the national policy (1-40)."),
]
Theme = Annotated[PracticeTheme | None, Query(description="Filter.")]


@router.get(
    "/practices", summary="Search published practices", response_model=page_of(PracticeRead)
)
async def search_practices(
    principal: CurrentPrincipal,
    session: Session,
    q: Annotated[str | None, Query(description="Words, in Spanish; accents ignored.")] = None,
    priority: Priority = None,
    state: Annotated[str | None, Query(description="A secretariat's state.")] = None,
    theme: Theme = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> listing.Page[PracticeView]:
    """The published practices of every secretariat, newest first: those holding every word
    of `q` (by its Spanish stem, so "contratacion" finds "contrataciones"), serving the
    national priority, of a secretariat in the state and of the theme given."""
    return await reading.search_published(
        session, query=q, priority=priority, state=state, theme=theme, limit=limit, offset=offset
    )


@router.get(
    "/practices/{practice_id}", summary="Read a published practice", response_model=PracticeDetail
)
async def read_published(
    practice_id: Id, principal: CurrentPrincipal, session: Session
) -> PracticeDetail:
    """A published practice of any secretariat, with who adopted it and how far they got."""
    practice = await reading.get_published(session, practice_id)
    return await _detail(session, await reading.view(session, practice))


async def _detail(session: Session, view: reading.PracticeView) -> PracticeDetail:
    adopters = await adoption.adopters(session, view.id)
    # Its base, a read model built when its module loads, leaves mypy no type to infer.
    detail: PracticeDetail = PracticeDetail.model_validate({**asdict(view), "adopters": adopters})
    return detail


@router.get(OWN, summary="List the secretariat's practices", response_model=page_of(PracticeRead))
async def list_practices(
    scope: Reader,
    state: Annotated[PracticeState | None, Query(description="Filter.")] = None,
    theme: Theme = None,
    priority: Priority = None,
    sort: PracticeSort = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> listing.Page[PracticeView]:
    """The secretariat's own practices in every state, newest first."""
    return await scope.read(
        reading.list_practices,
        state=state, theme=theme, priority=priority, sort=sort, limit=limit, offset=offset,
    )  # fmt: skip


@creates(router, OWN, PracticeRead, "Write a practice")
async def create_practice(body: PracticeCreate, scope: PlanEditor) -> PracticeView:
    """A new draft; it can be changed until it is submitted."""
    return await scope.change(practices.create_practice, **body.model_dump())


@router.get(ITEM, summary="Read a practice", response_model=PracticeDetail)
async def read_practice(practice_id: Id, scope: Reader) -> PracticeDetail:
    """One of the secretariat's practices in any state, with who adopted it."""
    return await _detail(scope.session, await scope.read(reading.get_practice, practice_id))


@router.patch(ITEM, summary="Change a draft practice", response_model=PracticeRead)
async def update_practice(practice_id: Id, body: PracticeUpdate, scope: PlanEditor) -> PracticeView:
    """Only a draft changes (422 otherwise); `indicator_ids` and `evidence_ids` replace the
    links whole. A stale version answers 409."""
    return await scope.change(
        practices.update_practice, practice_id, **body.model_dump(exclude_unset=True)
    )


@router.post(ITEM + "/submit", summary="Submit a practice", response_model=PracticeRead)
async def submit_practice(practice_id: Id, body: VersionBody, scope: PlanEditor) -> PracticeView:
    """The draft goes to civil society: the secretariat's validators are asked in chat, and their
    outcome validates it or sends it back to draft. 422 names the fields it still lacks; 409
    when no validator can be asked."""
    return await scope.change(practices.submit, practice_id, body.version)


@router.post(ITEM + "/publish", summary="Publish a practice", response_model=PracticeRead)
async def publish_practice(practice_id: Id, body: VersionBody, scope: PlanEditor) -> PracticeView:
    """Only a practice civil society validated is published; every secretariat finds it then."""
    return await scope.change(practices.publish, practice_id, body.version)


@router.post(ITEM + "/withdraw", summary="Withdraw a practice", response_model=PracticeRead)
async def withdraw_practice(practice_id: Id, body: VersionBody, scope: PlanEditor) -> PracticeView:
    """A submitted, validated or published practice is withdrawn; nobody else finds it."""
    return await scope.change(practices.withdraw, practice_id, body.version)


@creates(router, ITEM + "/adopt", AdoptedRead, "Adopt a practice into a plan")
async def adopt_practice(
    practice_id: Id, body: AdoptBody, scope: PlanEditor, language: Language
) -> Adopted:
    """Another secretariat's published practice becomes a line of action at the end of the
    plan (or an activity under `objective_id`), citing the practice in its description. A
    practice is adopted once per plan (409), never by its own secretariat (422)."""
    return await scope.change(
        adoption.adopt, practice_id,
        plan_id=body.plan_id, objective_id=body.objective_id, language=language,
    )  # fmt: skip
