"""约稿 reminders: a member asked for a report hears, before the due date, in working days.

From ``REMIND_WITHIN`` working days before the due date (and while it is overdue) the
members asked, or the unit's liaisons, are reminded once per working day of each
commission still open (待答复 or 已接受, not yet delivered). Each reminder has a
``Dispatch`` key (commission, day, user), so a re-run the same day tells nobody twice.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from minyi.core import clock
from minyi.deadlines.calendar import is_working_day
from minyi.deadlines.reminders import notify_once
from minyi.duties.models import Commission
from minyi.notify.commissions import addressees

#: Working days before the due date from which reminders start.
REMIND_WITHIN = 3


def working_days_left(today: dt.date, due_on: dt.date) -> int:
    """Working days after today up to and including the due date (0 on the day, < 0 overdue)."""
    if due_on < today:
        return -sum(
            1
            for n in range(1, (today - due_on).days + 1)
            if is_working_day(due_on + dt.timedelta(days=n - 1))
        )
    return sum(
        1
        for n in range(1, (due_on - today).days + 1)
        if is_working_day(today + dt.timedelta(days=n))
    )


def message_for(commission: Commission, left: int) -> str:
    title = commission.topic.title[:60]
    due = commission.due_on.isoformat()
    waiting = "请先答复是否接受" if commission.state == "offered" else "请按期交稿"
    if left < 0:
        return f"约稿《{title}》已超过交稿期限（{due}），{waiting}。"
    if left == 0:
        return f"约稿《{title}》今天（{due}）到期，{waiting}。"
    return f"约稿《{title}》将于 {due} 到期，还有 {left} 个工作日，{waiting}。"


def send_commission_reminders(now: dt.datetime | None = None) -> int:
    """Remind the people asked about every open commission due soon or overdue; return how many."""
    today = clock.localdate() if now is None else now.date()
    if not is_working_day(today):
        return 0
    horizon = today + dt.timedelta(days=REMIND_WITHIN * 3 + 10)  # enough calendar days
    due = Commission.objects.open().filter(due_on__lte=horizon, report__submitted_at__isnull=True)
    told = 0
    for commission in due.select_related("topic", "member", "unit"):
        left = working_days_left(today, commission.due_on)
        if left > REMIND_WITHIN:
            continue
        told += notify_once(
            f"commission_due:c{commission.pk}:{today.isoformat()}",
            addressees(commission),
            verb="commission_due",
            message=message_for(commission, left),
            url=reverse("topics:commission", args=[commission.pk]),
        )
    return told
