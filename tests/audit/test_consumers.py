"""The event log drives every side effect: consumers with cursors, nudged and drained."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction

from minyi.audit import consumers
from minyi.audit.consumers import drain_all, register
from minyi.audit.models import ConsumerCursor, Event, record
from minyi.core import clock
from minyi.notify.models import Notification
from minyi.reports.models import Report
from minyi.reports.workflow import transition
from minyi.scoring.models import Score
from minyi.search.models import ReportDocument
from tests.factories import make_report, settle
from tests.scoring.helpers import make_rules


def cursor(name: str) -> ConsumerCursor:
    return ConsumerCursor.objects.get(name=name)


def test_every_consumer_is_registered_with_a_cursor_from_its_migration(db):
    names = {c.name for c in consumers.consumers()}
    assert {"author_feedback", "points_ledger", "search_index"} <= names
    assert {"author_feedback", "points_ledger", "search_index"} <= set(
        ConsumerCursor.objects.values_list("name", flat=True)
    )


def test_record_refuses_a_verb_outside_the_vocabulary(cast):
    with pytest.raises(ValueError):
        record("teleport", cast.editor)
    assert not Event.objects.filter(verb="teleport").exists()


def test_an_action_only_writes_its_event_and_settling_delivers_its_effects(cast):
    make_rules()
    report = make_report(cast, state="signed_off", urgency="urgent")
    event = transition(report, "send_directly", cast.editor)
    assert not Notification.objects.filter(event_id=event.pk).exists()
    settle()
    assert Notification.objects.filter(event_id=event.pk, user=cast.member).count() == 1
    assert Score.objects.filter(event_id=event.pk, member=cast.member.member).count() == 1
    assert ReportDocument.objects.filter(report=report).count() == 1
    assert cursor("author_feedback").last_event_id == Event.objects.latest("id").pk


def test_draining_again_or_from_the_start_adds_no_duplicate(cast):
    make_rules()
    report = make_report(cast, state="signed_off", urgency="urgent")
    event = transition(report, "send_directly", cast.editor)
    settle()
    settle()
    ConsumerCursor.objects.update(last_event_id=0)  # A replay of the whole log.
    settle()
    assert Notification.objects.filter(event_id=event.pk).count() == 1
    assert Score.objects.filter(event_id=event.pk).count() == 1
    assert ReportDocument.objects.filter(report=report).count() == 1


def test_a_nudge_after_commit_delivers_at_once(cast, django_capture_on_commit_callbacks):
    report = make_report(cast, state="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        event = transition(report, "accept", cast.editor)
    assert Notification.objects.filter(event_id=event.pk, user=cast.member).count() == 1


def _nudges() -> list:
    entries = connection.run_on_commit
    return [f for _, f, _ in entries if getattr(f, "func", None) is consumers._nudge]


def test_the_first_nudge_of_a_transaction_drains_and_the_rest_skip(cast, monkeypatch):
    drains = []
    monkeypatch.setattr(consumers, "drain_all", lambda verbs: drains.append(verbs))
    with transaction.atomic():
        record("claim", cast.editor)
        record("accept", cast.editor)
        record("claim", cast.editor)
        queued = _nudges()[-3:]
    for nudge in queued:  # What the commit does, in order.
        nudge()
    assert len(drains) == 1 and {"claim", "accept"} <= drains[0]


def test_a_nudge_drains_only_the_consumers_of_the_verbs_appended(cast):
    report = make_report(cast, state="submitted")
    settle()
    heads = dict(ConsumerCursor.objects.values_list("name", "last_event_id"))
    accepted = transition(report, "accept", cast.editor)
    progress = drain_all(verbs={"accept"})
    # The authors are told, the report's clocks move on (受理 finishes), and its fact row
    # for the dashboard changes state.
    assert [p.name for p in progress] == ["author_feedback", "report_clocks", "report_facts"]
    assert cursor("author_feedback").last_event_id == accepted.pk
    assert cursor("points_ledger").last_event_id == heads["points_ledger"]  # Not even looked at.
    assert drain_all(verbs={"claim"}) == []


def _drop_the_nudge() -> None:
    """What a process killed right after commit does: its after-commit work never runs."""
    dropped = set(map(id, _nudges()))
    connection.run_on_commit[:] = [e for e in connection.run_on_commit if id(e[1]) not in dropped]


@pytest.mark.django_db(transaction=True)
def test_an_event_whose_nudge_died_with_the_process_is_delivered_by_the_next_worker_tick(
    cast,
):
    make_rules()
    report = make_report(cast, state="signed_off", urgency="urgent")
    with transaction.atomic():
        event = transition(report, "send_directly", cast.editor)
        _drop_the_nudge()
    assert not Notification.objects.filter(event_id=event.pk).exists()
    assert not Score.objects.filter(event_id=event.pk).exists()
    for _ in range(2):  # The second tick finds nothing left to do.
        call_command("run_worker", "--once", stdout=io.StringIO())
    assert Notification.objects.filter(event_id=event.pk, user=cast.member).count() == 1
    assert Notification.objects.filter(event_id=event.pk).count() == 1
    assert Score.objects.filter(event_id=event.pk, member=cast.member.member).count() == 1


@pytest.fixture
def flaky() -> Iterator[list[int]]:
    """A consumer of ``claim`` that fails on its first call and works afterwards."""
    seen: list[int] = []
    calls = {"n": 0}

    def handle(events: list[Event]) -> None:
        calls["n"] += 1
        Report.objects.filter(pk__in=[]).update(title="")  # A write, rolled back with the batch.
        if calls["n"] == 1:
            raise RuntimeError("下游暂时不可用")
        seen.extend(e.pk for e in events)

    register("flaky_test", label="测试用", verbs=["claim"])(handle)
    yield seen
    consumers._REGISTRY.pop("flaky_test")


def test_a_failing_handler_waits_and_retries_while_the_others_advance(cast, flaky):
    report = make_report(cast, state="submitted")
    claimed = record("claim", report, actor=cast.editor, report_id=report.pk)
    accepted = transition(report, "accept", cast.editor)
    progress = {p.name: p for p in drain_all()}
    assert progress["flaky_test"].failed
    stuck = cursor("flaky_test")
    assert stuck.failures == 1 and stuck.failed_event_id == claimed.pk
    assert "下游暂时不可用" in stuck.last_error and stuck.retry_after > clock.now()
    assert stuck.last_event_id < claimed.pk and flaky == []
    # The others went on: the author was told of the acceptance.
    assert Notification.objects.filter(event_id=accepted.pk).count() == 1
    assert cursor("author_feedback").last_event_id >= accepted.pk
    # Before the delay is over nothing is tried; after it, the batch goes through once.
    assert {p.name: p for p in drain_all()}["flaky_test"].waiting
    with time_machine.travel(clock.now() + dt.timedelta(minutes=1), tick=False):
        drain_all()
    assert flaky == [claimed.pk]
    done = cursor("flaky_test")
    assert done.failures == 0 and done.last_error == "" and done.last_event_id >= claimed.pk


def test_the_background_page_shows_each_consumer_and_its_lag(cast, client_for, flaky):
    report = make_report(cast, state="submitted")
    record("claim", report, actor=cast.editor, report_id=report.pk)
    drain_all()
    admin = cast.editor.__class__.objects.create_superuser("root", password="minyi-test-pw")
    page = client_for(admin).get("/notifications/background/").content.decode()
    assert "反馈给反映人" in page and "履职积分台账" in page and "全文检索索引" in page
    assert "下游暂时不可用" in page


KILLED_AFTER_COMMIT = """
import os, django
django.setup()
from django.db import transaction
from minyi.people.models import User
from minyi.reports.models import Report
from minyi.reports.workflow import transition
with transaction.atomic():
    # Registered before the action's own after-commit nudge, so it runs first:
    # the process is killed the moment the transaction has committed.
    transaction.on_commit(lambda: os.kill(os.getpid(), 9))
    transition(Report.objects.get(pk={report}), "send_directly", User.objects.get(pk={editor}))
