"""Whether the working calendar knows a year's holidays, and storing a parsed notice.

``chinesecalendar`` ships the State Council's notices up to its release (1.11: 2004–2026).
For a later year it knows nothing, and ``calendar.package_says_working`` falls back to
Monday–Friday: 春节 would count as working days. So a year counts as covered only when
the package knows it, or when stored overrides hold at least ``MIN_WEEKDAY_HOLIDAYS``
weekday holidays in it (a year's statutory holidays put at least that many on weekdays;
a single local holiday such as a city's anniversary does not make a year covered).
The admin home, the overdue board and the ``deadlines.W001`` check say which years lack it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar
from django.db import transaction

from minyi.core import clock
from minyi.deadlines.holiday_notice import NoticeDay, ParsedNotice
from minyi.deadlines.models import CalendarOverride

#: Fewer weekday holidays than this in a year's overrides is not a year's holiday notice.
MIN_WEEKDAY_HOLIDAYS = 7


def package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def stored_weekday_holidays(year: int) -> int:
    days = CalendarOverride.objects.filter(date__year=year, is_working_day=False).values_list(
        "date", flat=True
    )
    return sum(1 for day in days if day.weekday() < 5)


def year_has_holidays(year: int) -> bool:
    return package_covers(year) or stored_weekday_holidays(year) >= MIN_WEEKDAY_HOLIDAYS


def missing_holiday_years(today: dt.date | None = None) -> list[int]:
    """This year and next, where the calendar has no holiday data."""
    today = today or clock.localdate()
    return [y for y in (today.year, today.year + 1) if not year_has_holidays(y)]


def missing_years_message(years: list[int]) -> str:
    listed = "、".join(f"{y}年" for y in years)
    return (
        f"工作日历缺少{listed}的法定节假日安排：在录入国务院办公厅的节假日通知之前，"
        "这些年份只按周一至周五计算工作日，春节、国庆等假期会被当作工作日，办理时限将算错。"
    )


def holiday_warning(today: dt.date | None = None) -> str:
    """The warning pages show, or "" when this year and next are covered."""
    missing = missing_holiday_years(today)
    return missing_years_message(missing) if missing else ""


def notice_marker(year: int) -> str:
    """The tail of every note a stored notice writes: how its rows are told from local ones."""
    return f"（{year}年国务院节假日通知）"


def note_for(day: NoticeDay, year: int) -> str:
    kind = "调休上班" if day.is_working_day else "放假"
    # The name is at most 20 characters, so the marker is never cut off.
    return f"{day.name or '节假日'}{kind}{notice_marker(year)}"[:100]


@dataclass
class NoticeChanges:
    """What storing a year's notice does: rows added, rows changed, earlier notice rows removed.

    ``removed`` holds only rows an earlier notice of the same year stored (their note ends
    with ``notice_marker(year)``) on days the new notice no longer names. Local overrides
    (a city's holiday, a day the office set by hand) are left alone, except on a day the
    notice names, where the notice's arrangement replaces them (counted as changed).
    """

    added: list[NoticeDay] = field(default_factory=list)
    changed: list[NoticeDay] = field(default_factory=list)
    removed: list[CalendarOverride] = field(default_factory=list)

    @property
    def message(self) -> str:
        return f"新增{len(self.added)}天，修改{len(self.changed)}天，删除{len(self.removed)}天"


def plan_notice(parsed: ParsedNotice, year: int) -> NoticeChanges:
    """What ``store_notice`` would do, for the preview; reads only."""
    named = {d.day for d in parsed.days}
    current = {row.date: row for row in CalendarOverride.objects.filter(date__in=named)}
    changes = NoticeChanges()
    for day in parsed.days:
        row = current.get(day.day)
        if row is None:
            changes.added.append(day)
        elif (row.is_working_day, row.note) != (day.is_working_day, note_for(day, year)):
            changes.changed.append(day)
    earlier = CalendarOverride.objects.filter(note__endswith=notice_marker(year))
    changes.removed = [row for row in earlier.order_by("date") if row.date not in named]
    return changes


def store_notice(parsed: ParsedNotice, year: int) -> NoticeChanges:
    """Store the year's notice: it replaces what an earlier notice of that year stored.

    Each row is saved or deleted through the model, so the signals re-time the stored
    clocks that span it (``clocks.override_saved``), as an admin's edit of one override
    does. All in one transaction: a failure stores nothing.
    """
    if parsed.errors:
        raise ValueError("a notice with errors is never stored")
    with transaction.atomic():
        changes = plan_notice(parsed, year)
        for row in changes.removed:
            row.delete()
        for day in changes.added + changes.changed:
            row = CalendarOverride.objects.filter(date=day.day).first()
            row = row or CalendarOverride(date=day.day)
            row.is_working_day, row.note = day.is_working_day, note_for(day, year)
            row.save()
    return changes
