"""Background jobs: the retrying task decorator and the registry of periodic jobs.

Jobs run on Django's tasks API (the django-tasks backport, database backend).
Each app keeps its own jobs in its ``tasks.py``, a thin task around a plain
function so the same work runs from a command, a test or the worker, and
imports that module in its ``AppConfig.ready()``: once Django is set up, every
task exists and every periodic job is in ``PERIODIC``. The scheduler that
queues the periodic jobs when due lives with its ``ScheduledRun`` rows in
``notify.schedule``; it knows the jobs only through this registry.

``job`` adds retries: a failed run is kept as FAILED with its traceback
(visible to admins) and a new attempt is queued with a growing delay, up to
``RETRY_DELAYS`` more times. Every job is idempotent, so a retry or a second
worker never does anything twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_tasks import TaskContext, task

from minyi.core import clock

log = logging.getLogger(__name__)

#: Wait this long before each further attempt of a failed job (so 4 attempts in all).
RETRY_DELAYS = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30))


def job(func: Callable[..., Any]) -> Any:
    """Make ``func`` a task that queues its own retry when it raises."""

    def run(context: TaskContext, *args: Any, attempt: int = 1, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception:
            if attempt <= len(RETRY_DELAYS):
                retry_at = clock.now() + RETRY_DELAYS[attempt - 1]
                context.task_result.task.using(run_after=retry_at).enqueue(
                    *args, attempt=attempt + 1, **kwargs
                )
                log.warning(
                    "Job %s failed (attempt %d); retrying at %s", func.__name__, attempt, retry_at
                )
            raise

    # The task is found again by "module.name" (the function's), so take its names;
    # not functools.wraps, whose __wrapped__ would hide the ``context`` argument.
    run.__module__, run.__name__, run.__qualname__ = (
        func.__module__,
        func.__name__,
        func.__qualname__,
    )
    run.__doc__ = func.__doc__
    return task(takes_context=True)(run)


#: A periodic job's slot: a string naming the current period ("2026-10-09" for a
#: daily job once its hour has come, "2026-10-09T10:15" for a 15-minute one), or
#: None when the job is not due yet. Each slot is queued once.
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


#: Every periodic job, by name, in the order the apps registered them.
PERIODIC: dict[str, Periodic] = {}


def register_periodic(name: str, label: str, task: Any, slot: Slot, every: str) -> Periodic:
    """Add a periodic job (``every`` says when, for people: "每天 02:00")."""
    if name in PERIODIC and PERIODIC[name].task is not task:
        raise ValueError(f"Periodic job {name!r} is registered twice")
    PERIODIC[name] = Periodic(name, label, task, slot, every)
    return PERIODIC[name]


def periodic_jobs() -> list[Periodic]:
    return list(PERIODIC.values())
