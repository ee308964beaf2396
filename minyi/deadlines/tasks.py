"""Deadlines' background job: the reminders, every 15 minutes.

Imported by ``DeadlinesConfig.ready()``, which registers it as a periodic job.
"""

from __future__ import annotations

from minyi.core.jobs import every_minutes, job, register_periodic
from minyi.deadlines import commission_reminders, reminders


@job
def send_deadline_reminders() -> int:
    return reminders.send_deadline_reminders()


register_periodic(
    "deadline_reminders",
    "时限提醒",
    send_deadline_reminders,
    every_minutes(15),
    "每 15 分钟",
)


@job
def send_commission_reminders() -> int:
    return commission_reminders.send_commission_reminders()


register_periodic(
    "commission_reminders",
    "约稿提醒",
    send_commission_reminders,
    every_minutes(60),
    "每小时（每个工作日每份约稿至多一次）",
)
