"""Periodic jobs and the small scheduler that puts them on the queue when due.

Each periodic job names a task and a *slot* function: the slot is a string
for the current period ("2026-10-09" for a daily job once its hour has come,
"2026-10-09T10:15" for a 15-minute one), or None when the job is not due yet
today. ``enqueue_due`` inserts a ``ScheduledRun(job, slot)`` row and enqueues
the task in one transaction; the unique (job, slot) pair means each slot is
queued once however often the scheduler ticks, however many schedulers run,
and a worker that was down at 08:30 still sends that day's digest when it
comes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from minyi.core import clock
from minyi.notify import tasks
from minyi.notify.models import ScheduledRun

Slot = Callable[[dt.datetime], str | None]


def every_minutes(minutes: int) -> Slot:
    def slot(now: dt.datetime) -> str:
        local = timezone.localtime(now)
        return local.replace(minute=local.minute - local.minute % minutes).strftime(
            "%Y-%m-%dT%H:%M"
        )

    return slot


def daily_at(hhmm: str, *, weekday: int | None = None) -> Slot:
    """Due once a day (or once a week on ``weekday``, 0 = Monday) from local time ``hhmm`` on."""
    hour, minute = (int(part) for part in hhmm.split(":"))

    def slot(now: dt.datetime) -> str | None:
        local = timezone.localtime(now)
        if weekday is not None and local.weekday() != weekday:
            return None
        if (local.hour, local.minute) < (hour, minute):
            return None
        return local.date().isoformat()

    return slot


@dataclass(frozen=True)
class Periodic:
    name: str
    label: str
    task: Any
    slot: Slot
    every: str


PERIODIC: list[Periodic] = [
    Periodic(
        "deadline_reminders",
        "时限提醒",
        tasks.send_deadline_reminders,
        every_minutes(15),
        "每 15 分钟",
    ),
    Periodic(
        "daily_digest",
        "每日汇总邮件",
        tasks.send_digests,
        daily_at(settings.NOTIFY_DIGEST_TIME),
        f"每天 {settings.NOTIFY_DIGEST_TIME}",
    ),
    Periodic(
        "rebuild_search_index",
        "重建全文检索索引",
        tasks.rebuild_search_index,
        daily_at("02:00"),
        "每天 02:00",
    ),
    Periodic(
        "train_classifier",
        "重新训练类别分类器",
        tasks.train_classifier,
        daily_at("03:00", weekday=6),
        "每周日 03:00",
    ),
]


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Queue every periodic job whose current slot has not been queued; return their names."""
    now = now or clock.now()
    queued = []
    for periodic in PERIODIC:
        slot = periodic.slot(now)
        if slot is None:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=periodic.name, slot=slot, enqueued_at=now)
                result = periodic.task.enqueue()
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue
        queued.append(periodic.name)
    return queued
