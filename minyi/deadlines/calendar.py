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
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

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


def package_says_working(day: dt.date) -> bool:
    """The package's answer, or Monday–Friday for years it does not know."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


#: The days the precomputed tables cover; a date outside them is refused.
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)
_DAY_US = int(WORKING_DAY / dt.timedelta(microseconds=1))
#: Each working period as (start, end) in microseconds after local midnight.
_PERIODS_US = tuple(
    (
        (begin.hour * 3600 + begin.minute * 60) * 1_000_000,
        (end.hour * 3600 + end.minute * 60) * 1_000_000,
    )
    for begin, end in WORKING_PERIODS
)


def _package_year(year: int) -> list[bool]:
    """The package's working days of one year (one call per day), or Monday–Friday."""
    first = dt.date(year, 1, 1)
    days = [first + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - first).days)]
    try:
        chinese_calendar.is_workday(first)
    except NotImplementedError:
        return [day.weekday() < 5 for day in days]
    return [package_says_working(day) for day in days]


@lru_cache(maxsize=1)
def _package_days() -> tuple[bool, ...]:
    """Whether each day from FIRST_DAY to LAST_DAY is worked, by the package alone."""
    return tuple(
        worked
        for year in range(FIRST_DAY.year, LAST_DAY.year + 1)
        for worked in _package_year(year)
    )


@dataclass(frozen=True)
class _Table:
    """Cumulative working days over the covered span, for one set of overrides.

    ``before[i]`` is how many working days come before day ``i`` (days counted
    from FIRST_DAY), and ``workdays[k]`` is the day number of the ``k``-th
    working day. Every working day has the same hours, so the working time
    before a moment is ``before[day] × WORKING_DAY`` plus the time worked that
    day: two lookups and some arithmetic, whatever the distance.
    """

    worked: tuple[bool, ...]
    before: tuple[int, ...]
    workdays: tuple[int, ...]


@lru_cache(maxsize=8)
def _table(overrides: tuple[tuple[dt.date, bool], ...]) -> _Table:
    # Keyed by the overrides themselves, so a changed override is a new table in
    # every process that loads it, with nothing to invalidate by hand.
    worked = list(_package_days())
    for day, is_working in overrides:
        if FIRST_DAY <= day <= LAST_DAY:
            worked[(day - FIRST_DAY).days] = is_working
    before = (0, *accumulate(worked))
    workdays = tuple(i for i, is_working in enumerate(worked) if is_working)
    return _Table(tuple(worked), before, workdays)


def _out_of_range() -> ValueError:
    return ValueError(
        f"日期超出工作日历的范围（{FIRST_DAY:%Y}–{LAST_DAY:%Y} 年），"
        "或其中找不到足够的工作日，请检查节假日调整设置。"
    )


class WorkCalendar:
    """Working-day arithmetic with the overrides loaded once (one query per batch).

    Every answer is a constant number of table lookups (``_Table``), so timing
    thousands of clocks costs microseconds each, not a walk over their days.
    """

    def __init__(self, overrides: dict[dt.date, bool] | None = None) -> None:
        self.overrides = overrides or {}
        self.table = _table(tuple(sorted(self.overrides.items())))

    @classmethod
    def load(cls) -> WorkCalendar:
        rows = CalendarOverride.objects.values_list("date", "is_working_day")
        return cls(dict(rows))

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return package_says_working(day)

    def _index(self, day: dt.date) -> int:
        index = (day - FIRST_DAY).days
        if not 0 <= index < len(self.table.worked):
            raise _out_of_range()
        return index

    def worked_before(self, moment: dt.datetime) -> int:
        """Working time (microseconds) from the start of the table to ``moment``."""
        local = timezone.localtime(moment)
        index = self._index(local.date())
        done = self.table.before[index] * _DAY_US
        if self.table.worked[index]:
            clock_us = (
                local.hour * 3600 + local.minute * 60 + local.second
            ) * 1_000_000 + local.microsecond
            done += sum(
                min(end, clock_us) - begin for begin, end in _PERIODS_US if clock_us > begin
            )
        return done

    def moment_worked(self, amount_us: int) -> dt.datetime:
        """The earliest moment by which ``amount_us`` (> 0) of working time is done.

        The amount falls in the ``k``-th working day; ending exactly at a
        period's end gives that end (17:30), not the next period's start.
        """
        rank, rest = divmod(amount_us - 1, _DAY_US)
        rest += 1
        if not 0 <= rank < len(self.table.workdays):
            raise _out_of_range()
        day = FIRST_DAY + dt.timedelta(days=self.table.workdays[rank])
        tz = timezone.get_current_timezone()
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=tz)
        for begin, end in _PERIODS_US:
            if rest <= end - begin:
                return midnight + dt.timedelta(microseconds=begin + rest)
            rest -= end - begin
        raise AssertionError("unreachable")  # pragma: no cover

    def add_working_hours(self, start: dt.datetime, hours: float | dt.timedelta) -> dt.datetime:
        """Return the moment ``hours`` of working time after ``start``.

        Non-positive amounts return ``start`` (in local time). Otherwise the
        answer is the earliest moment by which the working time done so far
        has grown by ``hours``: a start outside office hours counts from the
        next period, and ending exactly at a period's end returns that end.
        """
        owed = hours if isinstance(hours, dt.timedelta) else dt.timedelta(hours=hours)
        start = timezone.localtime(start)
        if owed <= dt.timedelta():
            return start
        return self.moment_worked(self.worked_before(start) + _us(owed))

    def subtract_working_time(self, end: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The earliest moment with at most ``amount`` of working time left until ``end``."""
        target = self.worked_before(end) - _us(amount)
        if target <= 0:
            raise _out_of_range()
        return self.moment_worked(target)

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Return the end of the ``days``-th working day after ``start``'s day.

        1. Read ``start`` in local time and take its date; the time of day
           does not matter (a report in at 08:00 or at 17:00 gets the same).
        2. Count working days strictly after that date until ``days`` are
           counted (``days`` ≤ 0: the first working day on or after it).
        3. The deadline is the end of the last working period of that day.
        """
        index = self._index(timezone.localtime(start).date())
        rank = self.table.before[index + 1] + days - 1 if days > 0 else self.table.before[index]
        if rank >= len(self.table.workdays):
            raise _out_of_range()
        day = FIRST_DAY + dt.timedelta(days=self.table.workdays[rank])
        tz = timezone.get_current_timezone()
        return dt.datetime.combine(day, WORKING_PERIODS[-1][1], tzinfo=tz)

    def working_hours_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Return the working time from ``a`` to ``b`` (negative when ``b`` is earlier)."""
        return dt.timedelta(microseconds=self.worked_before(b) - self.worked_before(a))


def _us(amount: dt.timedelta) -> int:
    return amount // dt.timedelta(microseconds=1)


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
