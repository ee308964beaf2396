"""Stored clocks: the report_clocks consumer keeps them equal to the clocks the event log gives."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.urls import reverse

from minyi.core import clock as domain_clock
from minyi.deadlines.calendar import WorkCalendar
from minyi.deadlines.clocks import as_clock, recompute_all
from minyi.deadlines.models import CalendarOverride, ClockStatus, ReportClock, ServiceLevel
from minyi.deadlines.sla import clock_for
from minyi.demo.loader import SMALL, load_demo
from minyi.reports.models import Report
from tests.deadlines.helpers import at, when
from tests.factories import make_report, settle

pytestmark = pytest.mark.django_db

OVERDUE = reverse("deadlines:overdue")
TRIAGE = reverse("office:triage")


def stored(report: Report, now: dt.datetime) -> dict[str, tuple]:
    cal = WorkCalendar.load()
    rows = ReportClock.objects.filter(report=report)
    return {row.stage: _facts(as_clock(row, cal, now)) for row in rows}


def derived(report: Report, now: dt.datetime) -> dict[str, tuple]:
    """The latest clock of each stage, as ``sla.clock_for`` computes it from the events."""
    latest = {}
    for found in clock_for(report, now=now):
        latest[found.stage] = _facts(found)
    return latest


def _facts(c) -> tuple:
    return (c.started_at, c.due_at, c.finished_at, c.status, c.working_left, c.allowance)


def test_it_matches_the_clocks_of_the_event_log_for_the_whole_demo():
    load_demo(SMALL, seed=7)
    settle()
    reports = list(Report.objects.all())
    assert ReportClock.objects.exists()
    now = domain_clock.now()
    # At now and at moments around the deadlines, so every status is compared.
    moments = [now, now - dt.timedelta(days=30), now - dt.timedelta(days=100)]
    for moment in moments:
        for report in reports:
            if report.created_at <= moment:
                assert stored(report, moment) == derived(report, moment), report.pk
    statuses = set(ReportClock.objects.values_list("status", flat=True))
    assert {ClockStatus.MET, ClockStatus.RUNNING} <= statuses


def test_it_rewrites_the_same_rows_when_recomputed_from_scratch():
    load_demo(SMALL, seed=8)
    settle()
    before = sorted(ReportClock.objects.values_list("report_id", "stage", "due_at", "status"))
    ReportClock.objects.all().delete()
    recompute_all()
    after = sorted(ReportClock.objects.values_list("report_id", "stage", "due_at", "status"))
    assert before == after
    # Re-timing a changed level from the rows alone gives what the events give.
    facts = ("report_id", "stage", "due_at", "soon_at", "status", "allowance")
    unchanged = sorted(ReportClock.objects.values_list(*facts))
    level = ServiceLevel.objects.get(urgency="routine", stage="decision")
    level.amount = 3
    level.save()
    retimed = sorted(ReportClock.objects.values_list(*facts))
    assert retimed != unchanged
    recompute_all()
    assert retimed == sorted(ReportClock.objects.values_list(*facts))


def test_it_follows_a_report_through_accept_sign_off_and_publish(cast):
    with when(at(2025, 11, 17, 9, 0)):
        report = make_report(cast, state="submitted", urgency="urgent")
    settle()
    assert set(ReportClock.objects.filter(report=report).values_list("stage", "status")) == {
        ("triage", "running")
    }
    with when(at(2025, 11, 17, 10, 0)):
        report = make_report(cast, state="published", urgency="urgent")
    settle()
    rows = {r.stage: r for r in ReportClock.objects.filter(report=report)}
    # Accepted and signed off the same hour: both stages met, nothing running.
    assert {stage: row.status for stage, row in rows.items()} == {
        "triage": "met",
        "sign_off": "met",
    }
    assert all(row.finished_at is not None for row in rows.values())


def test_it_retimes_clocks_when_a_calendar_override_changes(cast):
    with when(at(2025, 11, 17, 9, 0)):
        report = make_report(cast, state="submitted")  # routine: accept within 3 working days
    settle()
    due = ReportClock.objects.get(report=report, stage="triage").due_at
    assert due == at(2025, 11, 20, 17, 30)
    override = CalendarOverride.objects.create(
        date=dt.date(2025, 11, 19), is_working_day=False, note="本地假日"
    )
    assert ReportClock.objects.get(report=report, stage="triage").due_at == at(2025, 11, 21, 17, 30)
    # Moving the override past the deadline re-times both days: back to Thursday.
    override.date = dt.date(2025, 12, 1)
    override.save()
    assert ReportClock.objects.get(report=report, stage="triage").due_at == due
    with when(at(2025, 11, 21, 9, 0)):
        assert stored(report, domain_clock.now()) == derived(report, domain_clock.now())


def test_it_retimes_clocks_when_a_service_level_changes(cast):
    with when(at(2025, 11, 17, 9, 0)):
        report = make_report(cast, state="submitted", urgency="urgent")
    settle()
    level = ServiceLevel.objects.get(urgency="urgent", stage="triage")
    level.amount = 4
    level.save()
    row = ReportClock.objects.get(report=report, stage="triage")
    assert (row.due_at, row.allowance) == (at(2025, 11, 17, 14, 30), "4 个工作小时")
    level.delete()
    assert not ReportClock.objects.filter(report=report, stage="triage").exists()
    # A level for a stage that had none starts its clocks, read from the events.
    ServiceLevel.objects.create(urgency="urgent", stage="triage", amount=1, unit="working_days")
    row = ReportClock.objects.get(report=report, stage="triage")
    assert (row.due_at, row.status) == (at(2025, 11, 18, 17, 30), "running")
    with when(at(2025, 11, 18, 9, 0)):
        assert stored(report, domain_clock.now()) == derived(report, domain_clock.now())


def _late_reports(cast, count: int, rng: random.Random) -> None:
    with when(at(2025, 11, 17, 9, 0)):
        for _ in range(count):
            # Urgent reports are accepted within 2 working hours; these were not.
            make_report(cast, state="submitted", urgency=rng.choice(["urgent", "special"]))
    settle()


def test_the_pages_use_as_many_queries_for_30_late_reports_as_for_3(
    cast, client_for, django_assert_max_num_queries
):
    rng = random.Random(13)
    _late_reports(cast, 3, rng)
    editor = client_for(cast.editor)
    with when(at(2025, 11, 19, 9, 0)):
        editor.get(OVERDUE)  # The session and the permission caches, once.
        # Session and roles, the consumer's cursor and the log's head, then a fixed set
        # of queries per page (the base template's counters included).
        with django_assert_max_num_queries(30) as board_few:
            editor.get(OVERDUE)
        with django_assert_max_num_queries(30) as queue_few:
            editor.get(TRIAGE)
    _late_reports(cast, 27, rng)
    with when(at(2025, 11, 19, 9, 0)):
        with django_assert_max_num_queries(len(board_few.captured_queries)):
            board = editor.get(OVERDUE)
        with django_assert_max_num_queries(len(queue_few.captured_queries)):
            queue = editor.get(TRIAGE)
    assert board.status_code == queue.status_code == 200
    html = board.content.decode()
    # 30 late reports, 25 to a page.
    assert "共 30 篇" in html and "第 1 / 2 页" in html
