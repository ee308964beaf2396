"""Recipients' answers: when a forwarding's adoption answer is due and when to chase it (催问).

A forwarding that is still waiting for its recipient's answer is due
``FeedbackDeadline.working_days`` (default ``DEFAULT_FEEDBACK_WORKING_DAYS``)
working days after it was sent. Past that the office should chase it; in the
last quarter of the allowance it is "due soon".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from minyi.core import clock as domain_clock
from minyi.deadlines.calendar import WORKING_DAY, WorkCalendar, format_working_time
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


def forwardings_to_chase(
    forwardings: QuerySet[Forwarding], *, now: dt.datetime | None = None
) -> list[ChaseRow]:
    """Pending forwardings past or near their feedback deadline, most overdue first."""
    now = now or domain_clock.now()
    cal, days = WorkCalendar.load(), feedback_days()
    rows = []
    pending = forwardings.filter(state=ForwardingState.PENDING).select_related(
        "report", "recipient"
    )
    for forwarding in pending:
        allowed = days.get(forwarding.recipient_id, DEFAULT_FEEDBACK_WORKING_DAYS)
        due = cal.add_working_days(forwarding.forwarded_at, allowed)
        left = cal.working_hours_between(now, due)
        if now > due:
            status = "overdue"
        elif left <= WORKING_DAY * allowed * DUE_SOON_FRACTION:
            status = "due_soon"
        else:
            continue
        rows.append(ChaseRow(forwarding, due, left, status))
    rows.sort(key=lambda row: (row.working_left, row.due_at, row.forwarding.pk))
    return rows
