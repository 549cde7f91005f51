"""The survey after a session: sent now by a coordinator, and read back with its figures on
the session's page (sent on its own once the session ends, by the worker)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from admin.auth import Id, PlanEditor, Reader
from admin.context import Catalog, Language, MinGroup, Quiet
from admin.problems import problem_responses
from admin.routers.results import By
from core.meetings import feedback
from core.models import utcnow

router = APIRouter(prefix="/secretariats/{secretariat_id}/meetings", tags=["meetings"])
FEEDBACK = "/{meeting_id}/feedback"


@router.post(
    FEEDBACK,
    summary="Send a session's survey now",
    status_code=201,
    responses=problem_responses(404, 409),
)
async def send_feedback(
    meeting_id: Id, scope: PlanEditor, catalog: Catalog, lang: Language, k: MinGroup, quiet: Quiet
) -> dict[str, Any]:
    """Launches the survey that follows the session to those recorded present so far, open for
    7 days with one reminder; whoever is recorded present later is invited too. Without this
    it goes once the session ends. Refused (409): a session not started or cancelled, one no
    survey follows, nobody present, or a survey already sent."""
    await scope.change(feedback.send_now, meeting_id, catalog=catalog, now=utcnow(), quiet=quiet)
    return await scope.read(feedback.read_feedback, catalog, meeting_id, language=lang, min_group=k)


@router.get(
    FEEDBACK, summary="A session's survey and its results", responses=problem_responses(404)
)
async def read_feedback(
    meeting_id: Id, scope: Reader, catalog: Catalog, lang: Language, k: MinGroup, by: By = None
) -> dict[str, Any]:
    """The campaign of the survey the session sent (state, people invited, finished) and its
    results in your language, as `/campaigns/{id}/results` gives them: with `by`, a group under
    the configured minimum is `suppressed`. 404 until it is sent."""
    return await scope.read(
        feedback.read_feedback, catalog, meeting_id, language=lang, by=by, min_group=k
    )
