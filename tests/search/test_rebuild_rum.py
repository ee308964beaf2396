"""The rebuild command with RUM: the index is rebuilt once after the rows, or switched on."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from minyi.search import backends, search_reports
from minyi.search.models import ReportDocument
from minyi.search.rum import CREATE_GIN, RUM_INDEX, TIER_INDEX, rum_index_exists, rum_indexes
from tests.search.helpers import indexed

pytestmark = pytest.mark.django_db


def _postgres_with_rum() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("RUM is a PostgreSQL index")
    if not rum_index_exists():
        pytest.skip("the rum extension is not installed (scripts/ensure-postgres-rum.sh)")


def test_a_rebuild_with_rum_builds_the_index_again_and_search_ranks_with_it(cast):
    _postgres_with_rum()
    report = indexed(cast, "关于规范医保定点药店的建议")
    ReportDocument.objects.all().delete()
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert rum_index_exists()
    assert isinstance(backends.get_backend(), backends.PostgresRumBackend)
    assert [h.report.pk for h in search_reports(cast.editor, "医保")] == [report.pk]


def test_a_rebuild_builds_the_title_tier_again(cast):
    _postgres_with_rum()
    indexed(cast, "关于规范医保定点药店的建议")
    assert rum_indexes() == (True, True)
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert rum_indexes() == (True, True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = %s::regclass", [TIER_INDEX]
        )
        # ANALYZE skips the tier: it would compute 30,000 sampled rows' tiers for nothing.
        assert [row[0] for row in cursor.fetchall()] == [0]


def test_the_rum_option_switches_a_gin_database_to_rum(cast):
    _postgres_with_rum()
    report = indexed(cast, "关于规范医保定点药店的建议")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred checks block DDL
        cursor.execute(CREATE_GIN)
        cursor.execute(f"DROP INDEX {RUM_INDEX}")
        cursor.execute(f"DROP INDEX {TIER_INDEX}")
    assert not rum_index_exists()
    out = io.StringIO()
    call_command("rebuild_search_index", "--rum", stdout=out)
    assert "已改用 RUM 索引" in out.getvalue()
    assert rum_indexes() == (True, True)
    assert [h.report.pk for h in search_reports(cast.editor, "医保")] == [report.pk]


def test_the_rum_option_refuses_where_rum_cannot_be_used(cast):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite refuses; PostgreSQL here has the extension")
    report = indexed(cast, "关于规范医保定点药店的建议")
    with pytest.raises(CommandError, match="无法启用 RUM 索引"):
        call_command("rebuild_search_index", "--rum", stdout=io.StringIO())
    # Nothing was rebuilt or dropped: the report is still found.
    assert [h.report.pk for h in search_reports(cast.editor, "医保")] == [report.pk]
