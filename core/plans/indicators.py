"""Indicators of a plan: read, listed, created, changed and deleted within the secretariat that
owns the plan; their values are ``core.plans.measurements``'."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from itertools import pairwise
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.audit.changes import apply_changes, record_update
from core.errors import Conflict, InvalidInput
from core.infra.listing import Sorting
from core.infra.values import Cleaners, at_most, clean_fields, day, one_of, quantity, text
from core.infra.values import frequency as frequency_value
from core.models import EvidenceKind, Frequency, Indicator, Measurement, Person, Scale
from core.people import people
from core.plans.editable import (
    Children,
    check_version,
    delete_item,
    optional_text,
    replace_responsibles,
)
from core.plans.periods import Period, calendar
from core.plans.plans import get_plan, in_plans
from core.plans.records import INDICATOR_KEPT
from core.plans.structure import get_objective
from i18n import N_

# What the calendar of an indicator is made of: changing any of them may strand its values.
CALENDAR = ("frequency", "starts_on", "ends_on", "due_dates")
UNIT_LIMIT = 50  # the width of its column


async def get_indicator(session: AsyncSession, secretariat_id: int, indicator_id: int) -> Indicator:
    """The indicator ``indicator_id`` of one of the secretariat's plans, or NotFound."""
    missing = N_("Indicator {id} not found.")
    return await in_plans(session, Indicator, secretariat_id, indicator_id, missing)


INDICATOR_SORTING = Sorting(
    {"id": Indicator.id, "name": Indicator.name}, default="name", tie_breaker=Indicator.id
)


list_indicators = Children(Indicator, get_plan, Indicator.plan_id, INDICATOR_SORTING)


def scale_of_unit(unit: str) -> Scale:
    """The scale a unit implies when none is given: a percent for "%" or "porcentaje"."""
    lowered = unit.lower()
    return Scale.PERCENT if "%" in lowered or "porcentaje" in lowered else Scale.NUMBER


def periods(indicator: Indicator) -> list[Period]:
    """The indicator's periods, in order."""
    return _periods({field: getattr(indicator, field) for field in CALENDAR})


def _periods(values: Mapping[str, Any]) -> list[Period]:
    due = [date.fromisoformat(item) for item in values["due_dates"] or ()]
    return calendar(values["frequency"], values["starts_on"], values["ends_on"], due)


def _unit(value: Any) -> str:
    return at_most(text(value, "unit"), "unit", UNIT_LIMIT)


def _scale(value: Any) -> Scale:
    return one_of(Scale, value, "scale", N_("Unknown scale {value}; use one of: {choices}."))


def _required_day(value: Any, field: str) -> date:
    found = day(value, field)
    if found is None:
        raise InvalidInput(N_("The {field} must be a date (YYYY-MM-DD)."), field=field)
    return found


def _due_dates(value: Any) -> list[str] | None:
    """The days that end the periods, as stored: ascending, each once; none for an empty list."""
    if value is None:
        return None
    days = [_required_day(item, "due_dates") for item in value]
    if any(later <= earlier for earlier, later in pairwise(days)):
        raise InvalidInput(
            N_("The due dates must be in ascending order, each only once."), field="due_dates"
        )
    return [item.isoformat() for item in days] or None


def _evidence_kinds(value: Any) -> list[str] | None:
    """The kinds of evidence accepted, each once, in a fixed order; none named accepts any."""
    if value is None:
        return None
    chosen = {
        one_of(
            EvidenceKind,
            item,
            "evidence_kinds",
            N_("Unknown kind of evidence {value}; use one of: {choices}."),
        )
        for item in value
    }
    return [kind.value for kind in EvidenceKind if kind in chosen] or None


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(N_("The {field} must be true or false."), field="validated")
    return value


