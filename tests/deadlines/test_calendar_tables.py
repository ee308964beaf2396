"""The table calendar gives exactly the answers of the day-by-day walk it replaced."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from minyi.deadlines.calendar import FIRST_DAY, WorkCalendar
from tests.deadlines.helpers import SHANGHAI, at
from tests.deadlines.walking_calendar import WalkingCalendar

D = dt.date
#: 调休 and overrides on both sides: 国庆 2025, 春节 2026, and 2027 beyond the package.
OVERRIDES = {
    D(2025, 10, 8): True,  # 加班 on a holiday
    D(2025, 10, 9): False,  # 本地假日 on a working day
    D(2026, 2, 24): False,
    D(2027, 2, 11): False,
    D(2027, 2, 12): False,
    D(2027, 2, 20): True,  # a Saturday worked
}
SPAN_START = at(2024, 12, 1)
SPAN_DAYS = 1000


def _moments(rng: random.Random, count: int) -> list[dt.datetime]:
    """Random moments, a third of them on the periods' edges (9:00, 12:00, 13:30, 17:30)."""
    found = []
    edges = [(9, 0), (12, 0), (13, 30), (17, 30), (0, 0)]
    for _ in range(count):
        day = SPAN_START + dt.timedelta(days=rng.randrange(SPAN_DAYS))
        if rng.random() < 0.33:
            hour, minute = rng.choice(edges)
            found.append(day.replace(hour=hour, minute=minute))
        else:
            found.append(
                day + dt.timedelta(seconds=rng.randrange(86400), microseconds=rng.randrange(10**6))
            )
    return found


@pytest.mark.parametrize("overrides", [{}, OVERRIDES], ids=["package", "overrides"])
def test_it_measures_working_time_as_the_walk_did(overrides):
    rng = random.Random(13)
    fast, slow = WorkCalendar(overrides), WalkingCalendar(overrides)
    pairs = zip(_moments(rng, 400), _moments(rng, 400), strict=True)
    for a, b in pairs:
        assert fast.working_hours_between(a, b) == slow.working_hours_between(a, b), (a, b)


@pytest.mark.parametrize("overrides", [{}, OVERRIDES], ids=["package", "overrides"])
def test_it_adds_working_hours_as_the_walk_did(overrides):
    rng = random.Random(14)
    fast, slow = WorkCalendar(overrides), WalkingCalendar(overrides)
    amounts = [dt.timedelta(hours=h) for h in (0, 0.5, 1, 3, 4, 7, 8, 14, 16, 35, 140)]
    for start in _moments(rng, 300):
        amount = rng.choice(amounts) + dt.timedelta(minutes=rng.choice([0, 0, 17]))
        assert fast.add_working_hours(start, amount) == slow.add_working_hours(start, amount), (
            start,
            amount,
        )


@pytest.mark.parametrize("overrides", [{}, OVERRIDES], ids=["package", "overrides"])
def test_it_adds_working_days_as_the_walk_did(overrides):
    rng = random.Random(15)
    fast, slow = WorkCalendar(overrides), WalkingCalendar(overrides)
    for start in _moments(rng, 300):
        days = rng.choice([0, 1, 2, 3, 5, 10, 20, 30])
        assert fast.add_working_days(start, days) == slow.add_working_days(start, days), (
            start,
            days,
        )


def test_it_finds_the_moment_a_clock_becomes_due_soon():
    cal = WorkCalendar()
    due = at(2025, 10, 9, 17, 30)
    # Two working hours before Oct 9 17:30 is 15:30 the same day.
    assert cal.subtract_working_time(due, dt.timedelta(hours=2)) == at(2025, 10, 9, 15, 30)
    # A whole working day before a 9:00 deadline after the holiday: from the close of
    # Sep 29 on, only Sep 30 is left to work.
    start_of_day = at(2025, 10, 9, 9, 0)
    assert cal.subtract_working_time(start_of_day, dt.timedelta(hours=7)) == at(2025, 9, 29, 17, 30)
    # …and no working time at all is the end of the last period before it (the earliest
    # moment with nothing left), not the deadline itself.
    assert cal.subtract_working_time(start_of_day, dt.timedelta()) == at(2025, 9, 30, 17, 30)


def test_it_refuses_dates_outside_its_tables():
    with pytest.raises(ValueError, match="超出工作日历的范围"):
        WorkCalendar().working_hours_between(
            dt.datetime.combine(FIRST_DAY - dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI),
            at(2025, 1, 1),
        )
