"""The small scheduler that puts the periodic jobs on the queue when due.

The jobs are the ones the apps registered in ``core.jobs`` (each from its own
``tasks.py``); each names a task and a *slot* function: the slot is a string
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

from django.db import IntegrityError, transaction

from minyi.core import clock
from minyi.core.jobs import periodic_jobs
from minyi.notify.models import ScheduledRun


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Queue every periodic job whose current slot has not been queued; return their names."""
    now = now or clock.now()
    queued = []
    for periodic in periodic_jobs():
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