"""


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="需要 PostgreSQL：另一进程要连到同一个测试库"
)
@pytest.mark.django_db(transaction=True)
def test_a_process_killed_with_sigkill_right_after_commit_loses_no_feedback(cast):
    make_rules()
    report = make_report(cast, state="signed_off", urgency="urgent")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    code = KILLED_AFTER_COMMIT.format(report=report.pk, editor=cast.editor.pk)
    env = {**os.environ, "MINYI_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "minyi.settings"}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=False)
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()[-2000:]
    event = Event.objects.get(verb="send_directly", report_id=report.pk)  # It committed.
    assert not Notification.objects.filter(event_id=event.pk).exists()
    call_command("run_worker", "--once", stdout=io.StringIO())
    assert Notification.objects.filter(event_id=event.pk, user=cast.member).count() == 1
    assert Score.objects.filter(event_id=event.pk, member=cast.member.member).count() == 1


@pytest.mark.django_db(transaction=True)
def test_held_nudges_wait_for_the_end_of_the_bulk_job_and_then_drain_once(cast):
    report = make_report(cast, state="submitted")
    with consumers.held():
        event = transition(report, "accept", cast.editor)  # Committed; its nudge is held.
        assert not Notification.objects.filter(event_id=event.pk).exists()
    assert Notification.objects.filter(event_id=event.pk, user=cast.member).count() == 1
