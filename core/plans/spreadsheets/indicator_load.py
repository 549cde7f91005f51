"""A file's indicators and values written through the indicator and measurement services, so
that every rule of theirs applies; what a service refuses becomes a problem of its row.

Indicators are matched by name: a new name creates one, a known one is changed where its row
differs, and one the ``Indicadores`` sheet leaves out is deleted (one with values is kept, and
the file refused). A value is a row of ``Mediciones``: a period with none gets its first, a
different one is a correction (a new revision), the same one changes nothing, and a period the
sheet leaves out keeps its values. A file without either sheet leaves what it holds unchanged.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.actor import Actor
from core.errors import DomainError, InvalidInput
from core.models import Indicator, Measurement, Plan
from core.plans.indicators import create_indicator, delete_indicator, periods, update_indicator
from core.plans.measurements import plan_measurements
from core.plans.periods import period_of
from core.plans.spreadsheets.columns import Sheet
from core.plans.spreadsheets.indicator_columns import INDICATORS, MEASUREMENTS
from core.plans.spreadsheets.indicator_parse import (
    IndicatorDraft,
    MeasurementDraft,
    ParsedIndicators,
)
from core.plans.spreadsheets.problems import CellError
from core.plans.spreadsheets.references import referenced
from core.reporting.measurements import report_measurement
from i18n import N_

T = TypeVar("T")

# The field a service names in a refusal, as the column of the sheet that holds it.
COLUMN_OF_FIELD = {
    "responsible_ids": "responsibles",
    "objective_id": "objective_code",
    "correction": "period",
}


@dataclass(frozen=True)
class IndicatorChanges:
    """What the ``Indicadores`` and ``Mediciones`` sheets change: indicators by name, and how
    many periods get their first value and how many a correction."""

    created: list[str]
    changed: list[str]
    removed: list[str]
    recorded: int
    corrected: int


NO_CHANGES = IndicatorChanges([], [], [], 0, 0)


class _Writer:
    """The services called row by row; each refusal is kept as a problem and the next row
    written, so that one answer lists them all (the caller's transaction is then undone)."""

    def __init__(self, session: AsyncSession, secretariat_id: int, actor: Actor) -> None:
        self.session, self.secretariat_id, self.actor = session, secretariat_id, actor
        self.problems: list[CellError] = []
        # Indicators whose rows were refused: their values are not refused again for it.
        self.refused: set[str] = set()

    async def attempt(self, row: int | None, sheet: Sheet, call: Awaitable[T]) -> T | None:
        """What ``call`` gives, or None when its service refuses the row."""
        try:
            return await call
        except DomainError as error:
            self.refuse(row, sheet, error)
            return None

    def refuse(self, row: int | None, sheet: Sheet, error: DomainError) -> None:
        """A service's refusal as a problem of the row, in the column of the field it names."""
        column = COLUMN_OF_FIELD.get(error.field or "", error.field)
        self.problems.append(CellError(row, column, error, sheet))


async def write_indicators(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    plan: Plan,
    parsed: ParsedIndicators,
    people: dict[str, int],
    objective_ids: dict[str, int],
) -> tuple[IndicatorChanges, list[CellError]]:
    """Make the plan's indicators and values what the sheets say, in the caller's transaction;
    with the problems met, which the caller refuses the whole file for. ``objective_ids`` are
    the plan's objectives by code, as the file leaves them."""
    writer = _Writer(session, secretariat_id, actor)
    if not parsed.present:
        return NO_CHANGES, []
    stored = {
        indicator.name: indicator
        for indicator in await session.scalars(
            select(Indicator).where(Indicator.plan_id == plan.id).order_by(Indicator.id)
        )
    }
    created: list[str] = []
    changed: list[str] = []
    removed: list[str] = []
    if parsed.indicators is not None:
        named = {draft.name for draft in parsed.indicators}
        for name, indicator in list(stored.items()):
            if name in named:
                continue
            try:
                await delete_indicator(
                    session, secretariat_id, actor, indicator.id, version=indicator.version
                )
            except DomainError as error:
                writer.refuse(None, INDICATORS, error)  # it has values: kept
                continue
            removed.append(name)
            del stored[name]
        for draft in parsed.indicators:
            values = _values(draft, plan, parsed.indicator_columns, people, objective_ids)
            existing = stored.get(draft.name)
            if existing is None:
                creation = create_indicator(
                    session, secretariat_id, actor, plan.id, name=draft.name, **values
                )
                if made := await writer.attempt(draft.row, INDICATORS, creation):
                    stored[draft.name] = made
                    created.append(draft.name)
                else:
                    writer.refused.add(draft.name)
            elif differ := _differences(existing, values):
                update = update_indicator(
                    session, secretariat_id, actor, existing.id, version=existing.version, **differ
                )
                if await writer.attempt(draft.row, INDICATORS, update):
                    changed.append(draft.name)
                else:
                    writer.refused.add(draft.name)
    recorded, corrected = await _record(writer, plan, parsed, stored)
    changes = IndicatorChanges(created, changed, removed, recorded, corrected)
    return changes, writer.problems


def _values(
    draft: IndicatorDraft,
    plan: Plan,
    columns: frozenset[str],
    people: dict[str, int],
    objective_ids: dict[str, int],
) -> dict[str, Any]:
    """The row's fields as the services take them, of the columns the sheet has."""
    values = dict(draft.values)
    # An empty first or last day is the plan's year's, as when the API is given none.
    if "starts_on" in values:
        values["starts_on"] = values["starts_on"] or date(plan.year, 1, 1)
    if "ends_on" in values:
        values["ends_on"] = values["ends_on"] or date(plan.year, 12, 31)
    if "objective_code" in columns:
        values["objective_id"] = objective_ids.get(draft.objective_code or "")
    if "responsibles" in columns:
        values["responsible_ids"] = sorted(referenced(draft.responsibles, people))
    return values


def _differences(indicator: Indicator, values: dict[str, Any]) -> dict[str, Any]:
    """The fields whose values differ from the indicator's."""
    differ = {
        name: value
        for name, value in values.items()
        if name != "responsible_ids" and getattr(indicator, name) != value
    }
    if "responsible_ids" in values and values["responsible_ids"] != indicator.responsible_ids:
        differ["responsible_ids"] = values["responsible_ids"]
    return differ


async def _record(
    writer: _Writer, plan: Plan, parsed: ParsedIndicators, indicators: dict[str, Indicator]
) -> tuple[int, int]:
    """The values of ``Mediciones`` that are new or differ, recorded; how many are first values
    and how many corrections."""
    if not parsed.measurements:
        return 0, 0
    current = {
        (measurement.indicator_id, measurement.measured_on): measurement
        for values in (await plan_measurements(writer.session, plan.id)).values()
        for measurement in values
    }
    rows: dict[tuple[int, date], int] = {}
    recorded = corrected = 0
    for draft in parsed.measurements:
        indicator = indicators.get(draft.indicator)
        if draft.indicator in writer.refused:
            continue
        if indicator is None:
            writer.problems.append(_no_indicator(draft))
            continue
        period = period_of(periods(indicator), draft.day)
        key = (indicator.id, period.ends_on) if period else None
        if key in rows:
            writer.problems.append(_twice(draft, rows[key]))
            continue
        if key:
            rows[key] = draft.row
        last = current.get(key) if key else None
        # Without its column, a correction keeps the note of the value it supersedes.
        kept = last.note if last else None
        note = draft.note if "note" in parsed.measurement_columns else kept
        if last is not None and last.value == draft.value and last.note == note:
            continue
        if last is not None and draft.revision not in (None, last.revision):
            writer.problems.append(_stale(draft, last))
            continue
        recording = report_measurement(
            writer.session,
            writer.secretariat_id,
            writer.actor,
            indicator.id,
            period=draft.day,
            value=draft.value,
            note=note,
            correction=last is not None,
            # The file is the confirmation: nobody can be asked about a far value in it.
            confirmed=True,
        )
        if await writer.attempt(draft.row, MEASUREMENTS, recording):
            if last is None:
                recorded += 1
            else:
                corrected += 1
    return recorded, corrected


def _no_indicator(draft: MeasurementDraft) -> CellError:
    return CellError(
        draft.row,
        "indicator",
        InvalidInput(N_("The plan has no indicator named {name}."), name=draft.indicator),
        MEASUREMENTS,
    )


def _twice(draft: MeasurementDraft, row: int) -> CellError:
    return CellError(
        draft.row,
        "period",
        InvalidInput(
            N_("Row {row} already gives this indicator a value for the period of {day}."),
            row=row,
            day=draft.day.isoformat(),
        ),
        MEASUREMENTS,
    )


def _stale(draft: MeasurementDraft, last: Measurement) -> CellError:
    return CellError(
        draft.row,
        "revision",
        InvalidInput(
            N_(
                "The row changes revision {revision} of the period's value, but the plan now "
                "holds revision {current}: export the plan again and make the change there."
            ),
            revision=draft.revision,
            current=last.revision,
        ),
        MEASUREMENTS,
    )
