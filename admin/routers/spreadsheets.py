"""Plans to and from spreadsheets, in the documented template (docs/plan-template.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from admin.auth import Id, PlanEditor, Reader
from admin.context import Language
from admin.problems import Responses, problem_responses
from admin.routers.params import creates
from admin.schemas.common import LongText, ReadModel, Title
from admin.schemas.plans import ImportSummaryRead, UpdateSummaryRead
from core.plans.spreadsheets import columns, export, load, update

router = APIRouter(tags=["spreadsheets"])
XLSX = columns.XLSX_MEDIA_TYPE
XLSX_RESPONSE: Responses = {
    200: {
        "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        "description": "An .xlsx workbook.",
    }
}


def _xlsx(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/plan-template.xlsx",
    summary="Download the plan template",
    response_class=Response,
    responses=XLSX_RESPONSE,
)
async def plan_template() -> Response:
    """The empty template: a sheet of tasks, one of indicators and one of their values, with the
    columns docs/plan-template.md describes."""
    return _xlsx(export.template_workbook(), "plantilla-plan.xlsx")


@creates(
    router,
    "/secretariats/{secretariat_id}/plans/import",
    ImportSummaryRead,
    "Import a whole plan from a spreadsheet",
    responses=problem_responses(413, 415),
)
async def import_plan(
    scope: PlanEditor,
    file: Annotated[UploadFile, File(description=".xlsx or .csv in the plan template.")],
    year: Annotated[int, Form(ge=2000, le=2100)],
    title: Annotated[Title, Form()],
    description: Annotated[LongText | None, Form()] = None,
) -> ReadModel:
    """All or nothing: when any cell is wrong, or an indicator or a value is refused, nothing
    is created, and the answer lists every problem with its sheet, row and column."""
    data = await file.read(columns.MAX_BYTES + 1)
    summary = await scope.change(
        load.import_plan,
        year=year,
        title=title,
        description=description,
        data=data,
        filename=file.filename or "",
    )
    return ImportSummaryRead.model_validate(summary)


@router.post(
    "/secretariats/{secretariat_id}/plans/{plan_id}/import",
    response_model=UpdateSummaryRead,
    summary="Update a plan from its edited spreadsheet",
    responses=problem_responses(409, 413, 415),
)
async def update_plan(
    plan_id: Id,
    scope: PlanEditor,
    language: Language,
    file: Annotated[UploadFile, File(description="The plan's export, edited (.xlsx or .csv).")],
    dry_run: Annotated[
        bool, Query(description="Only say what would be created, changed and removed.")
    ] = False,
) -> ReadModel:
    """Tasks are matched by their code: a row whose code the plan has changes that task, a new
    code creates one, and a task the file leaves out is removed (one with progress reports is
    refused: keep its row, cancelled). Objectives and activities follow the file. Indicators
    are matched by name the same way (one with values is never removed); a value that differs
    from its period's is a correction, a new revision. All or nothing, like an import; with
    ``dry_run`` nothing is written."""
    data = await file.read(columns.MAX_BYTES + 1)
    summary = await scope.change(
        update.update_plan,
        plan_id,
        data=data,
        language=language,
        filename=file.filename or "",
        dry_run=dry_run,
    )
    return UpdateSummaryRead.model_validate(summary)


@router.get(
    "/secretariats/{secretariat_id}/plans/{plan_id}/export.xlsx",
    summary="Export a plan as a spreadsheet",
    response_class=Response,
    responses=XLSX_RESPONSE,
)
async def export_plan(plan_id: Id, scope: Reader) -> Response:
    """The plan in the import template: importing it again gives back the same plan."""
    content = await scope.read(export.export_plan, plan_id)
    return _xlsx(content, f"plan-{plan_id}.xlsx")
