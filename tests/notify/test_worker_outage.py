"""The worker outlives a database outage: a tick failing on the database is retried, not fatal."""

from __future__ import annotations

import io

import pytest
from django.db import OperationalError

from minyi.notify.management.commands import run_worker

pytestmark = pytest.mark.django_db


def test_the_worker_keeps_running_when_a_tick_fails_on_the_database(monkeypatch):
    ticks: list[int] = []

    def requeue_during_a_restart() -> int:
        ticks.append(1)
        if len(ticks) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return 0

    monkeypatch.setattr(run_worker, "requeue_stale", requeue_during_a_restart)
    command = run_worker.Command(stdout=io.StringIO())
    # Between ticks: stop once the tick after the failure has run.
    monkeypatch.setattr(command, "sleep", lambda s: setattr(command, "stopping", len(ticks) >= 2))
    command.handle(interval=0, once=False, worker_id="worker-1")
    assert len(ticks) == 2
    assert "后台任务进程已退出" in command.stdout.getvalue()
