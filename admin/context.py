"""What a request uses besides the database: the definitions, and the quiet hours."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from core.chat.definitions import DefinitionCatalog
from core.notify.quiet_hours import QuietHours


def _catalog(request: Request) -> DefinitionCatalog:
    return request.app.state.catalog


def _quiet_hours(request: Request) -> QuietHours:
    settings = request.app.state.settings
    return QuietHours(settings.quiet_hours_start, settings.quiet_hours_end)


Catalog = Annotated[DefinitionCatalog, Depends(_catalog)]
Quiet = Annotated[QuietHours, Depends(_quiet_hours)]
