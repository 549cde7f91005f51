"""Shapes shared by every resource: bounded texts, ids, pages, read models of core's results."""

from __future__ import annotations

import dataclasses
import sys
import types
from datetime import date
from decimal import Decimal
from typing import (
    Annotated,
    Any,
    Generic,
    Self,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, create_model
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from admin.auth import MAX_ID
from core.infra.values import FIRST_DAY, LAST_DAY, MAX_TASK_HOURS
from core.policy import PRIORITY_COUNT


def _printable(value: str) -> str:
    # PostgreSQL refuses NUL in text; refuse it here with a clear message instead.
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "must not contain NUL characters")
    return value


# A text field is a stripped string of bounded length without NUL characters:
# ``Annotated[str, length(300), PRINTABLE]``, its bounds first, as pydantic applies them.
PRINTABLE = AfterValidator(_printable)


def length(max_length: int, min_length: int = 1) -> StringConstraints:
    """A text field's bounds, checked once its value is stripped."""
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


Title = Annotated[str, length(300), PRINTABLE]
Code = Annotated[str, length(32), PRINTABLE]
LongText = Annotated[str, length(20_000, min_length=0), PRINTABLE]
# A body's numbers are JSON numbers: strict, so that true is never taken for 1.
Ref = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
RefQuery = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[
    int,
    Field(
        strict=True,
        ge=1,
        le=MAX_ID,
        description="The version you last read; a stale one answers 409.",
    ),
]
Hours = Annotated[Decimal, Field(ge=0, le=9_999_999, max_digits=9, decimal_places=2)]
TaskHours = Annotated[
    Decimal,
    Field(
        ge=0,
        le=MAX_TASK_HOURS,
        max_digits=9,
        decimal_places=2,
        description=f"Hours, from 0 to {MAX_TASK_HOURS}.",
    ),
]
Day = Annotated[
    date,
    Field(
        ge=FIRST_DAY,
        le=LAST_DAY,
        description=f"A date from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}.",
    ),
]
# Priorities of the national anticorruption policy, by number.
PnaPriority = Annotated[int, Field(strict=True, ge=1, le=PRIORITY_COUNT)]
PnaPriorities = Annotated[list[PnaPriority], Field(max_length=PRIORITY_COUNT)]
Weight = Annotated[Decimal, Field(gt=0, le=9_999_999, max_digits=10, decimal_places=3)]
Amount = Annotated[Decimal, Field(ge=-(10**13), le=10**13, max_digits=18, decimal_places=4)]

T = TypeVar("T")


def examples(*values: dict[str, Any]) -> ConfigDict:
    """A request body's config: unknown fields refused, and these examples shown in the docs."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(values)})


class VersionBody(BaseModel):
    """The body of an action on an item: the version of it the caller read."""

    model_config = examples({"version": 1})

    version: Version


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of_attributes(cls, source: object, /, **given: Any) -> Self:
        """This model with each field not ``given`` read from ``source``'s attribute of its name."""
        read = {name: getattr(source, name) for name in cls.model_fields if name not in given}
        return cls(**read, **given)


# Each dataclass given a read model, so that another one holding it shows it by that model.
_READ_MODELS: dict[type[Any], type[ReadModel]] = {}


def read_model(
    source: type[Any], name: str, doc: str | None = None, /, **fields: Any
) -> type[ReadModel]:
    """The read model of a core dataclass: its fields, in its order, under the schema name (and
    with the description) given.

    Every field is required (an answer always carries it); amounts (``Decimal``) read as numbers,
    and a dataclass that already has a read model is shown by it. A keyword changes one field:
    a ``Field(...)`` keeps the field's type and adds its description or default, anything else
    replaces the type.
    """
    unknown = set(fields) - {field.name for field in dataclasses.fields(source)}
    if unknown:
        raise TypeError(f"{source.__name__} has no field {', '.join(sorted(unknown))}")
    hints = get_type_hints(source)
    definitions: dict[str, Any] = {}
    for field in dataclasses.fields(source):
        shown = _shown(hints[field.name], source, name)
        change = fields.get(field.name)
        if isinstance(change, FieldInfo):
            definitions[field.name] = (shown, change)
        elif change is not None:
            definitions[field.name] = (change, ...)
        else:
            definitions[field.name] = (shown, ...)
    model: type[ReadModel] = create_model(
        name,
        __base__=ReadModel,
        __doc__=doc,
        __module__=sys._getframe(1).f_globals["__name__"],
        **definitions,
    )
    model.model_rebuild(_types_namespace={name: model})
    _READ_MODELS[source] = model
    return model


def _shown(hint: Any, source: type[Any], name: str) -> Any:
    """The type a read model shows for a dataclass field's type."""
    if hint is Decimal:
        return float
    if hint is source:
        return name  # the model being built: a forward reference to itself
    if hint in _READ_MODELS:
        return _READ_MODELS[hint]
    args = get_args(hint)
    if not args:
        return hint
    shown = tuple(_shown(arg, source, name) for arg in args)
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return Union[shown]  # noqa: UP007 -- built from a tuple of types
    return origin[shown]


# The answer's shape of core.infra.listing.Page, which list routes return as it is or mapped.
class Page(BaseModel, Generic[T]):
    """One page of a list, with the total count for the filters given."""

    items: list[T]
    total: int = Field(description="How many items match, over every page.")
    limit: int
    offset: int


def page_of(model: type[BaseModel]) -> type[Page[BaseModel]]:
    """The page of ``model``, a model given as a value (a read model built when its module
    loads), which mypy cannot take as a type argument."""
    return Page[model]  # type: ignore[valid-type]
