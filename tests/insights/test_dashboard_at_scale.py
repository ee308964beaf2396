"""What the dashboard, the menu and the scoring pages changed for 100,000 reports count the same.

The overdue count from the late clocks to their reports by key (not the visible set as a
subquery of every clock), the category filter as a list of ids (not an OR through a join),
and the ledger's year span as two ordered subqueries (not MIN and MAX in one aggregate).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minyi.core import clock
from minyi.deadlines.models import ClockStatus, ReportClock
from minyi.desk.todos import _overdue_reports
from minyi.insights.stats import Filters
from minyi.insights.summary import overdue_now
from minyi.reports.access import visible_reports
from minyi.reports.models import Category
from minyi.scoring import rankings
from minyi.scoring.models import Score
from tests.factories import Cast, make_report, publish, settle
from tests.scoring.helpers import make_rules

pytestmark = pytest.mark.django_db


def _late(report, stage: str, *, hours: int, status: str = ClockStatus.RUNNING) -> None:
    now = clock.now()
    ReportClock.objects.create(
        report=report,
        stage=stage,
        started_at=now - dt.timedelta(days=9),
        soon_at=now - dt.timedelta(days=2),
        due_at=now + dt.timedelta(hours=hours),
        status=status,
        allowance="3个工作日",
    )


def test_the_overdue_count_is_the_distinct_visible_reports_with_a_running_late_clock(
    cast: Cast,
) -> None:
    draft = make_report(cast, state="submitted", title="待受理")
    out = make_report(cast, state="signed_off", title="已签发")
    publish(cast, [out])
    settle()
    ReportClock.objects.all().delete()
    _late(draft, "triage", hours=-5)
    _late(draft, "decision", hours=-1)  # two late clocks, one report
    _late(out, "sign_off", hours=-3)
    _late(out, "decision", hours=-4, status=ClockStatus.MET)
    _late(make_report(cast, state="accepted"), "triage", hours=+5)  # not yet due
    late = ReportClock.objects.filter(status=ClockStatus.RUNNING, due_at__lt=clock.now())
    for user in (cast.editor, cast.leader, cast.member, cast.outsider):
        base = visible_reports(user)
        expected = late.filter(report__in=base.values("pk")).values("report_id").distinct()
        assert overdue_now(base, every=False) == expected.count(), user
    assert overdue_now(visible_reports(cast.leader), every=False) == 1  # the published one
    assert overdue_now(visible_reports(cast.editor), every=True) == 2
    assert _overdue_reports() == 2


def test_a_category_filter_reads_the_category_and_its_children_without_a_join(
    cast: Cast,
) -> None:
    parent = cast.category.parent
    filters = Filters(category_id=parent.pk, every_submitted=True)
    children = Category.objects.filter(parent=parent).values_list("pk", flat=True)
    assert sorted(filters.category_ids) == sorted([parent.pk, *children])
    assert cast.category.pk in filters.category_ids
    sql = str(filters.facts(visible_reports(cast.editor)).query)
    assert "reports_category" not in sql


def test_the_years_offered_span_the_ledger_from_first_to_last(cast: Cast) -> None:
    this_year = clock.localdate().year
    assert rankings.years_with_scores() == sorted(
        {this_year, *rankings.ScoreRuleSet.objects.values_list("year", flat=True)}, reverse=True
    )
    make_rules()
    publish(cast, [make_report(cast, state="signed_off")])
    settle()
    first = Score.objects.order_by("pk").first()
    Score.objects.filter(pk=first.pk).update(year=this_year - 4)
    with CaptureQueriesContext(connection) as queries:
        years = rankings.years_with_scores()
    assert set(range(this_year - 4, this_year + 1)) <= set(years)
    assert len(queries.captured_queries) == 2  # the span, the rule sets' years


def test_a_units_composites_are_listed_once_each_from_the_units_merged_sources(
    cast: Cast,
) -> None:
    from minyi.insights.stats import composites_of_unit
    from minyi.reports.models import Report

    composite = make_report(cast, state="accepted")
    other = make_report(cast, state="accepted")
    sources = [make_report(cast, state="submitted") for _ in range(3)]
    foreign = make_report(cast, by=cast.outsider, state="submitted", unit=cast.other_unit)
    Report.objects.filter(pk__in=[s.pk for s in sources[:2]]).update(merged_into=composite)
    Report.objects.filter(pk=sources[2].pk).update(merged_into=other, duplicate_of=other)
    Report.objects.filter(pk=foreign.pk).update(merged_into=other)
    # Two sources into one composite: one id; a duplicate and another unit's source: none.
    assert list(composites_of_unit(cast.unit.pk)) == [composite.pk]
    if connection.vendor == "sqlite":
        sql, params = composites_of_unit(cast.unit.pk).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "report_unit_merged_idx" in plan
        assert "ORDER BY" not in sql  # the reports' default order made a row per source


def test_over_a_whole_period_the_groups_count_from_their_covering_indexes(cast: Cast) -> None:
    from minyi.insights.stats import _out_and_adopted

    make_report(cast, state="submitted")
    settle()
    filters = Filters(every_submitted=True)
    assert not filters.narrowed
    assert Filters(every_submitted=True, year=2026).narrowed is False
    assert Filters(every_submitted=True, category_id=cast.category.pk).narrowed
    if connection.vendor != "sqlite":
        return
    from minyi.core.dbstats import analyze
    from minyi.insights.models import ReportFact

    analyze([ReportFact])
    facts = filters.facts(visible_reports(cast.editor))
    for key, index in (
        ("submitting_unit_id", "insights_fact_unit_counts"),
        ("category_id", "insights_fact_category_counts"),
        ("lead_member_id", "insights_fact_lead_counts"),
    ):
        grouped = facts.values(key).annotate(**_out_and_adopted()).order_by()
        sql, params = grouped.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert f"COVERING INDEX {index}" in plan, plan
