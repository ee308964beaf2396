"""The planner gets statistics after bulk writes, and the worker refreshes them every night."""

from __future__ import annotations

import pytest
from django.db import connection

from minyi.core.dbstats import analyze, optimize
from minyi.core.jobs import PERIODIC
from minyi.reports.models import Report
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def _has_statistics(table: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        return cursor.fetchone()[0] > 0


def test_analyze_gives_the_written_tables_statistics(cast):
    for _ in range(3):
        make_report(cast, state="submitted")
    assert analyze([Report]) == [Report._meta.db_table]
    assert _has_statistics(Report._meta.db_table)


def test_the_nightly_job_refreshes_statistics(cast):
    make_report(cast, state="submitted")
    assert "optimize_statistics" in PERIODIC
    assert optimize() in ("PRAGMA optimize", "ANALYZE")


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_postgresql_vacuums_so_counts_can_read_the_index_alone(cast):
    make_report(cast, state="submitted")
    done = analyze()  # the whole database, as after load_demo --scale
    assert done == []
    if connection.vendor != "postgresql":
        return  # SQLite has no visibility map: ANALYZE only
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s",
            [Report._meta.db_table],
        )
        assert cursor.fetchone()[0]  # the visibility map is set: index-only scans can count
    assert optimize() == "VACUUM (ANALYZE)"


def test_inside_a_transaction_postgresql_analyses_without_vacuum(cast):
    make_report(cast, state="submitted")
    assert analyze() == []  # VACUUM cannot run in a transaction: ANALYZE, no error
    assert optimize() in ("PRAGMA optimize", "ANALYZE")
