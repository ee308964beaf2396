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
