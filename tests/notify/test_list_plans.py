"""The notifications list reads one user's rows newest first from
``notification_user_time_idx``: no sort of everything the user was ever sent (issue #13).

SQLite: ``EXPLAIN QUERY PLAN`` names the index and has no temporary B-tree for the order.
PostgreSQL: with sequential scans off (a test table is tiny) the plan reads the index
backwards and has no Sort node.
"""

from __future__ import annotations

import pytest
from django.db import connection

from minyi.core.dbstats import analyze
from minyi.core.planner import planner_settings
from minyi.notify.models import Notification

pytestmark = pytest.mark.django_db


def _list_query(user):
    # The view's query: the user's notifications, newest first, one page.
    return Notification.objects.for_user(user).order_by("-created_at", "-id")[:30]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite query plans")
def test_sqlite_list_reads_the_users_index_without_sorting(cast):
    sql, params = _list_query(cast.member).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert "notification_user_time_idx" in plan
    assert "TEMP B-TREE" not in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans")
def test_postgres_list_reads_the_users_index_without_sorting(cast):
    Notification.objects.bulk_create(
        Notification(user=user, verb="submit", message=f"第{i}条")
        for i in range(50)
        for user in (cast.member, cast.editor)
    )
    # A hundred rows: the planner rightly finds a bitmap and a sort, or the created_at index
    # and an incremental sort, as cheap as any, and which it picks depends on the statistics
    # earlier tests left (a whole-database VACUUM ANALYZE). Every plan that sorts or scans the
    # table is priced out, so the plan shows whether an index gives the user's order.
    analyze([Notification])
    sql, params = _list_query(cast.member).query.sql_with_params()
    no_sorting = {"enable_sort": "off", "enable_incremental_sort": "off"}
    with planner_settings(enable_seqscan="off", enable_bitmapscan="off", **no_sorting) as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "notification_user_time_idx" in plan
    assert "Sort" not in plan


def test_the_consumers_check_of_who_was_told_reads_the_event_index(cast):
    Notification.objects.bulk_create(
        Notification(user=cast.member, verb="submit", message=f"第{i}条", event_id=i)
        for i in range(50)
    )
    told = Notification.objects.filter(event_id__in=[7, 9]).values_list("event_id", "user_id")
    assert sorted(told) == [(7, cast.member.pk), (9, cast.member.pk)]
    sql, params = told.query.sql_with_params()
    analyze([Notification])
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        else:
            with planner_settings(enable_seqscan="off") as settings_cursor:
                settings_cursor.execute("EXPLAIN " + sql, params)
                plan = " ".join(row[0] for row in settings_cursor.fetchall())
    # Every notifying consumer asks this for each batch: a scan of every notification
    # ever made cost 88 ms an action at 100,000 reports.
    assert "notification_event_idx" in plan
