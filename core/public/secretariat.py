"""A secretariat's public page: its plans and, for one of them, the figures at a glance, its
lines of action and activities with their three statuses (reported, validated, on schedule),
the timeline, the indicators and the latest advances.

Filtered by priorities of the national policy, the page keeps the lines of action citing one
of them, with their activities, the indicators measuring them and the advances of their tasks;
the figures at a glance stay the whole plan's.

Every part is read with a fixed number of statements, whatever the plan's size. Nothing here
names a person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import (
    Frequency,
    Indicator,
    Measurement,
    Objective,
    Plan,
    Secretariat,
    TaskStatus,
)
from core.plans.dependencies import plan_edges
from core.plans.indicator_views import IndicatorFacts, IndicatorProgress, indicator_progress
from core.plans.indicators import list_indicators
from core.plans.measurements import indicator_measurements, plan_measurements, validated_days
from core.plans.progress import Progress, plan_readings, with_task_percents
from core.plans.schedule import compute_schedule
from core.policy.pea import cited, pea_mappings
from core.public.overview import AdvanceCounts, advance_states, current_plan, last_activity
from core.public.pace import Pace, expectations, late_tasks, pace
from core.public.recent_advances import Advance, recent_advances

# Indicators shown of a plan (a plan holds a handful; the cap keeps a page bounded).
MAX_INDICATORS = 100


@dataclass(frozen=True, slots=True)
class PlanLink:
    id: int
    title: str
    year: int


@dataclass(frozen=True, slots=True)
class ActivityView:
    id: int
    code: str
    title: str
    reported: float
    validated: float
    expected: float
    pace: Pace
    late_tasks: int
    tasks_total: int
    tasks_done: int
    start: date | None
    finish: date | None
    # It holds a task without slack: a day lost there is a day lost at the plan's end.
    critical: bool


@dataclass(frozen=True, slots=True)
class LineView:
    """A line of action, with the priority of the state policy (PEA) it serves and the
    priorities of the national policy it cites."""

    id: int
    code: str
    title: str
    pea_priority: str | None
    pna_priorities: tuple[int, ...]
    reported: float
    validated: float
    pace: Pace
    activities: list[ActivityView]


@dataclass(frozen=True, slots=True)
class Reading:
    day: date
    value: Decimal
    # Civil society validated this value (the period's current one), rather than only the
    # secretariat reporting it.
    validated: bool = False


@dataclass(frozen=True, slots=True)
class IndicatorView:
    id: int
    name: str
    unit: str
    frequency: Frequency
    baseline: Decimal | None
    goal: Decimal | None
    measurements: list[Reading]
    # Where it stands as of the page's day: shown with its plan, not beside a practice.
    standing: IndicatorProgress | None = None


@dataclass(frozen=True, slots=True)
class Behind:
    """Of the plan's activities, how many are behind schedule and how many of those hold a
    task on the critical path."""

    activities: int
    total: int
    critical: int


@dataclass(frozen=True, slots=True)
class PlanView:
    id: int
    title: str
    year: int
    description: str | None
    reported: float
    validated: float
    expected: float
    pace: Pace
    updated: datetime | None
    advances: AdvanceCounts
    behind: Behind
    # The lines the filter kept (every line without one), and what hangs off them.
    lines: list[LineView]
    indicators: list[IndicatorView]
    recent: list[Advance]
    # The schedule's first and last days.
    start: date
    finish: date

    @property
    def activities(self) -> list[ActivityView]:
        """The activities of the lines shown, in the plan's order."""
        return [activity for line in self.lines for activity in line.activities]


@dataclass(frozen=True, slots=True)
class SecretariatPage:
    slug: str
    name: str
    state: str
    plans: list[PlanLink]
    current_id: int | None
    plan: PlanView | None


class NoSuchPlan(LookupError):
    """The secretariat has no plan of that id."""


async def secretariat_page(
    session: AsyncSession,
    secretariat: Secretariat,
    today: date,
    plan_id: int | None = None,
    numbers: frozenset[int] | None = None,
) -> SecretariatPage:
    """The secretariat's plans, and plan ``plan_id`` in full (its current plan without one),
    kept to the lines citing one of the national priorities ``numbers`` when given;
    NoSuchPlan if ``plan_id`` is not one of its plans."""
    plans = list(await session.scalars(select(Plan).where(Plan.secretariat_id == secretariat.id)))
    current = current_plan(plans, today)
    if plan_id is None:
        shown = current
    else:
        shown = next((plan for plan in plans if plan.id == plan_id), None)
        if shown is None:
            raise NoSuchPlan(plan_id)
    links = [
        PlanLink(plan.id, plan.title, plan.year)
        for plan in sorted(plans, key=lambda plan: (-plan.year, plan.title, plan.id))
    ]
    return SecretariatPage(
        secretariat.slug,
        secretariat.name,
        secretariat.state,
        links,
        current.id if current else None,
        await plan_view(session, shown, today, numbers) if shown else None,
    )


