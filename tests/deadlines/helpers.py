"""Local times and time travel for the deadline tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware Beijing-time datetime, the zone the deadlines are counted in."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@contextmanager
def when(moment: dt.datetime) -> Iterator[None]:
    """Stop the clock at ``moment`` so events and deadlines are exact."""
    with time_machine.travel(moment, tick=False):
        yield
