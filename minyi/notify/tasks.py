"""Background jobs on Django's tasks API (the django-tasks backport, database backend).

Each job is a plain function elsewhere (``deliver``, ``digest``, ``reminders``,
the search rebuild, the classifier command) wrapped here as a task, so the same
work runs from a command, a test or the worker. ``job`` adds retries: a failed
run is kept as FAILED with its traceback (visible to admins) and a new attempt is
queued with a growing delay, up to ``RETRY_DELAYS`` more times. Every job is
idempotent, so a retry or a second worker never sends anything twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.core.management import call_command, get_commands
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


@job
def send_notification(notification_id: int, channel: str = "email") -> bool:
    from minyi.notify.deliver import send_notification_now

    return send_notification_now(notification_id, channel)


@job
def send_digests() -> int:
    from minyi.notify.digest import send_digests as send_all

    return send_all()


@job
def send_deadline_reminders() -> int:
    from minyi.notify.reminders import send_deadline_reminders as remind

    return remind()


@job
def rebuild_search_index() -> int:
    from minyi.search import rebuild_index

    return rebuild_index()


@job
def train_classifier() -> str:
    # The command belongs to the classifier's app; without it there is nothing to do.
    if "train_classifier" not in get_commands():
        return "train_classifier 命令不存在，已跳过"
    call_command("train_classifier")
    return "ok"
