"""Run queued tasks: the same claim-and-run steps as django-tasks-db's ``db_worker``.

``run_ready_tasks`` claims one ready task at a time (``SELECT … FOR UPDATE SKIP
LOCKED`` on PostgreSQL, an exclusive transaction on SQLite), marks it RUNNING
with this worker's id, runs it and records SUCCESSFUL or FAILED with the
traceback, until the queue has nothing ready. A task left RUNNING by a worker
that died is not picked up again by anyone; its idempotent job is simply queued
again by the scheduler's next slot (reminders, digests) or by ``requeue_stale``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from minyi.core import clock

#: A task RUNNING for longer than this belongs to a dead worker.
STALE_AFTER = dt.timedelta(hours=1)


def make_worker(worker_id: str) -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def claim_next(worker_id: str) -> DBTaskResult | None:
    ready = DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS)
    with exclusive_transaction(ready.db):
        found = ready.get_locked()
        if found is not None:
            found.claim(worker_id)
    return found


def run_ready_tasks(worker_id: str, *, limit: int | None = None) -> int:
    """Run ready tasks until none is left (or ``limit`` ran); return how many ran."""
    worker = make_worker(worker_id)
    ran = 0
    while limit is None or ran < limit:
        found = claim_next(worker_id)
        if found is None:
            break
        worker.run_task(found)
        ran += 1
    return ran


def requeue_stale(now: dt.datetime | None = None) -> int:
    """Put tasks a dead worker left RUNNING back on the queue (their jobs are idempotent)."""
    cutoff = (now or clock.now()) - STALE_AFTER
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .update(status="READY", started_at=None, run_after=timezone.now())
    )
