"""我的信息 reads its indexes: a liaison's list takes the unit's composites from
``report_unit_merged_idx``, and the own filter is applied once (issue #13, third pass).

SQLite's ``EXPLAIN QUERY PLAN`` names the index a query reads; without it the planner
walked the ``duplicate_of`` index for ``IS NULL`` (nearly every report) in each list and
count query of a liaison's page.
"""

from __future__ import annotations

import pytest
from django.db import connection

from minyi.reports.access import own_filter, own_reports, visible_reports
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def _sqlite_plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite query plans")
def test_liaison_list_takes_the_units_composites_from_their_index(cast):
    make_report(cast, state="submitted")
    plan = _sqlite_plan(own_reports(cast.liaison).order_by("-created_at", "-id"))
    assert "report_unit_merged_idx" in plan
    assert "duplicate_of_id_" not in plan  # the single-column index of duplicate_of


def test_own_filter_appears_once_in_my_list(cast):
    sql = str(own_reports(cast.liaison).query)
    # The composites' subquery once (visible_reports().filter(own_filter) had it twice).
    assert sql.count('"merged_into_id" IS NOT NULL') == 1


def test_own_reports_are_the_own_filter_within_what_the_user_may_read(cast):
    make_report(cast, state="submitted")
    make_report(cast, by=cast.officer, state="accepted")
    make_report(cast, by=cast.liaison, state="draft")
    for user in cast.everyone().values():
        expected = set(visible_reports(user).filter(own_filter(user)).values_list("pk", flat=True))
        assert set(own_reports(user).values_list("pk", flat=True)) == expected, user.username


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite query plans")
def test_register_title_search_scans_the_title_index_not_the_rows(cast):
    from django.test.utils import CaptureQueriesContext

    from minyi.deadlines.register import _search

    with CaptureQueriesContext(connection) as captured:
        _search("养老 服务")
    (query,) = captured.captured_queries  # the titles, scanned once
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX report_state_title_idx" in plan


def _pages(user, state: str = "", size: int = 2) -> list[int]:
    from minyi.desk.mine_list import MyReports

    rows = MyReports(user, state)
    return [r.pk for start in range(0, rows.count(), size) for r in rows[start : start + size]]


def test_my_reports_pages_are_the_own_reports_in_order(cast):
    make_report(cast, state="submitted")
    make_report(cast, by=cast.officer, state="accepted")
    make_report(cast, by=cast.liaison, state="draft")
    make_report(cast, state="submitted", unit=cast.other_unit)
    make_report(cast, state="returned")
    for user in cast.everyone().values():
        for state in ("", "submitted"):
            own = own_reports(user).order_by("-created_at", "-id")
            if state:
                own = own.filter(state=state)
            assert _pages(user, state) == list(own.values_list("pk", flat=True)), user.username


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite query plans")
def test_liaison_page_reads_the_units_reports_in_order_from_their_index(cast):
    from minyi.desk.mine_list import ORDER, MyReports

    make_report(cast, state="submitted")
    plan = _sqlite_plan(MyReports(cast.liaison).keys.order_by(*ORDER)[20:40])
    assert "MERGE (UNION)" in plan
    assert "COVERING INDEX report_unit_created_idx" in plan


def test_my_reports_of_both_source_units_liaisons_hold_the_composite(cast, client_for):
    from django.urls import reverse

    from minyi.people.models import Role
    from tests.factories import make_user

    other_liaison = make_user("liaison2", Role.LIAISON, unit=cast.other_unit)
    first = make_report(cast, state="submitted", title="养老床位不足")
    second = make_report(cast, by=cast.outsider, unit=cast.other_unit, state="accepted")
    data = {"ids": [first.pk, second.pk], "title": "关于养老服务的综合建议", "situation": "综合"}
    client_for(cast.editor).post(reverse("office:merge"), data)
    composite = first.__class__.objects.get(title="关于养老服务的综合建议")
    for user in (cast.liaison, other_liaison):
        pages = _pages(user)
        assert composite.pk in pages, user.username
        expected = own_reports(user).order_by("-created_at", "-id").values_list("pk", flat=True)
        assert pages == list(expected), user.username
