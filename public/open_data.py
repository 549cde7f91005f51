"""``/datos``: the open data as CSV and JSON files, their Data Package descriptor, and a page
listing them. ``?secretaria=`` cuts a file to one secretariat; ``?eje=``, ``?objetivo=`` and
``?prioridad=`` to the rows under the lines of action citing the national policy there.

Files are streamed: rows leave as they are read, a batch at a time. A CSV cell that a
spreadsheet would run as a formula is written as text the way the spreadsheet exports write it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.chain import format_time
from core.infra.settings import Settings
from core.infra.workbooks import csv_text
from core.models import Secretariat
from core.public.national_policy import matching
from core.public.open_data import BY_NAME, LICENCES, TABLES, Table, field_names
from core.public.open_data_rows import BATCH, Source
from i18n import N_, gettext
from public.deps import Pages, PublicNotFound, Reading
from public.feeds import COUNTRY_FEED
from public.policy_filter import FILES, chosen_filter, filter_context, strict_filter
from public.rendering import COUNTRY_ZONE, language_of, render, site_address, url_for_page

router = APIRouter()

FORMATS = {"csv": "text/csv", "json": "application/json"}
# Files the page offers as examples of the filter: what each holds, its address, the filter.
EXAMPLES = (
    (N_("Lines of action citing priority {n}, as CSV"), "lineas-de-accion.csv", "prioridad", 12),
    (N_("Tasks under lines citing a priority of axis {n}, as JSON"), "tareas.json", "eje", 4),
    (N_("Progress of the lines citing a priority of axis {n}, as CSV"), "avance.csv", "eje", 2),
)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return csv_text(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


async def _csv(table: Table, rows: AsyncIterator[tuple[Any, ...]]) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(field_names(table))
    count = 0
    async for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
        count += 1
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


async def _json(table: Table, rows: AsyncIterator[tuple[Any, ...]]) -> AsyncIterator[str]:
    # Rows as lists after one naming the columns, as Frictionless writes JSON tables: an empty
    # table is still a table.
    chunk = ["[" + json.dumps(field_names(table))]
    async for row in rows:
        chunk.append(",\n" + json.dumps([_json_value(value) for value in row], ensure_ascii=False))
        if len(chunk) == BATCH:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "]\n"


ENCODERS: dict[str, Callable[[Table, AsyncIterator[tuple[Any, ...]]], AsyncIterator[str]]] = {
    "csv": _csv,
    "json": _json,
}


def _resource_name(table: Table, extension: str) -> str:
    return table.name if extension == "csv" else f"{table.name}-{extension}"


def _schema(table: Table, extension: str, language: str) -> dict[str, Any]:
    fields = []
    for field in table.fields:
        described: dict[str, Any] = {
            "name": field.name,
            "type": field.type,
            "description": gettext(language, field.description),
        }
        constraints: dict[str, Any] = {}
        if field.required:
            constraints["required"] = True
        if field.enum:
            constraints["enum"] = list(field.enum)
        if constraints:
            described["constraints"] = constraints
        fields.append(described)
    return {
        "fields": fields,
        "primaryKey": list(table.primary_key),
        "foreignKeys": [
            {
                "fields": list(reference.fields),
                "reference": {
                    "resource": _resource_name(BY_NAME[reference.table], extension),
                    "fields": list(reference.to),
                },
            }
            for reference in table.references
        ],
    }


def descriptor(settings: Settings, language: str, site: str) -> dict[str, Any]:
    """The Frictionless Data Package describing every file, in ``language``."""
    licence = LICENCES[settings.open_data_licence]
    return {
        "name": "incorruptible-open-data",
        "title": gettext(language, "Open data of the anticorruption secretariats' plans"),
        "description": gettext(
            language,
            "Plans, lines of action, activities and tasks (without people), their progress as "
            "reported and as civil society validated it, validation outcomes, indicators and "
            "their measurements.",
        ),
        "homepage": f"{site}/datos",
        "licenses": [{"name": licence.name, "title": licence.title, "path": licence.path}],
        "sources": [
            {
                "title": gettext(language, "The public ledger: every change, hash-chained"),
                "path": f"{site}/public/ledger",
            }
        ],
        "resources": [
            {
                "name": _resource_name(table, extension),
                "title": gettext(language, table.title),
                "description": gettext(language, table.description),
                "path": f"{table.name}.{extension}",
                "profile": "tabular-data-resource",
                "format": extension,
                "mediatype": mediatype,
                "encoding": "utf-8",
                "schema": _schema(table, extension, language),
            }
            for extension, mediatype in FORMATS.items()
            for table in TABLES
        ],
    }


async def _chosen(session: AsyncSession, request: Request) -> Secretariat | None:
    """The secretariat ``?secretaria=`` names; an unknown one is a 404."""
    slug = request.query_params.get("secretaria")
    if not slug:
        return None
    found = await session.scalar(select(Secretariat).where(Secretariat.slug == slug))
    if found is None:
        raise PublicNotFound(N_("No secretariat is published at this address."))
    return found


@router.get("/datos")
async def open_data(request: Request, session: Reading, pages: Pages) -> Response:
    today = datetime.now(COUNTRY_ZONE).date()

    async def build() -> Response:
        language = language_of(request)
        secretariat = await _chosen(session, request)
        slug = secretariat.slug if secretariat else None
        policy = chosen_filter(request)
        kept = {"secretaria": slug, **policy.query()}
        secretariats = (
            await session.execute(
                select(Secretariat.slug, Secretariat.name).order_by(Secretariat.name)
            )
        ).all()
        tables = [
            {
                "table": table,
                "csv": url_for_page(request, f"/datos/{table.name}.csv", **kept),
                "json": url_for_page(request, f"/datos/{table.name}.json", **kept),
            }
            for table in TABLES
        ]
        examples = [
            {
                "label": gettext(language, label, n=number),
                "href": url_for_page(request, f"/datos/{path}", **{name: number}),
            }
            for label, path, name, number in EXAMPLES
        ]
        return render(
            request,
            "open_data.html",
            {
                "tables": tables,
                "secretariat": secretariat,
                "secretariats": secretariats,
                "examples": examples,
                "licence": LICENCES[request.app.state.settings.open_data_licence],
                "feed": url_for_page(request, COUNTRY_FEED),
                **filter_context(request, policy, "/datos", FILES, secretaria=slug),
            },
        )

    return await pages.respond(request, session, today, build)


@router.get("/datos/datapackage.json")
async def data_package(request: Request, session: Reading, pages: Pages) -> Response:
    today = datetime.now(COUNTRY_ZONE).date()

    async def build() -> Response:
        language = language_of(request)
        described = descriptor(request.app.state.settings, language, site_address(request))
        return JSONResponse(described, headers={"Content-Language": language})

    return await pages.respond(request, session, today, build)


async def _file(request: Request, session: AsyncSession, name: str, extension: str) -> Response:
    table = BY_NAME.get(name)
    if table is None:
        raise PublicNotFound(N_("There is no such file among the open data."))
    chosen = await _chosen(session, request)
    secretariat_id = chosen.id if chosen else None
    policy = strict_filter(request)
    # The lines matching are found once, before the first row; each table's query keeps the
    # rows under them.
    matched = await matching(session, policy.numbers) if policy.active else None
    read_sessions = request.app.state.read_session_factory

    async def chunks() -> AsyncIterator[str]:
        # A session of its own: the request's is closed once the answer starts.
        async with read_sessions() as reading:
            source = Source(
                reading,
                secretariat_id,
                request.app.state.catalog,
                request.app.state.settings.results_min_group,
                matched,
            )
            async for chunk in ENCODERS[extension](table, table.rows(source)):
                yield chunk

    return StreamingResponse(chunks(), media_type=f"{FORMATS[extension]}; charset=utf-8")


@router.get("/datos/{name}.csv")
async def csv_file(name: str, request: Request, session: Reading) -> Response:
    return await _file(request, session, name, "csv")


@router.get("/datos/{name}.json")
async def json_file(name: str, request: Request, session: Reading) -> Response:
    return await _file(request, session, name, "json")