INDICATOR_FIELDS: Cleaners = {
    "name": lambda value: text(value, "name"),
    "unit": _unit,
    "scale": _scale,
    "frequency": frequency_value,
    "starts_on": lambda value: _required_day(value, "starts_on"),
    "ends_on": lambda value: _required_day(value, "ends_on"),
    "due_dates": _due_dates,
    "method": optional_text,
    "baseline": lambda value: quantity(value, "baseline"),
    "goal": lambda value: quantity(value, "goal"),
    "means_of_verification": optional_text,
    "evidence_kinds": _evidence_kinds,
    "validated": _flag,
    "objective_id": lambda value: value,
}


def _check_calendar(values: Mapping[str, Any]) -> None:
    """Its last day is not before its first; due dates are given, within them, only for an
    indicator measured on dates."""
    starts_on, ends_on, due = values["starts_on"], values["ends_on"], values["due_dates"]
    if ends_on < starts_on:
        raise InvalidInput(
            N_("The last day {ends_on} is before the first day {starts_on}."),
            field="ends_on",
            ends_on=ends_on.isoformat(),
            starts_on=starts_on.isoformat(),
        )
    if values["frequency"] is not Frequency.DATES:
        if due:
            raise InvalidInput(
                N_("Due dates are only for an indicator measured on dates, not {frequency}."),
                field="due_dates",
                frequency=values["frequency"].value,
            )
    elif not due:
        raise InvalidInput(
            N_("An indicator measured on dates needs at least one due date."), field="due_dates"
        )
    elif not starts_on.isoformat() <= due[0] <= due[-1] <= ends_on.isoformat():
        raise InvalidInput(
            N_("The due dates must fall from {starts_on} to {ends_on}."),
            field="due_dates",
            starts_on=starts_on.isoformat(),
            ends_on=ends_on.isoformat(),
        )


async def _refuse_stranded_values(
    session: AsyncSession, indicator_id: int, wanted: Mapping[str, Any], field: str
) -> None:
    """Refuses a calendar that would leave a value reported without its period, naming the
    ``field`` changed."""
    measured = set(
        await session.scalars(
            select(Measurement.measured_on).where(Measurement.indicator_id == indicator_id)
        )
    )
    stranded = sorted(measured - {period.ends_on for period in _periods(wanted)})
    if stranded:
        raise Conflict(
            N_(
                "Values were reported for the periods ending on {days}, which this calendar "
                "does not have; keep those periods, or make a new indicator."
            ),
            field=field,
            days=", ".join(item.isoformat() for item in stranded),
        )


async def _refuse_bad_values(
    session: AsyncSession,
    secretariat_id: int,
    plan_id: int,
    values: Mapping[str, Any],
    indicator: Indicator | None = None,
) -> None:
    """Its objective must be of its plan, its name new in it, its calendar sound; a stored
    indicator's new calendar keeps every period it has values for."""
    if values.get("objective_id") is not None:
        objective = await get_objective(session, secretariat_id, values["objective_id"])
        if objective.plan_id != plan_id:
            raise InvalidInput(
                N_("Objective {id} is not part of this plan."),
                field="objective_id",
                id=objective.id,
            )
    name = values.get("name")
    if (
        name is not None
        and (indicator is None or name != indicator.name)
        and await session.scalar(
            select(Indicator.id).where(Indicator.plan_id == plan_id, Indicator.name == name)
        )
    ):
        raise Conflict(N_("This plan already has an indicator named {name}."), name=name)
    stored = {field: getattr(indicator, field) for field in CALENDAR} if indicator else {}
    wanted = {**stored, **{field: values[field] for field in CALENDAR if field in values}}
    _check_calendar(wanted)
    changed = [field for field in CALENDAR if indicator and wanted[field] != stored[field]]
    if indicator is not None and changed:
        await _refuse_stranded_values(session, indicator.id, wanted, changed[0])


