"""Whether a plan's activities keep to their schedule, by a rule a citizen can reproduce.

A task's days are the ones the plan's schedule gives it: from its start date to its due date,
later if a task it waits for ends later (finish-to-start, with the dependency's lag), and without
dates its estimated hours at eight a day. By a given day a task is expected to have done the
share of its days that passed before that day: 0 % before it starts, 100 % once its due date
has passed. An activity is expected to have done the mean of its tasks' expectations, weighted
as its progress is.

An activity is *behind* when one of its unfinished tasks is past its due date, or when the
progress it reports is more than ``MARGIN`` points below what is expected of it by that day.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date

from core.models import TaskStatus
from core.plans.progress import Progress
from core.plans.schedule import Schedule
from core.plans.tasks import TaskRow

# Percentage points a report may trail the expectation before the activity counts as behind:
# reports come in steps, not day by day.
MARGIN = 10.0
OPEN = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED)


class Pace(enum.StrEnum):
    FINISHED = "finished"
    ON_SCHEDULE = "on_schedule"
    BEHIND = "behind"
    NO_TASKS = "no_tasks"


def expected_share(start: date, finish: date, today: date) -> float:
    """The percent of the days from ``start`` to ``finish`` (both included) before ``today``."""
    days = (finish - start).days + 1
    passed = min(max((today - start).days, 0), days)
    return 100 * passed / days


def expectations(schedule: Schedule, today: date) -> dict[int, float]:
    """Each task's expected percent by ``today``, by task id."""
    return {
        timing.task_id: expected_share(timing.earliest_start, timing.earliest_finish, today)
        if timing.duration_days
        else 0.0
        for timing in schedule.tasks
    }


def late_tasks(rows: Sequence[TaskRow], schedule: Schedule, today: date) -> set[int]:
    """The unfinished tasks whose due date (else their scheduled finish) is before ``today``."""
    finish = {timing.task_id: timing.earliest_finish for timing in schedule.tasks}
    return {
        row.id for row in rows if row.status in OPEN and (row.due_date or finish[row.id]) < today
    }


def pace(reported: Progress, expected: Progress, late: int) -> Pace:
    """The pace of an activity (or of any part of the tree) from its two readings and how
    many of its tasks are late."""
    if reported.tasks_total == 0:
        return Pace.NO_TASKS
    if reported.tasks_done == reported.tasks_total:
        return Pace.FINISHED
    if late or expected.percent - reported.percent > MARGIN:
        return Pace.BEHIND
    return Pace.ON_SCHEDULE
