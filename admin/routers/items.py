"""Routes alike for every kind of plan item: read, change and delete one; list and add them.

The item is looked up in the caller's secretariat (404 otherwise); a change sends the
`version` read in its body and a deletion in its query, and a stale one answers 409.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, params, status
from pydantic import BaseModel

from admin.auth import Id, PlanEditor, Reader
from admin.routers.params import Limit, Offset
from admin.schemas.common import page_of

VersionQuery = Annotated[int, Query(ge=1, le=2**31 - 1, description="The version you last read.")]
Service = Callable[..., Awaitable[Any]]


def item_routes(
    router: APIRouter,
    kind: str,
    noun: str,
    *,
    path: str,
    read: Service,
    update: Service,
    delete: Service,
    read_model: type[BaseModel],
    update_model: type[BaseModel],
    deletion: str | None = None,
) -> None:
    """Add GET, PATCH and DELETE at ``path`` for the item ``kind`` (its id is ``{kind}_id``),
    named ``read_{kind}``, ``update_{kind}`` and ``delete_{kind}``; ``deletion`` documents
    what a deletion takes with it."""
    key = f"{kind}_id"

    async def read_item(**values: Any) -> Any:
        return await values["scope"].read(read, values[key])

    async def update_item(**values: Any) -> Any:
        body: BaseModel = values["body"]
        return await values["scope"].change(
            update, values[key], **body.model_dump(exclude_unset=True)
        )

    async def delete_item(**values: Any) -> None:
        await values["scope"].change(delete, values[key], version=values["version"])

    routes = (
        ("GET", read_item, f"Read {noun}", {"scope": Reader}),
        ("PATCH", update_item, f"Change {noun}", {"body": update_model, "scope": PlanEditor}),
        ("DELETE", delete_item, f"Delete {noun}", {"version": VersionQuery, "scope": PlanEditor}),
    )
    for method, endpoint, summary, parameters in routes:
        deleting = method == "DELETE"
        _add_route(
            router,
            path,
            method,
            endpoint,
            f"{endpoint.__name__.removesuffix('_item')}_{kind}",
            summary,
            {key: Id, **parameters},
            description=deletion if deleting else None,
            response_model=None if deleting else read_model,
            status_code=status.HTTP_204_NO_CONTENT if deleting else None,
        )


def collection_routes(
    router: APIRouter,
    kind: str,
    plural: str,
    *,
    path: str,
    parent: str,
    listing: Service,
    adding: Service,
    read_model: type[BaseModel],
    create_model: type[BaseModel],
    sort: params.Query,
    summaries: tuple[str, str],
) -> None:
    """Add GET, a page of the items under the ``parent`` (its id is ``{parent}_id``) in the order
    ``sort`` (a ``sort_by``) offers, and POST, a new one under it, at ``path``; named
    ``list_{plural}`` and ``create_{kind}``, summed up by ``summaries``."""
    key = f"{parent}_id"

    async def list_items(**values: Any) -> Any:
        page = {name: values[name] for name in ("sort", "limit", "offset")}
        return await values["scope"].read(listing, values[key], **page)

    async def create_item(**values: Any) -> Any:
        body: BaseModel = values["body"]
        return await values["scope"].change(adding, values[key], **body.model_dump())

    page = {
        "scope": Reader,
        "sort": (Annotated[str | None, sort], None),
        "limit": (Limit, 50),
        "offset": (Offset, 0),
    }
    _add_route(
        router,
        path,
        "GET",
        list_items,
        f"list_{plural}",
        summaries[0],
        {key: Id, **page},
        response_model=page_of(read_model),
    )
    _add_route(
        router,
        path,
        "POST",
        create_item,
        f"create_{kind}",
        summaries[1],
        {key: Id, "body": create_model, "scope": PlanEditor},
        response_model=read_model,
        status_code=status.HTTP_201_CREATED,
    )


def _add_route(
    router: APIRouter,
    path: str,
    method: str,
    endpoint: Service,
    name: str,
    summary: str,
    parameters: dict[str, Any],
    **options: Any,
) -> None:
    """Add ``endpoint`` with ``parameters`` (an annotation, or one with its default, by name)."""
    # FastAPI reads the parameters from the signature: the path's id comes first, as written.
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                param,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=given[0] if isinstance(given, tuple) else given,
                default=given[1] if isinstance(given, tuple) else inspect.Parameter.empty,
            )
            for param, given in parameters.items()
        ]
    )
    router.add_api_route(path, endpoint, methods=[method], name=name, summary=summary, **options)
