"""Recipients' answers: when a forwarding's adoption answer is due and when to chase it (催问).

A forwarding that is still waiting for its recipient's answer is due
``FeedbackDeadline.working_days`` (default ``DEFAULT_FEEDBACK_WORKING_DAYS``)
working days after it was sent. Past that the office should chase it; in the
last quarter of the allowance it is "due soon".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from minyi.core import clock as domain_clock
from minyi.deadlines.calendar import FIRST_DAY, WORKING_DAY, WorkCalendar, format_working_time
from minyi.deadlines.models import DEFAULT_FEEDBACK_WORKING_DAYS, FeedbackDeadline
from minyi.deadlines.sla import DUE_SOON_FRACTION
from minyi.outcomes.models import Forwarding, ForwardingState


@dataclass(frozen=True)
class ChaseRow:
    forwarding: Forwarding
    due_at: dt.datetime
    working_left: dt.timedelta
    status: str

    @property
    def summary(self) -> str:
        if self.status == "overdue":
            if self.working_left >= dt.timedelta():
                return "已逾期"
            return f"逾期 {format_working_time(self.working_left)}"
        return f"剩余 {format_working_time(self.working_left)}"


def feedback_days() -> dict[int, int]:
    return dict(FeedbackDeadline.objects.values_list("recipient_id", "working_days"))


def _alarming(due: dt.datetime, allowed: int, now: dt.datetime, cal: WorkCalendar) -> str | None:
    """ "overdue", "due_soon" or None for an answer due at ``due`` with ``allowed`` days."""
    if now > due:
        return "overdue"
    if cal.working_hours_between(now, due) <= WORKING_DAY * allowed * DUE_SOON_FRACTION:
        return "due_soon"
    return None


def last_alarming_day(allowed: int, now: dt.datetime, cal: WorkCalendar) -> dt.date | None:
    """The last day a forwarding may have been sent on and be due soon or overdue by ``now``.

    The due time depends only on the day sent and grows with it, so the days that
    alarm are all the days up to one: found by halving, a few dozen lookups.
    """
    tz = timezone.get_current_timezone()
    low, high = FIRST_DAY.toordinal(), timezone.localtime(now).date().toordinal()

    def alarms(ordinal: int) -> bool:
        sent = dt.datetime.combine(dt.date.fromordinal(ordinal), dt.time(12), tzinfo=tz)
        return _alarming(cal.add_working_days(sent, allowed), allowed, now, cal) is not None

    if not alarms(low):
        return None
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if alarms(middle) else (low, middle - 1)
    return dt.date.fromordinal(low)


def _groups(
    forwardings: QuerySet[Forwarding], now: dt.datetime, cal: WorkCalendar
) -> Iterator[tuple[int, QuerySet[Forwarding]]]:
    """Per allowance in use: (days, the pending forwardings with it that alarm by now)."""
    days = feedback_days()
    pending = forwardings.filter(state=ForwardingState.PENDING)
    tz = timezone.get_current_timezone()
    for allowed in sorted({*days.values(), DEFAULT_FEEDBACK_WORKING_DAYS}):
        last = last_alarming_day(allowed, now, cal)
        if last is None:
            continue
        own = [pk for pk, d in days.items() if d == allowed]
        mine = Q(recipient_id__in=own)
        if allowed == DEFAULT_FEEDBACK_WORKING_DAYS:
            mine |= ~Q(recipient_id__in=list(days))
        before = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        yield allowed, pending.filter(mine, forwarded_at__lt=before)


def forwardings_to_chase(
    forwardings: QuerySet[Forwarding], *, now: dt.datetime | None = None, limit: int | None = None
) -> list[ChaseRow]:
    """Pending forwardings past or near their feedback deadline, most overdue first.

    1. For each allowance in use (a recipient's own, or the default), find the last
       day sent that is near or past its deadline by now (``last_alarming_day``).
    2. Query the pending forwardings of that allowance sent by then, oldest first
       (``limit`` of each, when given): an index range, not a walk over every one.
    3. Time only those, and merge them by working time left.
    """
    now = now or domain_clock.now()
    cal = WorkCalendar.load()
    rows = []
    for allowed, alarming in _groups(forwardings, now, cal):
        found = alarming.select_related("report", "recipient").order_by("forwarded_at", "pk")
        for forwarding in found[:limit] if limit else found:
            due = cal.add_working_days(forwarding.forwarded_at, allowed)
            status = _alarming(due, allowed, now, cal)
            if status:
                rows.append(ChaseRow(forwarding, due, cal.working_hours_between(now, due), status))
    rows.sort(key=lambda row: (row.working_left, row.due_at, row.forwarding.pk))
    return rows[:limit] if limit else rows


def count_to_chase(forwardings: QuerySet[Forwarding], *, now: dt.datetime | None = None) -> int:
    """How many pending forwardings are near or past their feedback deadline."""
    now = now or domain_clock.now()
    cal = WorkCalendar.load()
    return sum(alarming.count() for _, alarming in _groups(forwardings, now, cal))
