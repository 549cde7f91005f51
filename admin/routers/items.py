"""Read, change and delete routes of one plan item, alike for every kind that has them.

The item is looked up in the caller's secretariat (404 otherwise); a change sends the
`version` read in its body and a deletion in its query, and a stale one answers 409.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel

from admin.auth import Id, PlanEditor, Reader

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
        name = f"{endpoint.__name__.removesuffix('_item')}_{kind}"
        # FastAPI reads the parameters from the signature: the path's id comes first, as written.
        endpoint.__signature__ = inspect.Signature(  # type: ignore[union-attr]
            [inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, annotation=Id)]
            + [
                inspect.Parameter(param, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)
                for param, annotation in parameters.items()
            ]
        )
        deleting = method == "DELETE"
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            name=name,
            summary=summary,
            description=deletion if deleting else None,
            response_model=None if deleting else read_model,
            status_code=status.HTTP_204_NO_CONTENT if deleting else None,
        )
