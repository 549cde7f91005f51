"""``/``: every secretariat's current plan, as reported and as validated, on a map and a table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from core.public.overview import SecretariatSummary, national_overview
from i18n import gettext
from public.deps import Pages, Reading
from public.rendering import COUNTRY_ZONE, language_of, render, url_for_page

router = APIRouter()


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    numeric: bool


def _columns(language: str) -> list[Column]:
    def _(message: str) -> str:
        return gettext(language, message)

    return [
        Column("name", _("Secretariat"), False),
        Column("plan", _("Plan"), False),
        Column("reported", _("Reported"), True),
        Column("validated", _("Validated"), True),
        Column("confirmed", _("Advances validated"), True),
        Column("disputed", _("Disputed"), True),
        Column("waiting", _("Waiting"), True),
        Column("moved", _("Last activity"), False),
    ]


def _order_value(summary: SecretariatSummary, key: str) -> Any:
    return {
        "name": summary.name.casefold(),
        "plan": (summary.plan_title or "").casefold(),
        "reported": summary.reported,
        "validated": summary.validated,
        "confirmed": summary.advances.validated,
        "disputed": summary.advances.disputed,
        "waiting": summary.advances.waiting,
        "moved": summary.last_activity,
    }[key]


def _sorted(
    summaries: list[SecretariatSummary], key: str, descending: bool
) -> list[SecretariatSummary]:
    """By ``key``; secretariats without the figure go last whichever the direction."""
    present = [s for s in summaries if _order_value(s, key) is not None]
    present.sort(key=lambda s: _order_value(s, key), reverse=descending)
    return present + [s for s in summaries if _order_value(s, key) is None]


def _next_direction(column: Column, order: str, descending: bool) -> str:
    """Choosing the sorted column turns it round; another starts with its largest figures."""
    if column.key == order:
        return "asc" if descending else "desc"
    return "desc" if column.numeric else "asc"


@router.get("/")
async def national(request: Request, session: Reading, pages: Pages) -> Response:
    today = datetime.now(COUNTRY_ZONE).date()

    async def build() -> Response:
        language = language_of(request)
        columns = _columns(language)
        keys = {column.key for column in columns}
        wanted = request.query_params.get("orden", "name")
        descending = request.query_params.get("dir") == "desc"
        order = wanted if wanted in keys else "name"
        summaries = await national_overview(session, today, request.app.state.public_figures)
        rows = [
            {"summary": s, "href": url_for_page(request, f"/secretarias/{s.slug}")}
            for s in _sorted(summaries, order, descending)
        ]
        headings = [
            {
                "label": column.label,
                "numeric": column.numeric,
                "sorted": (
                    ("descending" if descending else "ascending") if column.key == order else None
                ),
                "href": url_for_page(
                    request, "/", orden=column.key, dir=_next_direction(column, order, descending)
                ),
            }
            for column in columns
        ]
        moved = [s.last_activity for s in summaries if s.last_activity]
        glance = {
            "secretariats": sum(1 for s in summaries if s.plan_id is not None),
            "validated": sum(s.advances.validated for s in summaries),
            "disputed": sum(s.advances.disputed for s in summaries),
            "waiting": sum(s.advances.waiting for s in summaries),
            "updated": max(moved) if moved else None,
        }
        return render(
            request,
            "overview.html",
            {
                "rows": rows,
                "columns": headings,
                "glance": glance,
                "unknown_order": wanted != order,
                "map": None,
            },
        )

    return await pages.respond(request, session, today, build)
