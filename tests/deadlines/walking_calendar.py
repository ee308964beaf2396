"""The calendar as it was before the tables: a walk over the days, kept as the reference.

``test_calendar_tables`` checks that the table lookups give exactly these answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

from minyi.deadlines.calendar import WORKING_PERIODS, package_says_working

MAX_SCAN_DAYS = 3660


class WalkingCalendar:
    def __init__(self, overrides: dict[dt.date, bool] | None = None) -> None:
        self.overrides = overrides or {}

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return package_says_working(day)

    def periods(self, day: dt.date) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        if not self.is_working_day(day):
            return
        tz = timezone.get_current_timezone()
        for begin, end in WORKING_PERIODS:
            yield (
                dt.datetime.combine(day, begin, tzinfo=tz),
                dt.datetime.combine(day, end, tzinfo=tz),
            )

    def _days_from(self, day: dt.date) -> Iterator[dt.date]:
        for offset in range(MAX_SCAN_DAYS):
            yield day + dt.timedelta(days=offset)
        raise ValueError("no working day")

    def add_working_hours(self, start: dt.datetime, hours: float | dt.timedelta) -> dt.datetime:
        owed = hours if isinstance(hours, dt.timedelta) else dt.timedelta(hours=hours)
        start = timezone.localtime(start)
        if owed <= dt.timedelta():
            return start
        for day in self._days_from(start.date()):
            for begin, end in self.periods(day):
                if end <= start:
                    continue
                begin = max(begin, start)
                if owed <= end - begin:
                    return begin + owed
                owed -= end - begin
        raise AssertionError("unreachable")

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        day = timezone.localtime(start).date()
        counted = 0
        for candidate in self._days_from(day + dt.timedelta(days=1 if days > 0 else 0)):
            if self.is_working_day(candidate):
                counted += 1
                if counted >= max(days, 1):
                    day = candidate
                    break
        tz = timezone.get_current_timezone()
        return dt.datetime.combine(day, WORKING_PERIODS[-1][1], tzinfo=tz)

    def working_hours_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        if b < a:
            return -self.working_hours_between(b, a)
        a, b = timezone.localtime(a), timezone.localtime(b)
        total = dt.timedelta()
        day = a.date()
        while day <= b.date():
            for begin, end in self.periods(day):
                overlap = min(end, b) - max(begin, a)
                if overlap > dt.timedelta():
                    total += overlap
            day += dt.timedelta(days=1)
        return total