async def plan_view(
    session: AsyncSession, plan: Plan, today: date, numbers: frozenset[int] | None = None
) -> PlanView:
    """The plan's public figures as of ``today``; with ``numbers``, only the lines citing one
    of those national priorities, and what hangs off them."""
    readings = await plan_readings(session, plan.secretariat_id, plan.id)
    reported, validated, rows = readings.reported, readings.validated, readings.rows
    schedule = compute_schedule(rows, await plan_edges(session, plan.id), date(plan.year, 1, 1))
    expected = with_task_percents(reported, expectations(schedule, today))
    late = late_tasks(rows, schedule, today)
    critical = {timing.task_id for timing in schedule.tasks if timing.critical}
    citations = await _citations(session, plan)
    spans: dict[int, list[tuple[date, date]]] = defaultdict(list)
    timings = {timing.task_id: timing for timing in schedule.tasks}
    for row in rows:
        if row.status != TaskStatus.CANCELLED:
            timing = timings[row.id]
            spans[row.activity_id].append((timing.earliest_start, timing.earliest_finish))
    lines = [
        _line(line, confirmed, hoped, citations[line.id], late, critical, spans)
        for line, confirmed, hoped in zip(
            reported.children, validated.children, expected.children, strict=True
        )
    ]
    kept = None
    if numbers is not None:
        kept = {line.id for line in lines if numbers.intersection(line.pna_priorities)}
    states = await advance_states(session, [plan.id])
    moved = await last_activity(session, [plan.id])
    return PlanView(
        plan.id,
        plan.title,
        plan.year,
        plan.description,
        reported.percent,
        validated.percent,
        expected.percent,
        pace(reported, expected, len(late)),
        moved.get(plan.id),
        AdvanceCounts.of(states[plan.id]),
        _behind(lines),
        [line for line in lines if kept is None or line.id in kept],
        await _indicators(session, plan, kept, today),
        await recent_advances(session, plan.id, lines=kept),
        schedule.start,
        schedule.finish,
    )


async def _citations(
    session: AsyncSession, plan: Plan
) -> dict[int, tuple[str | None, tuple[int, ...]]]:
    """Each line of action's PEA priority and the national priorities it cites."""
    rows = await session.execute(
        select(Objective.id, Objective.pea_priority, Objective.pna_priorities).where(
            Objective.plan_id == plan.id
        )
    )
    mapped = (await pea_mappings(session, [plan.secretariat_id]))[plan.secretariat_id]
    return {line_id: (pea, tuple(cited(own, pea, mapped))) for line_id, pea, own in rows.all()}


def _behind(lines: list[LineView]) -> Behind:
    activities = [activity for line in lines for activity in line.activities]
    behind = [activity for activity in activities if activity.pace == Pace.BEHIND]
    return Behind(len(behind), len(activities), sum(activity.critical for activity in behind))


def _line(
    reported: Progress,
    validated: Progress,
    expected: Progress,
    citation: tuple[str | None, tuple[int, ...]],
    late: set[int],
    critical: set[int],
    spans: dict[int, list[tuple[date, date]]],
) -> LineView:
    activities = []
    for activity, confirmed, hoped in zip(
        reported.children, validated.children, expected.children, strict=True
    ):
        task_ids = {task.id for task in activity.children}
        behind = len(task_ids & late)
        days = spans[activity.id]
        activities.append(
            ActivityView(
                activity.id,
                activity.code or "",
                activity.title,
                activity.percent,
                confirmed.percent,
                hoped.percent,
                pace(activity, hoped, behind),
                behind,
                activity.tasks_total,
                activity.tasks_done,
                min((start for start, _ in days), default=None),
                max((finish for _, finish in days), default=None),
                bool(task_ids & critical),
            )
        )
    behind = sum(activity.late_tasks for activity in activities)
    return LineView(
        reported.id,
        reported.code or "",
        reported.title,
        *citation,
        reported.percent,
        validated.percent,
        pace(reported, expected, behind),
        activities,
    )


async def _indicators(
    session: AsyncSession, plan: Plan, lines: set[int] | None, today: date
) -> list[IndicatorView]:
    """The plan's indicators, each with where it stands today; with ``lines``, only those
    measuring one of them."""
    listed = await list_indicators(session, plan.secretariat_id, plan.id, limit=MAX_INDICATORS)
    shown = [
        indicator for indicator in listed.items if lines is None or indicator.objective_id in lines
    ]
    validated = await validated_days(session, [indicator.id for indicator in shown])
    views = _indicator_views(shown, await plan_measurements(session, plan.id), validated)
    return [
        replace(view, standing=_standing(indicator, view, plan.measurement_grace_days, today))
        for indicator, view in zip(shown, views, strict=True)
    ]


def _standing(
    indicator: Indicator, view: IndicatorView, grace_days: int, today: date
) -> IndicatorProgress:
    # The readings are each period's current value, oldest first.
    readings = view.measurements
    latest = (readings[-1].day, readings[-1].value) if readings else None
    validated = [reading for reading in readings if reading.validated]
    confirmed = (validated[-1].day, validated[-1].value) if validated else None
    reported = {reading.day for reading in readings}
    facts = IndicatorFacts.of(indicator)
    return indicator_progress(facts, reported, latest, confirmed, grace_days, today)


async def indicators_by_id(session: AsyncSession, ids: Sequence[int]) -> list[IndicatorView]:
    """The indicators named, in that order, each with its measurements and which of them civil
    society validated, in three statements."""
    found = {
        indicator.id: indicator
        for indicator in await session.scalars(select(Indicator).where(Indicator.id.in_(ids)))
    }
    listed = [found[item] for item in ids if item in found]
    measured = await indicator_measurements(session, ids)
    return _indicator_views(listed, measured, await validated_days(session, ids))


def _indicator_views(
    indicators: Sequence[Indicator],
    measured: Mapping[int, Sequence[Measurement]],
    validated: Mapping[int, set[date]],
) -> list[IndicatorView]:
    return [
        IndicatorView(
            indicator.id,
            indicator.name,
            indicator.unit,
            indicator.frequency,
            indicator.baseline,
            indicator.goal,
            [
                Reading(m.measured_on, m.value, m.measured_on in validated.get(indicator.id, ()))
                for m in measured.get(indicator.id, [])
            ],
        )
        for indicator in indicators
    ]
