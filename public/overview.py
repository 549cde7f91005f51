"""``/``: every secretariat's current plan, as reported and as validated, on a map and a table;
with ``?eje=``, ``?objetivo=`` or ``?prioridad=``, only those whose plan cites the national
policy there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from core.public.national_policy import matching
from core.public.overview import SecretariatSummary, national_overview
from i18n import gettext
from public.deps import Pages, Reading
from public.geography import VIEW_BOX, state_key, state_shapes
from public.policy_filter import SECRETARIATS, chosen_filter, filter_context
from public.rendering import COUNTRY_ZONE, language_of, percent_text, render, url_for_page

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


# Validated progress in five steps of a sequential green scale (ColorBrewer "Greens", which
# reads in grey and to colour-blind eyes); states without a published plan in grey.
STEPS = ((20, "#edf8e9"), (40, "#bae4b3"), (60, "#74c476"), (80, "#31a354"), (100, "#006d2c"))
NO_DATA = "#cccccc"


def _fill(validated: float) -> str:
    return next(fill for bound, fill in STEPS if validated <= bound)


def _map(request: Request, summaries: list[SecretariatSummary]) -> dict[str, Any]:
    """Each state's outline, coloured by its secretariat's validated progress, with a link."""
    language = language_of(request)
    by_state = {
        key: summary
        for summary in summaries
        if summary.plan_id is not None and (key := state_key(summary.state)) is not None
    }
    shapes = []
    for key, shape in state_shapes().items():
        summary = by_state.get(key)
        if summary is None or summary.validated is None or summary.reported is None:
            title = gettext(language, "{state}: no plan published here", state=shape.name)
            shapes.append({"path": shape.path, "fill": NO_DATA, "title": title, "href": None})
            continue
        title = gettext(
            language,
            "{state}: {validated} validated, {reported} reported",
            state=shape.name,
            validated=percent_text(language, summary.validated),
            reported=percent_text(language, summary.reported),
        )
        href = url_for_page(request, f"/secretarias/{summary.slug}")
        shapes.append(
            {"path": shape.path, "fill": _fill(summary.validated), "title": title, "href": href}
        )
    lower = 0
    legend = []
    for bound, fill in STEPS:
        label = gettext(
            language,
            "{low} to {high} validated",
            low=percent_text(language, lower),
            high=percent_text(language, bound),
        )
        legend.append({"fill": fill, "label": label})
        lower = bound
    legend.append({"fill": NO_DATA, "label": gettext(language, "No plan published here")})
    source = gettext(language, "Map: INEGI, Marco Geoestadístico; Natural Earth (public domain).")
    return {"view_box": VIEW_BOX, "shapes": shapes, "legend": legend, "source": source}


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
        chosen = chosen_filter(request)
        everyone = await national_overview(session, today, request.app.state.public_figures)
        summaries = everyone
        if chosen.active:
            planned = [s.plan_id for s in everyone if s.plan_id is not None]
            citing = await matching(session, chosen.numbers, planned)
            summaries = [s for s in everyone if s.plan_id in citing.plans]
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
                    request,
                    "/",
                    orden=column.key,
                    dir=_next_direction(column, order, descending),
                    **chosen.query(),
                ),
            }
            for column in columns
        ]
        # The glance is the country's, whatever the table is filtered by.
        moved = [s.last_activity for s in everyone if s.last_activity]
        glance = {
            "secretariats": sum(1 for s in everyone if s.plan_id is not None),
            "validated": sum(s.advances.validated for s in everyone),
            "disputed": sum(s.advances.disputed for s in everyone),
            "waiting": sum(s.advances.waiting for s in everyone),
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
                **filter_context(request, chosen, "/", SECRETARIATS),
                # Like the glance, the map is the country's whatever the table is filtered by.
                "map": _map(request, everyone),
            },
        )

    return await pages.respond(request, session, today, build)
