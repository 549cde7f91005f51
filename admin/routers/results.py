"""Results of campaigns: figures as JSON, a page for coordinators, and exports (XLSX, CSV)."""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable, Iterator
from typing import IO, Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import HTMLResponse, StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from admin.auth import Id, Reader
from admin.context import Catalog, Language, MinGroup
from admin.pages import results as results_page
from admin.pages.layout import NO_STORE
from admin.problems import problem_responses
from core.chat import exports, results
from core.chat.results import Breakdown
from core.people import secretariats
from core.plans.spreadsheets.columns import XLSX_MEDIA_TYPE

router = APIRouter(prefix="/secretariats/{secretariat_id}", tags=["results"])
CAMPAIGN = "/campaigns/{campaign_id}"
CHUNK = 64 * 1024
# Past this an export being written moves from memory to a temporary file.
IN_MEMORY = 4 * 1024 * 1024


By = Annotated[
    Breakdown | None, Query(description="Break the figures down by sector, role or secretariat.")
]
DefinitionId = Annotated[str, Path(max_length=64, description="Id of the definition.")]
# Writes an export to a file.
Writer = Callable[[AsyncSession, exports.Export, IO[bytes]], Awaitable[None]]
ValuesParam = Annotated[
    exports.Values, Query(description="Choices as their labels or as their ids.")
]


@router.get(CAMPAIGN + "/results", summary="A campaign's results", responses=problem_responses(404))
async def campaign_results(
    campaign_id: Id, scope: Reader, catalog: Catalog, lang: Language, k: MinGroup, by: By = None
) -> dict[str, Any]:
    """Per question: counts and shares of each option, numbers (mean, median, quartiles,
    histogram), dates, Borda rankings with how many ranked each option at each place, and the
    "other" texts. With `by`, the same per group, where a group under the configured minimum
    (or one that subtraction from the total would reveal) is `suppressed` and shows nothing.
    Interviews that are not anonymous add each respondent's long answers, in order."""
    return await scope.read(
        results.campaign_results, catalog, campaign_id, language=lang, by=by, min_group=k
    )


@router.get(
    "/definitions/{definition_id}/results",
    summary="A definition's results across the secretariat's campaigns",
    responses=problem_responses(404),
)
async def definition_results(
    definition_id: DefinitionId,
    scope: Reader,
    catalog: Catalog,
    lang: Language,
    k: MinGroup,
    by: By = None,
) -> dict[str, Any]:
    """The same figures as a campaign's, over every campaign of the secretariat that launched
    this definition."""
    return await scope.read(
        results.definition_results, catalog, definition_id, language=lang, by=by, min_group=k
    )


@router.get(
    CAMPAIGN + "/results.html",
    summary="A campaign's results as a page",
    response_class=HTMLResponse,
    responses=problem_responses(404),
)
async def campaign_results_page(
    campaign_id: Id, scope: Reader, catalog: Catalog, lang: Language, k: MinGroup, by: By = None
) -> HTMLResponse:
    """The results with a bar chart and a table for every question; no script needed. A
    browser signed in at `/signin` opens it as it is."""
    found = await campaign_results(campaign_id, scope, catalog, lang, k, by)
    base = f"/secretariats/{scope.secretariat_id}{CAMPAIGN.format(campaign_id=campaign_id)}"
    groups = found.get("breakdown", {}).get("groups", [])
    names = await secretariats.names(scope.session, [group["value"] for group in groups])
    page = results_page.render(
        found, lang, base=base, by=by.value if by else None, secretariats=names
    )
    return HTMLResponse(page, headers=NO_STORE)


async def _download(
    scope: Reader, export: exports.Export, write: Writer, media_type: str, filename: str
) -> StreamingResponse:
    """``export`` written by ``write`` and sent as a file, kept in memory only while small."""
    spooled = tempfile.SpooledTemporaryFile(IN_MEMORY)  # noqa: SIM115 (closed once sent)
    await write(scope.session, export, spooled)
    spooled.seek(0)

    def chunks() -> Iterator[bytes]:
        with spooled:
            while chunk := spooled.read(CHUNK):
                yield chunk

    return StreamingResponse(
        chunks(),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def _prepared(
    campaign_id: Id,
    scope: Reader,
    catalog: Catalog,
    lang: Language,
    k: MinGroup,
    values: ValuesParam = exports.Values.LABELS,
) -> exports.Export:
    """A campaign's responses, in the form an export asks for."""
    return await scope.read(
        exports.prepare, catalog, campaign_id, language=lang, values=values, min_group=k
    )


Prepared = Annotated[exports.Export, Depends(_prepared)]


@router.get(
    CAMPAIGN + "/export.xlsx",
    summary="A campaign's responses as a workbook",
    response_class=StreamingResponse,
    responses={
        200: {"content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
        **problem_responses(404),
    },
)
async def export_xlsx(campaign_id: Id, scope: Reader, export: Prepared) -> StreamingResponse:
    """One row per completed response, one column per question (a multiple choice also one
    0/1 column per option), and a second sheet describing every column."""
    return await _download(
        scope, export, exports.write_xlsx, XLSX_MEDIA_TYPE, f"campaign-{campaign_id}.xlsx"
    )


@router.get(
    CAMPAIGN + "/export.csv",
    summary="A campaign's responses as CSV",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}, **problem_responses(404)},
)
async def export_csv(campaign_id: Id, scope: Reader, export: Prepared) -> StreamingResponse:
    """The rows of the workbook's first sheet, as UTF-8 with a byte order mark."""
    return await _download(
        scope, export, exports.write_csv, "text/csv; charset=utf-8", f"campaign-{campaign_id}.csv"
    )
