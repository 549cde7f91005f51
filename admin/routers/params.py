"""Query parameters shared by the list endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

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
