"""An indicator's series, direction and progress, computed from its facts on a fixed day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.models import Frequency, Scale, ValidationState
from core.plans.indicator_views import (
    Direction,
    IndicatorFacts,
    PeriodState,
    Reading,
    compute_series,
    indicator_progress,
)
from core.plans.periods import Period

GRACE = 10


def quarterly(baseline: str | None = "10", goal: str | None = "50", **changes) -> IndicatorFacts:
    facts = IndicatorFacts(
        id=1,
        name="Organizaciones participantes",
        unit="organizaciones",
        scale=Scale.COUNT,
        frequency=Frequency.QUARTERLY,
        baseline=None if baseline is None else Decimal(baseline),
        goal=None if goal is None else Decimal(goal),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        due_dates=None,
    )
    return facts._replace(**changes)


def reading(day: date, value: str, revision: int = 1) -> Reading:
    return Reading(day, revision, Decimal(value))


def test_each_period_is_reported_late_due_or_upcoming_as_of_the_day():
    # The first quarter's value was due on April 10, the second's is due on July 10.
    series = compute_series(quarterly(), [], GRACE, date(2026, 7, 5))
    assert [(period.ends_on, period.due_on, period.state) for period in series.periods] == [
        (date(2026, 3, 31), date(2026, 4, 10), PeriodState.LATE),
        (date(2026, 6, 30), date(2026, 7, 10), PeriodState.DUE),
        (date(2026, 9, 30), date(2026, 10, 10), PeriodState.UPCOMING),
        (date(2026, 12, 31), date(2027, 1, 10), PeriodState.UPCOMING),
    ]
    assert series.indicator.late == [Period(date(2026, 1, 1), date(2026, 3, 31))]

    reported = compute_series(
        quarterly(), [reading(date(2026, 3, 31), "14")], GRACE, date(2026, 7, 5)
    )
    assert reported.periods[0].state is PeriodState.REPORTED
    assert reported.periods[0].value == Decimal(14) and reported.periods[0].revisions == 1
    assert reported.indicator.late == []


def test_a_period_is_upcoming_on_its_last_day_and_due_on_its_due_day():
    on_last_day = compute_series(quarterly(), [], GRACE, date(2026, 3, 31))
    on_due_day = compute_series(quarterly(), [], GRACE, date(2026, 4, 10))
    day_after = compute_series(quarterly(), [], GRACE, date(2026, 4, 11))
    assert on_last_day.periods[0].state is PeriodState.UPCOMING
    assert on_due_day.periods[0].state is PeriodState.DUE
    assert day_after.periods[0].state is PeriodState.LATE


def test_a_value_reported_before_its_period_ends_counts_as_reported():
    series = compute_series(
        quarterly(), [reading(date(2026, 6, 30), "20")], GRACE, date(2026, 5, 2)
    )
    assert series.periods[1].state is PeriodState.REPORTED


def test_corrections_are_counted_and_the_highest_revision_is_shown():
    end = date(2026, 3, 31)
    readings = [reading(end, "30", revision=3), reading(end, "12"), reading(end, "20", revision=2)]
    series = compute_series(quarterly(), readings, GRACE, date(2026, 5, 1))
    first = series.periods[0]
    assert (first.value, first.revisions) == (Decimal(30), 3)
    assert series.indicator.latest == Decimal(30)
    assert series.indicator.progress == 0.5  # from 10 to 50, at 30


def test_the_latest_value_is_the_latest_periods_and_sets_the_progress():
    readings = [reading(date(2026, 6, 30), "20"), reading(date(2026, 3, 31), "40")]
    progress = compute_series(quarterly(), readings, GRACE, date(2026, 8, 1)).indicator
    assert progress.direction is Direction.UP
    assert (progress.latest, progress.latest_on) == (Decimal(20), date(2026, 6, 30))
    assert progress.progress == 0.25


def test_an_indicator_meant_to_go_down_counts_down():
    going_down = quarterly(baseline="80", goal="20")
    readings = [reading(date(2026, 3, 31), "50")]
    progress = compute_series(going_down, readings, GRACE, date(2026, 4, 1)).indicator
    assert progress.direction is Direction.DOWN
    assert progress.progress == 0.5
    worse = compute_series(going_down, [reading(date(2026, 3, 31), "95")], GRACE, date(2026, 4, 1))
    assert worse.indicator.progress == 0.0


def test_progress_is_clamped_between_baseline_and_goal():
    beyond = compute_series(
        quarterly(), [reading(date(2026, 3, 31), "75")], GRACE, date(2026, 4, 1)
    )
    behind = compute_series(quarterly(), [reading(date(2026, 3, 31), "2")], GRACE, date(2026, 4, 1))
    assert beyond.indicator.progress == 1.0
    assert behind.indicator.progress == 0.0


def test_without_a_baseline_a_goal_apart_or_a_value_there_is_no_progress():
    value = [reading(date(2026, 3, 31), "30")]
    day = date(2026, 4, 1)
    no_goal = compute_series(quarterly(goal=None), value, GRACE, day).indicator
    no_baseline = compute_series(quarterly(baseline=None), value, GRACE, day).indicator
    flat = compute_series(quarterly(baseline="50"), value, GRACE, day).indicator
    no_value = compute_series(quarterly(), [], GRACE, day).indicator
    assert [no_goal.direction, no_baseline.direction, flat.direction] == [None, None, None]
    assert [no_goal.progress, no_baseline.progress, flat.progress] == [None, None, None]
    assert no_value.direction is Direction.UP
    assert (no_value.latest, no_value.latest_on, no_value.progress) == (None, None, None)


def test_named_dates_end_the_periods():
    facts = quarterly(
        frequency=Frequency.DATES,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 11, 15),
        due_dates=["2026-05-15", "2026-11-15"],
    )
    series = compute_series(facts, [reading(date(2026, 5, 15), "25")], GRACE, date(2026, 12, 1))
    assert [(p.starts_on, p.ends_on, p.state) for p in series.periods] == [
        (date(2026, 1, 1), date(2026, 5, 15), PeriodState.REPORTED),
        (date(2026, 5, 16), date(2026, 11, 15), PeriodState.LATE),
    ]
    assert series.indicator.late == [Period(date(2026, 5, 16), date(2026, 11, 15))]


def test_a_value_on_a_day_that_ends_no_period_is_not_in_the_series():
    series = compute_series(
        quarterly(), [reading(date(2026, 2, 14), "30")], GRACE, date(2026, 5, 1)
    )
    assert series.periods[0].state is PeriodState.LATE
    assert series.indicator.latest is None


def test_a_plans_view_of_an_indicator_is_its_series_summary():
    first, second = date(2026, 3, 31), date(2026, 6, 30)
    readings = [reading(first, "30"), reading(second, "35"), reading(second, "38", revision=2)]
    for day in (date(2026, 3, 1), date(2026, 4, 5), date(2026, 8, 1), date(2027, 2, 1)):
        series = compute_series(quarterly(), readings, GRACE, day)
        summary = indicator_progress(
            quarterly(), {first, second}, (second, Decimal(38)), None, GRACE, day
        )
        assert summary == series.indicator


def test_validated_progress_counts_only_current_values_civil_society_validated():
    first, second, third = date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)
    readings = [
        Reading(first, 1, Decimal(20), ValidationState.VALIDATED),
        # The second period's first value was validated; its correction was not, yet.
        Reading(second, 1, Decimal(30), ValidationState.VALIDATED),
        Reading(second, 2, Decimal(34), ValidationState.OPEN),
        Reading(third, 1, Decimal(40), ValidationState.DISPUTED),
    ]
    series = compute_series(quarterly(), readings, GRACE, date(2026, 10, 1))
    assert [period.validation for period in series.periods] == [
        ValidationState.VALIDATED,
        ValidationState.OPEN,
        ValidationState.DISPUTED,
        None,
    ]
    progress = series.indicator
    assert (progress.latest, progress.progress) == (Decimal(40), 0.75)
    assert (progress.validated, progress.validated_on) == (Decimal(20), first)
    assert progress.validated_progress == 0.25
    summary = indicator_progress(
        quarterly(), {first, second, third}, (third, Decimal(40)), (first, Decimal(20)), GRACE,
        date(2026, 10, 1),
    )  # fmt: skip
    assert summary == progress
    nothing_validated = compute_series(quarterly(), readings[3:], GRACE, date(2026, 10, 1))
    assert nothing_validated.indicator.validated_progress is None