async def _responsibles(
    session: AsyncSession, secretariat_id: int, ids: Iterable[int]
) -> list[Person]:
    """The people named, in the order an indicator read back lists them."""
    chosen = await people.get_responsibles(session, secretariat_id, ids, "responsible_ids")
    return sorted(chosen, key=lambda person: person.id)


async def create_indicator(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    plan_id: int,
    *,
    name: str,
    unit: str,
    frequency: Frequency | str,
    scale: Scale | str | None = None,
    starts_on: date | str | None = None,
    ends_on: date | str | None = None,
    due_dates: Iterable[date | str] | None = None,
    method: str | None = None,
    baseline: Any = None,
    goal: Any = None,
    means_of_verification: str | None = None,
    evidence_kinds: Iterable[EvidenceKind | str] | None = None,
    validated: bool | None = None,
    objective_id: int | None = None,
    responsible_ids: Iterable[int] | None = None,
) -> Indicator:
    """A new indicator of the plan, its name unique in it. Unless given, its scale follows its
    unit, it is measured through the plan's year and it is not flagged ``validated``; the
    people responsible for it are of the secretariat."""
    plan = await get_plan(session, secretariat_id, plan_id)
    values = clean_fields(
        {
            "name": name,
            "unit": unit,
            "scale": scale if scale is not None else scale_of_unit(unit),
            "frequency": frequency,
            "starts_on": starts_on or date(plan.year, 1, 1),
            "ends_on": ends_on or date(plan.year, 12, 31),
            "due_dates": due_dates,
            "method": method,
            "baseline": baseline,
            "goal": goal,
            "means_of_verification": means_of_verification,
            "evidence_kinds": evidence_kinds,
            "validated": validated if validated is not None else False,
            "objective_id": objective_id,
        },
        INDICATOR_FIELDS,
    )
    await _refuse_bad_values(session, secretariat_id, plan.id, values)
    responsibles = await _responsibles(session, secretariat_id, responsible_ids or ())
    indicator = Indicator(plan_id=plan.id, responsibles=responsibles, **values)
    data = {
        **{
            field: values[field]
            for field in ("name", "scale", "baseline", "goal", "validated", *CALENDAR)
        },
        "responsible_ids": indicator.responsible_ids,
    }
    await chain.about(session, indicator, "indicator.create", actor, secretariat_id, plan.id, data)
    return indicator


async def update_indicator(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    indicator_id: int,
    *,
    version: int,
    responsible_ids: Iterable[int] | None = None,
    **fields: Any,
) -> Indicator:
    """Change the fields given of the indicator the editor last read as ``version``; its
    responsibles, when given, are replaced as a whole. No event is recorded when nothing
    differs."""
    indicator = await get_indicator(session, secretariat_id, indicator_id)
    check_version(indicator.version, version)
    values = clean_fields(fields, INDICATOR_FIELDS)
    if "frequency" in values and values["frequency"] is not Frequency.DATES:
        # Dates that ended the periods mean nothing once they are cut by a frequency.
        values.setdefault("due_dates", None)
    await _refuse_bad_values(session, secretariat_id, indicator.plan_id, values, indicator)
    change = apply_changes(indicator, values)
    if responsible_ids is not None:
        chosen = await _responsibles(session, secretariat_id, responsible_ids)
        replace_responsibles(indicator, chosen, change, "name")
    if change["after"]:
        await record_update(
            session, actor, "indicator", indicator, secretariat_id, indicator.plan_id, change
        )
    return indicator


async def delete_indicator(
    session: AsyncSession, secretariat_id: int, actor: Actor, indicator_id: int, *, version: int
) -> None:
    """Delete the indicator the editor last read as ``version``; one with values is kept."""
    indicator = await get_indicator(session, secretariat_id, indicator_id)
    check_version(indicator.version, version)
    await INDICATOR_KEPT(session, indicator)
    data = {"name": indicator.name}
    await delete_item(
        session, actor, "indicator", indicator, secretariat_id, indicator.plan_id, data
    )
