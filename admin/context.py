"""What a request uses besides the database: the definitions, the quiet hours, the language
asked, and the smallest group of results that may be shown.

Each is a coroutine, though it awaits nothing: FastAPI runs a plain function in a worker thread,
a hop that cost a request more than the read of the app's state it would make."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from admin.problems import language_of
from core.chat.definitions import DefinitionCatalog
from core.infra.settings import Settings
from core.notify.quiet_hours import QuietHours
from i18n import pick_language


async def _catalog(request: Request) -> DefinitionCatalog:
    catalog: DefinitionCatalog = request.app.state.catalog
    return catalog


async def _quiet_hours(request: Request) -> QuietHours:
    settings = request.app.state.settings
    return QuietHours(settings.quiet_hours_start, settings.quiet_hours_end)


Catalog = Annotated[DefinitionCatalog, Depends(_catalog)]
Quiet = Annotated[QuietHours, Depends(_quiet_hours)]


async def _language(
    request: Request,
    lang: Annotated[
        str | None, Query(pattern="^(es|en)$", description="es or en; else Accept-Language.")
    ] = None,
) -> str:
    return pick_language(lang) if lang else language_of(request)


async def _min_group(request: Request) -> int:
    settings: Settings = request.app.state.settings
    return settings.results_min_group


Language = Annotated[str, Depends(_language)]
MinGroup = Annotated[int, Depends(_min_group)]  # fewest respondents a group of results may show
