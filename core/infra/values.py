"""Checks of the values people type into plans, with a precise, translatable refusal."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from core.errors import InvalidInput
from core.models import (
    Frequency,
)
from i18n import N_

E = TypeVar("E", bound=Enum)
TEXT_LIMIT = 300
# Characters XML 1.0 cannot hold (so no .xlsx can), NUL included (PostgreSQL refuses it too):
# control characters other than tab and line breaks, lone surrogates, U+FFFE and U+FFFF.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def storable(value: str, field: str) -> str:
    """``value`` with its line breaks as ``\n`` when every export can hold it; refused naming
    the first character it cannot. (An .xlsx reads a carriage return back as a line feed, so
    one kept as it came would not survive an export and its import.)"""
    found = UNSTORABLE.search(value)
    if found:
        raise InvalidInput(
            N_("The {field} holds a character that cannot be stored (U+{code})."),
            field=field,
            code=f"{ord(found.group()):04X}",
        )
    return value.replace("\r\n", "\n").replace("\r", "\n")


# Plans are annual and their years run from 2000 to 2100: a date outside these is a typo, and
# one near year 9999 would carry a schedule past the last date a calendar can hold.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
# A task of more than about five working years is a plan of its own, or a typo.
MAX_TASK_HOURS = Decimal(10_000)


def at_most(value: str, field: str, limit: int) -> str:
    """``value``, refused naming ``field`` when it is longer than ``limit`` characters."""
    if len(value) > limit:
        raise InvalidInput(
            N_("The {field} is longer than {limit} characters."), field=field, limit=limit
        )
    return value


def text(value: Any, field: str = "title") -> str:
    text = str(value or "").strip()
    if not text:
        raise InvalidInput(N_("The {field} cannot be empty."), field=field)
    return storable(at_most(text, field, TEXT_LIMIT), field)


def non_negative(value: Any, field: str, *, positive: bool = False) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(N_("The {field} must be a number."), field=field) from None
    if not number.is_finite() or number < 0 or (positive and number == 0):
        message = (
            N_("The {field} must be greater than zero.")
            if positive
            else N_("The {field} cannot be negative.")
        )
        raise InvalidInput(message, field=field)
    if number > Decimal("99999999"):
        raise InvalidInput(N_("The {field} is too large."), field=field)
    return number


def task_hours(value: Any, field: str) -> Decimal:
    """Hours a task is estimated to take: from 0 to ``MAX_TASK_HOURS``."""
    number = non_negative(value, field)
    if number > MAX_TASK_HOURS:
        raise InvalidInput(
            N_("The {field} must be at most {limit} hours."), field=field, limit=MAX_TASK_HOURS
        )
    return number


def percent(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise InvalidInput(N_("The percent must be a whole number from 0 to 100."), field="percent")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal(-1)
    if number != number.to_integral_value() or not 0 <= number <= 100:
        raise InvalidInput(N_("The percent must be a whole number from 0 to 100."), field="percent")
    return int(number)


def string_list(values: Iterable[Any] | None, field: str) -> list[str]:
    """Entries of one line each (a spreadsheet cell holds them one per line), 1 to 300 long."""
    items = [str(item).strip() for item in (values or [])]
    if any(not item or len(item) > TEXT_LIMIT for item in items):
        raise InvalidInput(
            N_("Each entry of {field} must have 1 to {limit} characters."),
            field=field,
            limit=TEXT_LIMIT,
        )
    if any(len(item.splitlines()) > 1 for item in items):
        raise InvalidInput(N_("Each entry of {field} must be a single line."), field=field)
    return [storable(item, field) for item in items]


def quantity(value: Any, field: str) -> Decimal | None:
    """A measured amount: any finite number, negative ones included (a change, a balance)."""
    if value is None:
        return None
    text_value = str(value).strip()
    magnitude = non_negative(text_value.removeprefix("-"), field)
    return -magnitude if text_value.startswith("-") else magnitude


def weight(value: Any) -> Decimal | None:
    """An optional weight in the progress roll-up: unset, or greater than zero."""
    return None if value is None else non_negative(value, "weight", positive=True)


def one_of(kind: type[E], value: Any, field: str, message: str) -> E:
    """A member of ``kind`` by its value; ``message`` refuses any other with the choices."""
    try:
        return kind(value)
    except ValueError:
        raise InvalidInput(
            message,
            field=field,
            value=value,
            choices=", ".join(item.value for item in kind),
        ) from None


def frequency(value: Any) -> Frequency:
    return one_of(
        Frequency, value, "frequency", N_("Unknown frequency {value}; use one of: {choices}.")
    )


def day(value: Any, field: str) -> date | None:
    """An optional calendar date from ``FIRST_DAY`` to ``LAST_DAY``, given as a date or as
    ``YYYY-MM-DD``."""
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        result = value
    else:
        try:
            result = date.fromisoformat(str(value))
        except ValueError:
            raise InvalidInput(
                N_("The {field} must be a date (YYYY-MM-DD)."), field=field
            ) from None
    if not FIRST_DAY <= result <= LAST_DAY:
        raise InvalidInput(
            N_("The {field} must be a date from {first} to {last}."),
            field=field,
            first=FIRST_DAY.isoformat(),
            last=LAST_DAY.isoformat(),
        )
    return result


Cleaners = Mapping[str, Callable[[Any], Any]]


def clean_fields(values: Mapping[str, Any], cleaners: Cleaners) -> dict[str, Any]:
    """Each value through its field's cleaner; a field without one is refused."""
    unknown = set(values) - set(cleaners)
    if unknown:
        raise InvalidInput(N_("Unknown field {field}."), field=sorted(unknown)[0])
    return {name: cleaners[name](value) for name, value in values.items()}
