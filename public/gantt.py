"""A plan's timeline as an SVG Gantt drawn on the server: one bar per activity, from its first
task's start to its last task's due date, the critical path marked, today's line and month
ticks named in the visitor's language.

Only the geometry is computed here; ``secretariat.html`` draws it. A plan of thousands of tasks
still draws one row per activity, and at most ``MAX_ROWS`` of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from core.public.pace import Pace
from core.public.secretariat import ActivityView

WIDTH = 900
LABELS = 250  # the column of activity codes and titles
RIGHT = 12
TOP = 30  # the row of month names
ROW = 24
BAR = 14
BOTTOM = 22  # room for the label of today's line
MAX_ROWS = 300
TITLE_CHARACTERS = 30


@dataclass(frozen=True, slots=True)
class Bar:
    y: float
    x: float
    width: float
    # How much of the bar the reported progress fills.
    done: float
    label: str
    title: str
    start: date
    finish: date
    reported: float
    critical: bool
    behind: bool


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class Gantt:
    width: int
    height: int
    labels: int
    top: int
    bottom: int
    bars: list[Bar]
    ticks: list[Tick]
    today: float | None
    # Activities left out past MAX_ROWS.
    left_out: int


def _months(start: date, finish: date) -> list[date]:
    """The first day of each month from ``start``'s to the one after ``finish``'s."""
    months = [date(start.year, start.month, 1)]
    while months[-1] <= finish:
        last = months[-1]
        months.append(date(last.year + last.month // 12, last.month % 12 + 1, 1))
    return months


def _short(text: str) -> str:
    return text if len(text) <= TITLE_CHARACTERS else text[: TITLE_CHARACTERS - 1] + "…"


def gantt(
    activities: Sequence[ActivityView], start: date, finish: date, today: date, locale: str
) -> Gantt | None:
    """The timeline of ``activities`` over the plan's ``start``..``finish``; None when no
    activity has a task."""
    dated = [
        (activity, activity.start, activity.finish)
        for activity in activities
        if activity.start and activity.finish
    ]
    if not dated:
        return None
    shown = dated[:MAX_ROWS]
    first = min(start, *(begins for _, begins, _ in shown))
    last = max(finish, *(ends for _, _, ends in shown))
    months = _months(first, last)
    origin, end = months[0], months[-1]
    scale = (WIDTH - LABELS - RIGHT) / (end - origin).days

    def x(day: date) -> float:
        return round(LABELS + (day - origin).days * scale, 1)

    bars = []
    for row, (activity, begins, ends) in enumerate(shown):
        left = x(begins)
        width = max(round(x(ends) + scale - left, 1), 2.0)
        bars.append(
            Bar(
                y=TOP + row * ROW + (ROW - BAR) / 2,
                x=left,
                width=width,
                done=round(width * activity.reported / 100, 1),
                label=f"{activity.code} {_short(activity.title)}",
                title=f"{activity.code} {activity.title}",
                start=begins,
                finish=ends,
                reported=activity.reported,
                critical=activity.critical,
                behind=activity.pace == Pace.BEHIND,
            )
        )
    # A label a month for a year or so; past that, every quarter, then every year.
    step = 1 if len(months) <= 15 else 3 if len(months) <= 40 else 12
    ticks = [
        Tick(
            x(month),
            format_date(
                month, "LLL yyyy" if index == 0 or month.month == 1 else "LLL", locale=locale
            ),
        )
        for index, month in enumerate(months[:-1])
        if index % step == 0
    ]
    height = TOP + len(shown) * ROW + BOTTOM
    return Gantt(
        width=WIDTH,
        height=height,
        labels=LABELS,
        top=TOP,
        bottom=height - BOTTOM,
        bars=bars,
        ticks=ticks,
        today=x(today) if origin <= today < end else None,
        left_out=len(dated) - len(shown),
    )
