"""Shapes shared by every resource: bounded texts, ids, pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from admin.auth import MAX_ID


def _printable(value: str) -> str:
    # PostgreSQL refuses NUL in text; refuse it here with a clear message instead.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def text(max_length: int, min_length: int = 1):
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_printable),
    ]


Title = text(300)
Code = text(32)
LongText = text(20_000, min_length=0)
Ref = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[
    int, Field(ge=1, le=MAX_ID, description="The version you last read; a stale one answers 409.")
]
Hours = Annotated[Decimal, Field(ge=0, le=9_999_999, max_digits=9, decimal_places=2)]
Weight = Annotated[Decimal, Field(gt=0, le=9_999_999, max_digits=10, decimal_places=3)]
Amount = Annotated[Decimal, Field(ge=-(10**13), le=10**13, max_digits=18, decimal_places=4)]

T = TypeVar("T")


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    """One page of a list, with the total count for the filters given."""

    items: list[T]
    total: int = Field(description="How many items match, over every page.")
    limit: int
    offset: int
