"""Working-day arithmetic across 国庆 2025 and 春节 2026, overrides and the fall-back."""

from __future__ import annotations

import datetime as dt

import pytest

from minyi.deadlines.calendar import (
    WORKING_DAY,
    add_working_days,
    add_working_hours,
    format_working_time,
    is_working_day,
    working_hours_between,
)
from minyi.deadlines.models import CalendarOverride
from tests.deadlines.helpers import at

pytestmark = pytest.mark.django_db

D = dt.date


def test_it_knows_the_national_day_holidays_and_make_up_days_of_2025():
    # 国庆、中秋 2025: Oct 1–8 off; Sunday Sep 28 and Saturday Oct 11 are worked (调休).
    assert is_working_day(D(2025, 9, 28))
    assert not any(is_working_day(D(2025, 10, day)) for day in range(1, 9))
    assert is_working_day(D(2025, 10, 9))
    assert is_working_day(D(2025, 10, 11))
    assert not is_working_day(D(2025, 10, 12))
    assert not is_working_day(D(2025, 9, 27))


def test_it_knows_the_spring_festival_of_2026():
    # The package's data: Feb 15–23 off; Saturdays Feb 14 and Feb 28 are worked.
    assert is_working_day(D(2026, 2, 13))
    assert is_working_day(D(2026, 2, 14))
    assert not any(is_working_day(D(2026, 2, day)) for day in range(15, 24))
    assert is_working_day(D(2026, 2, 24))
    assert is_working_day(D(2026, 2, 28))
    assert not is_working_day(D(2026, 3, 1))


def test_it_adds_working_hours_across_the_national_day_break():
    assert add_working_hours(at(2025, 9, 30, 16, 30), 2) == at(2025, 10, 9, 10, 0)
    # Friday afternoon into the worked Sunday, not Monday.
    assert add_working_hours(at(2025, 9, 26, 17, 0), 1) == at(2025, 9, 28, 9, 30)


def test_it_skips_lunch_and_nights_and_stops_at_the_end_of_a_period():
    assert add_working_hours(at(2025, 11, 17, 11, 30), 1) == at(2025, 11, 17, 14, 0)
    assert add_working_hours(at(2025, 11, 17, 7, 0), 3) == at(2025, 11, 17, 12, 0)
    assert add_working_hours(at(2025, 11, 17, 20, 0), 7) == at(2025, 11, 18, 17, 30)
    assert add_working_hours(at(2025, 11, 17, 12, 45), 0.5) == at(2025, 11, 17, 14, 0)


def test_it_ends_working_days_at_the_close_of_the_nth_working_day():
    assert add_working_days(at(2025, 9, 30, 10, 0), 1) == at(2025, 10, 9, 17, 30)
    assert add_working_days(at(2025, 9, 30, 10, 0), 3) == at(2025, 10, 11, 17, 30)
    assert add_working_days(at(2026, 2, 13, 9, 0), 2) == at(2026, 2, 24, 17, 30)
    # Sent in on a holiday: the first working day after it counts as day one.
    assert add_working_days(at(2026, 2, 16, 9, 0), 1) == at(2026, 2, 24, 17, 30)


def test_it_measures_working_time_between_two_moments():
    assert working_hours_between(at(2025, 9, 30, 9, 0), at(2025, 10, 9, 12, 0)) == dt.timedelta(
        hours=10
    )
    assert working_hours_between(at(2025, 10, 9, 12, 0), at(2025, 9, 30, 9, 0)) == -dt.timedelta(
        hours=10
    )
    # A whole Spring Festival week off costs no working time at all.
    assert working_hours_between(at(2026, 2, 14, 17, 30), at(2026, 2, 24, 9, 0)) == dt.timedelta()
    assert working_hours_between(at(2025, 11, 17, 0, 0), at(2025, 11, 18, 0, 0)) == WORKING_DAY


def test_it_lets_overrides_win_over_the_package():
    CalendarOverride.objects.create(date=D(2025, 10, 8), is_working_day=True, note="加班")
    CalendarOverride.objects.create(date=D(2025, 10, 9), is_working_day=False, note="本地假日")
    assert is_working_day(D(2025, 10, 8))
    assert not is_working_day(D(2025, 10, 9))
    assert add_working_days(at(2025, 9, 30, 10, 0), 1) == at(2025, 10, 8, 17, 30)
    assert add_working_days(at(2025, 9, 30, 10, 0), 2) == at(2025, 10, 10, 17, 30)


def test_it_falls_back_to_weekdays_beyond_the_packages_years():
    assert is_working_day(D(2027, 3, 1))  # a Monday
    assert not is_working_day(D(2027, 3, 6))  # a Saturday
    # 31 Dec 2026 is a Thursday; the count runs on into 2027 without a crash, and
    # without knowing 元旦 2027: Fri Jan 1, Mon Jan 4 and Tue Jan 5 count.
    assert add_working_days(at(2026, 12, 31, 10, 0), 3) == at(2027, 1, 5, 17, 30)
    assert add_working_hours(at(2027, 3, 5, 17, 0), 1) == at(2027, 3, 8, 9, 30)


def test_it_takes_next_years_holidays_from_overrides():
    for day in range(11, 15):
        CalendarOverride.objects.create(date=D(2027, 2, day), is_working_day=False, note="春节")
    CalendarOverride.objects.create(date=D(2027, 2, 20), is_working_day=True, note="调休上班")
    assert not is_working_day(D(2027, 2, 11))
    assert is_working_day(D(2027, 2, 20))
    assert add_working_days(at(2027, 2, 10, 10, 0), 2) == at(2027, 2, 16, 17, 30)


def test_it_says_working_time_in_chinese():
    assert format_working_time(dt.timedelta(hours=10, minutes=30)) == "1 个工作日 3 小时"
    assert format_working_time(dt.timedelta(hours=2, minutes=5)) == "2 小时 5 分钟"
    assert format_working_time(-dt.timedelta(minutes=25)) == "25 分钟"
    assert format_working_time(dt.timedelta(seconds=20)) == "不足 1 分钟"
