"""The periodic scheduler: each job is queued once per slot, and its task does the work."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from minyi.notify.models import ScheduledRun
from minyi.notify.schedule import enqueue_due
from tests.deadlines.helpers import at, when

pytestmark = pytest.mark.django_db


def test_it_queues_each_job_once_per_slot_however_often_it_ticks():
    with when(at(2025, 11, 17, 8, 0)):
        due = {
            "deadline_reminders",
            "rebuild_search_index",
            "anchor_events",
            "nightly_backup",
            "clear_sessions",
            "optimize_statistics",
            "commission_reminders",
        }
        assert set(enqueue_due()) == due
    with when(at(2025, 11, 17, 8, 10)):
        assert enqueue_due() == []
    with when(at(2025, 11, 17, 8, 30)):
        assert set(enqueue_due()) == {"deadline_reminders", "daily_digest"}
        assert enqueue_due() == []
    assert DBTaskResult.objects.ready().count() == 9
    assert ScheduledRun.objects.filter(job="daily_digest").get().slot == "2025-11-17"


def test_it_sends_the_days_digest_when_the_worker_comes_back_late():
    with when(at(2025, 11, 17, 23, 50)):
        assert "daily_digest" in enqueue_due()
    with when(at(2025, 11, 18, 0, 5)):
        # Past midnight the digest waits for 08:30 again.
        assert "daily_digest" not in enqueue_due()


def test_it_retrains_the_classifier_weekly_on_sunday():
    with when(at(2025, 11, 22, 4, 0)):
        assert "train_classifier" not in enqueue_due()
    with when(at(2025, 11, 23, 4, 0)):
        assert "train_classifier" in enqueue_due()


def test_it_runs_the_index_rebuild_and_classifier_jobs(worker_pass):
    with when(at(2025, 11, 23, 4, 0)):
        enqueue_due()
        worker_pass()
    results = {r.task_name: r for r in DBTaskResult.objects.all()}
    assert results["rebuild_search_index"].status == "SUCCESSFUL"
    assert results["train_classifier"].status == "SUCCESSFUL"
    assert results["send_deadline_reminders"].status == "SUCCESSFUL"
    assert results["optimize_statistics"].status == "SUCCESSFUL"
