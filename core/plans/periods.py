"""An indicator's calendar: the periods its values are for, and when each value is due.

Periods follow the calendar: months, quarters (January, April, July, October), halves (January,
July) or years, cut to the indicator's first and last day; or they end on dates the indicator
names. A period's value is due at its end plus the plan's grace.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.models import Frequency

MONTHS_PER_PERIOD = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.SEMIANNUAL: 6,
    Frequency.ANNUAL: 12,
}


@dataclass(frozen=True, slots=True, order=True)
class Period:
    starts_on: date
    ends_on: date

    def due_on(self, grace_days: int) -> date:
        """The day its value is due: late from the day after."""
        return self.ends_on + timedelta(days=grace_days)


def calendar(
    frequency: Frequency, starts_on: date, ends_on: date, due_dates: Sequence[date] = ()
) -> list[Period]:
    """Every period from ``starts_on`` to ``ends_on``, in order. With ``Frequency.DATES`` each
    of ``due_dates`` (ascending, within those days) ends one, and the last of them ends the
    calendar."""
    if frequency is Frequency.DATES:
        ends = list(due_dates)
    else:
        ends = []
        months = MONTHS_PER_PERIOD[frequency]
        end = _period_end(starts_on, months)
        while end < ends_on:
            ends.append(end)
            end = _period_end(end + timedelta(days=1), months)
        ends.append(ends_on)
    periods = []
    start = starts_on
    for end in ends:
        periods.append(Period(start, end))
        start = end + timedelta(days=1)
    return periods


def period_of(periods: Sequence[Period], day: date) -> Period | None:
    """The period that holds ``day``, or None when it is outside the calendar."""
    index = bisect.bisect_left([period.ends_on for period in periods], day)
    if index < len(periods) and periods[index].starts_on <= day:
        return periods[index]
    return None


def _period_end(day: date, months: int) -> date:
    """The last day of the calendar period of ``months`` months that holds ``day``."""
    month = ((day.month - 1) // months + 1) * months
    following = date(day.year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)
