"""Query parameters shared by the list endpoints, and the shape of a route that creates."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from core.infra.listing import MAX_LIMIT

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")]


def sort_param(*names: str, default: str):
    choices = ", ".join(names)
    return Annotated[
        str | None,
        Query(
            max_length=40,
            pattern=r"^-?[a-z_]+$",
            description=f"Field to sort by ({choices}); '-' in front for descending. "
            f"Default: {default}.",
        ),
    ]


def creates(router: APIRouter, path: str, model: Any, summary: str, **options: Any):
    """A POST route of ``router`` that answers 201 Created with the ``model`` it made."""
    return router.post(
        path, summary=summary, status_code=status.HTTP_201_CREATED, response_model=model, **options
    )
