"""Chinese official working days and working-time arithmetic.

A day is a working day when, in order of precedence:
1. a ``CalendarOverride`` row says so (admins enter next year's holidays and
   make-up days here before the package knows them; overrides always win);
2. else the ``chinese_calendar`` package says so (statutory holidays and
   调休 make-up working days);
3. else, for years the package does not cover, Monday to Friday.

Working time is the office hours in ``WORKING_PERIODS`` (local time) on
working days; everything else (nights, lunch, weekends, holidays) is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import chinese_calendar
from django.utils import timezone

from minyi.deadlines.models import CalendarOverride

#: Office hours on a working day, local time; change here to change every deadline.
WORKING_PERIODS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(9, 0), dt.time(12, 0)),
    (dt.time(13, 30), dt.time(17, 30)),
)
#: Length of one full working day (7 hours with the periods above).
WORKING_DAY = sum(
    (
        dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, begin)
        for begin, end in WORKING_PERIODS
    ),
    dt.timedelta(),
)
#: Give up rather than loop forever on a calendar with no working days at all.
MAX_SCAN_DAYS = 3660


def package_says_working(day: dt.date) -> bool:
    """The package's answer, or Monday–Friday for years it does not know."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


class WorkCalendar:
    """Working-day arithmetic with the overrides loaded once (one query per batch)."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None) -> None:
        self.overrides = overrides or {}

    @classmethod
    def load(cls) -> WorkCalendar:
        rows = CalendarOverride.objects.values_list("date", "is_working_day")
        return cls(dict(rows))

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return package_says_working(day)

    def periods(self, day: dt.date) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """The day's working periods as aware local datetimes (none on a day off)."""
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
        raise ValueError("日历中找不到足够的工作日，请检查节假日调整设置。")

    def add_working_hours(self, start: dt.datetime, hours: float | dt.timedelta) -> dt.datetime:
        """Return the moment ``hours`` of working time after ``start``.

        1. Read ``start`` in local time; non-positive amounts return it as is.
        2. Walk the working periods from ``start``'s day on, skipping periods
           already over and starting a period that is under way at ``start``.
        3. Take each period's time from the amount still owed; the moment the
           amount is used up is the result. Ending exactly at a period's end
           returns that end (17:30), not the next morning.
        """
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
        raise AssertionError("unreachable")  # pragma: no cover

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Return the end of the ``days``-th working day after ``start``'s day.

        1. Read ``start`` in local time and take its date; the time of day
           does not matter (a report in at 08:00 or at 17:00 gets the same).
        2. Count working days strictly after that date until ``days`` are
           counted (``days`` ≤ 0: the first working day on or after it).
        3. The deadline is the end of the last working period of that day.
        """
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
        """Return the working time from ``a`` to ``b`` (negative when ``b`` is earlier).

        1. If ``b`` is before ``a``, swap them and negate the answer.
        2. For each local date from ``a``'s to ``b``'s, add the overlap of each
           working period with the interval [a, b].
        """
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


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day (override, else package, else Mon–Fri)."""
    rows = CalendarOverride.objects.filter(date=day).values_list("is_working_day", flat=True)
    override = rows.first()
    return package_says_working(day) if override is None else override


def add_working_hours(start: dt.datetime, hours: float | dt.timedelta) -> dt.datetime:
    """See ``WorkCalendar.add_working_hours``."""
    return WorkCalendar.load().add_working_hours(start, hours)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """See ``WorkCalendar.add_working_days``."""
    return WorkCalendar.load().add_working_days(start, days)


def working_hours_between(a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    """See ``WorkCalendar.working_hours_between``."""
    return WorkCalendar.load().working_hours_between(a, b)


def format_working_time(amount: dt.timedelta) -> str:
    """Say a working-time span in Chinese: “1 个工作日 3 小时”, “25 分钟”."""
    minutes = int(abs(amount).total_seconds() // 60)
    per_day = int(WORKING_DAY.total_seconds() // 60)
    days, minutes = divmod(minutes, per_day)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days} 个工作日")
    if hours:
        parts.append(f"{hours} 小时")
    # Minutes only matter while the span is short.
    if minutes and not days:
        parts.append(f"{minutes} 分钟")
    return " ".join(parts) or "不足 1 分钟"
