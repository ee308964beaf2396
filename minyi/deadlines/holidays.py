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


def note_for(day: NoticeDay, year: int) -> str:
    kind = "调休上班" if day.is_working_day else "放假"
    return f"{day.name or '节假日'}{kind}（{year}年国务院节假日通知）"[:100]


def store_notice(parsed: ParsedNotice, year: int) -> int:
    """Store every day as a ``CalendarOverride``; returns how many rows changed.

    Each row is saved through the model, so the signals re-time the stored clocks that
    span it (``clocks.override_saved``), as an admin's edit of one override does. All in
    one transaction: a failure stores nothing.
    """
    if parsed.errors:
        raise ValueError("a notice with errors is never stored")
    changed = 0
    with transaction.atomic():
        for day in parsed.days:
            current = CalendarOverride.objects.filter(date=day.day).first()
            note = note_for(day, year)
            if current and (current.is_working_day, current.note) == (day.is_working_day, note):
                continue
            row = current or CalendarOverride(date=day.day)
            row.is_working_day, row.note = day.is_working_day, note
            row.save()
            changed += 1
    return changed
