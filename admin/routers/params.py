"""Query parameters shared by the list and view endpoints, and the shapes of a route that
creates and of one that deletes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, params, status
from fastapi.types import DecoratedCallable

from admin.auth import Scope
from core.infra.listing import MAX_LIMIT
from core.models import Secretariat
from core.people.people import local_today

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")]
AsOf = Annotated[
    date | None,
    Query(description="Day to judge by; today in the secretariat's time zone if unset."),
]


async def judged_on(scope: Scope, as_of: date | None) -> date:
    """The day a view judges by: ``as_of``, or the secretariat's today."""
    if as_of is not None:
        return as_of
    return local_today(await scope.session.get_one(Secretariat, scope.secretariat_id))


def sort_by(*names: str, default: str) -> params.Query:
    """The query parameter ``sort`` offering ``names``, as the metadata of its annotation:
    ``Annotated[str | None, sort_by("id", "name", default="name")]``."""
    choices = ", ".join(names)
    sort: params.Query = Query(
        max_length=40,
        pattern=r"^-?[a-z_]+$",
        description=f"Field to sort by ({choices}); '-' in front for descending. "
        f"Default: {default}.",
    )
    return sort


def creates(
    router: APIRouter, path: str, model: Any, summary: str, **options: Any
) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """A POST route of ``router`` that answers 201 Created with the ``model`` it made."""
    return router.post(
        path, summary=summary, status_code=status.HTTP_201_CREATED, response_model=model, **options
    )


def deletes(
    router: APIRouter, path: str, summary: str
) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """A DELETE route of ``router`` that answers 204 No Content."""
    return router.delete(path, summary=summary, status_code=status.HTTP_204_NO_CONTENT)
