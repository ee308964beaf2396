"""Deadline clocks per urgency and stage, computed from the event log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string

from minyi.audit.models import Event
from minyi.deadlines.boards import attach_clocks, overdue_reports
from minyi.deadlines.models import ServiceLevel
from minyi.deadlines.sla import clock_for, time_in_states
from minyi.reports.access import visible_reports
from minyi.reports.actions import do_submit
from minyi.reports.models import Report
from minyi.reports.workflow import transition
from tests.deadlines.helpers import at, when
from tests.factories import make_report, settle

pytestmark = pytest.mark.django_db


def clocks_at(report: Report, moment: dt.datetime) -> dict[str, object]:
    with when(moment):
        return {c.stage: c for c in clock_for(report)}


def test_it_seeds_the_default_service_levels():
    levels = {(s.urgency, s.stage): (s.amount, s.unit) for s in ServiceLevel.objects.all()}
    assert levels[("urgent", "triage")] == (2, "working_hours")
    assert levels[("urgent", "sign_off")] == (1, "working_days")
    assert levels[("special", "triage")] == (2, "working_hours")
    assert levels[("routine", "decision")] == (10, "working_days")
    assert ("urgent", "decision") not in levels


def test_it_gives_an_urgent_report_sent_on_friday_afternoon_until_monday_ten(cast):
    with when(at(2025, 11, 14, 16, 30)):
        report = make_report(cast, state="submitted", urgency="urgent")
    clocks = clocks_at(report, at(2025, 11, 14, 16, 45))
    assert set(clocks) == {"triage"}
    triage = clocks["triage"]
    assert triage.started_at == at(2025, 11, 14, 16, 30)
    assert triage.due_at == at(2025, 11, 17, 10, 0)
    assert triage.status == "on_time" and triage.summary == "剩余 1 小时 45 分钟"
    # 30 working minutes before the deadline is within the last quarter of 2 hours.
    assert clocks_at(report, at(2025, 11, 17, 9, 30))["triage"].status == "due_soon"
    late = clocks_at(report, at(2025, 11, 17, 11, 15))["triage"]
    assert late.status == "overdue" and late.summary == "超期 1 小时 15 分钟"


def test_it_times_a_routine_report_in_working_days_across_national_day(cast):
    with when(at(2025, 9, 30, 10, 0)):
        report = make_report(cast, state="submitted")
    clocks = clocks_at(report, at(2025, 9, 30, 11, 0))
    assert clocks["triage"].due_at == at(2025, 10, 11, 17, 30)
    assert clocks["decision"].due_at == at(2025, 10, 21, 17, 30)


def test_it_treats_special_reports_like_urgent_ones(cast):
    with when(at(2025, 11, 17, 9, 0)):
        report = make_report(cast, state="submitted", urgency="special")
    assert clocks_at(report, at(2025, 11, 17, 9, 0))["triage"].due_at == at(2025, 11, 17, 11, 0)


def test_it_finishes_clocks_as_met_or_missed(cast):
    with when(at(2025, 11, 17, 9, 0)):
        report = make_report(cast, state="submitted", urgency="urgent")
    with when(at(2025, 11, 17, 10, 30)):
        transition(report, "accept", cast.editor)
    with when(at(2025, 11, 17, 14, 0)):
        transition(report, "send_for_sign_off", cast.editor)
    with when(at(2025, 11, 19, 9, 0)):
        transition(report, "sign_off", cast.approver)
    clocks = clocks_at(report, at(2025, 11, 20, 9, 0))
    assert clocks["triage"].status == "met"
    assert clocks["triage"].finished_at == at(2025, 11, 17, 10, 30)
    # Due at the end of Tuesday; signed off on Wednesday morning.
    assert clocks["sign_off"].due_at == at(2025, 11, 18, 17, 30)
    assert clocks["sign_off"].status == "missed"
    # Late only by a night: no working time was lost, but the deadline was missed.
    assert clocks["sign_off"].summary == "超期办结"


def test_it_starts_a_fresh_triage_clock_when_a_returned_report_comes_back(cast):
    with when(at(2025, 11, 17, 9, 0)):
        report = make_report(cast, state="submitted")
    with when(at(2025, 11, 18, 9, 0)):
        transition(report, "return", cast.editor, note="请补充数据来源。")
    with when(at(2025, 11, 24, 9, 0)):
        do_submit(report, cast.member)
    with when(at(2025, 11, 24, 10, 0)):
        clocks = clock_for(report)
    triage = [c for c in clocks if c.stage == "triage"]
    assert [c.status for c in triage] == ["met", "on_time"]
    assert triage[1].due_at == at(2025, 11, 27, 17, 30)
    # The decision clock stopped when the report went back to its author.
    decision = [c for c in clocks if c.stage == "decision"]
    assert [c.started_at for c in decision] == [at(2025, 11, 24, 9, 0)]


def test_it_measures_time_in_each_state_from_the_events(cast):
    with when(at(2025, 11, 17, 8, 0)):
        report = make_report(cast, state="draft")
    with when(at(2025, 11, 17, 9, 0)):
        do_submit(report, cast.member)
    with when(at(2025, 11, 17, 15, 0)):
        transition(report, "accept", cast.editor)
    with when(at(2025, 11, 18, 15, 0)):
        spent = time_in_states(report)
    assert spent == {
        "draft": dt.timedelta(hours=1),
        "submitted": dt.timedelta(hours=6),
        "accepted": dt.timedelta(hours=24),
    }


def test_it_lists_overdue_reports_with_a_fixed_number_of_queries(cast, django_assert_num_queries):
    with when(at(2025, 11, 17, 9, 0)):
        late = [make_report(cast, state="submitted", urgency="urgent") for _ in range(3)]
        make_report(cast, state="submitted")  # routine: 3 working days, not due yet
    settle()
    # The consumer's cursor and the log's head (caught up), the alarming reports,
    # the reports, their clocks and the calendar overrides.
    with when(at(2025, 11, 18, 9, 0)), django_assert_num_queries(6):
        rows = overdue_reports(Report.objects.all())
    assert [row.report.pk for row in rows] == sorted(r.pk for r in late)
    assert {row.clock.summary for row in rows} == {"超期 5 小时"}
    assert all(row.report in visible_reports(cast.editor) for row in rows)


def test_it_renders_a_reports_clocks_for_the_report_pages(cast):
    with when(at(2025, 11, 14, 16, 30)):
        report = make_report(cast, state="submitted", urgency="urgent")
    with when(at(2025, 11, 17, 11, 0)):
        html = render_to_string("deadlines/_clock.html", {"clocks": clock_for(report)})
    assert "办理时限" in html and "受理" in html and "已超期" in html
    assert "超期 1 小时" in html and "2025-11-17 10:00" in html
    assert render_to_string("deadlines/_clock.html", {"clocks": []}).strip() == ""


def test_it_attaches_the_most_pressing_clock_for_list_pages(cast, django_assert_num_queries):
    with when(at(2025, 11, 17, 9, 0)):
        urgent = make_report(cast, state="submitted", urgency="urgent")
        draft = make_report(cast, state="draft")
    reports = list(Report.objects.filter(pk__in=[urgent.pk, draft.pk]))
    settle()
    # The page's stored clocks and the calendar overrides.
    with when(at(2025, 11, 17, 11, 30)), django_assert_num_queries(2):
        attach_clocks(reports)
    by_pk = {r.pk: r for r in reports}
    assert by_pk[draft.pk].worst_clock is None
    assert by_pk[urgent.pk].worst_clock.status == "overdue"
    html = render_to_string("deadlines/_clock_badge.html", {"clock": by_pk[urgent.pk].worst_clock})
    assert "受理·超期 30 分钟" in html


def test_it_reads_clocks_from_a_whole_report_timeline(cast):
    with when(at(2025, 11, 17, 9, 0)):
        report = make_report(cast, state="published", urgency="urgent")
    with when(at(2025, 11, 17, 9, 0)):
        clocks = clock_for(report, list(Event.objects.for_report(report.pk)))
    assert [(c.stage, c.status) for c in clocks] == [("triage", "met"), ("sign_off", "met")]
