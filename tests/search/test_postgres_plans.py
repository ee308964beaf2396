"""PostgreSQL: lookups read their indexes right after a bulk write; RUM ranks every match.

Skipped on SQLite (FTS5 has no planner choice to get wrong and no RUM). The RUM tests
also need the ``rum`` extension (``scripts/ensure-postgres-rum.sh``, run by
``make test-postgres``); the GIN tests switch the test database back to GIN inside
the test's transaction, which rolls back.
"""

from __future__ import annotations

import pytest
from django.db import connection

from minyi.core.dbstats import analyze, flush_gin_pending
from minyi.core.planner import planner_settings
from minyi.reports.models import Report
from minyi.search import backends, postgres, search_reports
from minyi.search.backends import documents_for, save_documents
from minyi.search.models import ReportDocument
from minyi.search.rum import CREATE_GIN, RUM_INDEX, rum_index_exists
from minyi.search.similar import LOOKUP_SETTINGS, lookup_query, similar_reports
from tests.search.helpers import indexed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL query plans and indexes only"
    ),
]


@pytest.fixture
def rum() -> None:
    """Skip unless the test database ranks with RUM (the extension was there to migrate)."""
    if not rum_index_exists():
        pytest.skip("the rum extension is not installed (scripts/ensure-postgres-rum.sh)")


DOC_TABLE = ReportDocument._meta.db_table


def _bulk_reports(cast, n: int) -> list[Report]:
    """n submitted reports with varied text, written the bulk way (no ANALYZE after)."""
    reports = Report.objects.bulk_create(
        Report(title=f"关于第{i}号小区加装电梯的建议", situation=f"{i}户反映{i % 7}号楼电梯难。",
               created_by=cast.member, state="submitted", revision_number=1)
        for i in range(n)
    )  # fmt: skip
    save_documents(documents_for(reports))
    return reports


def _plan(sql: str, params: list[object], **settings: str | int) -> str:
    with planner_settings(**settings) as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _use_gin() -> None:
    """This test's transaction only: the GIN index of ``vector`` instead of the RUM one."""
    with connection.cursor() as cursor:
        # The deferred foreign-key checks of the rows just written block DDL: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(CREATE_GIN)
        cursor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")


def test_band_key_lookup_reads_its_index_on_fresh_unanalysed_rows(cast):
    reports = _bulk_reports(cast, 300)
    words = ReportDocument.objects.get(report=reports[5]).band_keys
    sql, params = lookup_query(words)
    # On its own the planner reads the whole fresh table (0.87 s at 100k reports).
    assert "Seq Scan" in _plan(sql, params)
    plan = _plan(sql, params, **LOOKUP_SETTINGS)
    assert "Bitmap Index Scan on search_reportdocument_band_gin" in plan
    assert "Seq Scan" not in plan
    # And the lookup itself finds the report from its own text.
    text = "\n".join([reports[5].title, reports[5].situation])
    assert reports[5].pk in [s.report_id for s in similar_reports(text)]


def test_band_key_lookup_reads_its_index_whatever_the_statistics_say(cast):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {DOC_TABLE}")  # statistics of an empty table
    reports = _bulk_reports(cast, 300)
    sql, params = lookup_query(ReportDocument.objects.get(report=reports[0]).band_keys)
    plan = _plan(sql, params, **LOOKUP_SETTINGS)
    assert "Bitmap Index Scan on search_reportdocument_band_gin" in plan
    assert "Seq Scan" not in plan


def test_analyze_after_a_bulk_write_merges_the_gin_pending_lists(cast):
    _bulk_reports(cast, 200)
    assert flush_gin_pending([DOC_TABLE]) > 0
    assert flush_gin_pending([DOC_TABLE]) == 0
    _bulk_reports(cast, 100)
    assert analyze([ReportDocument]) == [DOC_TABLE]
    assert flush_gin_pending([DOC_TABLE]) == 0
    # The whole-database form (load_demo --scale) merges every GIN index's list too.
    _bulk_reports(cast, 100)
    analyze()
    assert flush_gin_pending(None) == 0


@pytest.mark.usefixtures("rum")
def test_rum_ranks_the_best_of_all_matches_beyond_the_newest_window(cast, monkeypatch):
    monkeypatch.setattr(backends, "RANK_WINDOW", 3)
    best = indexed(cast, "关于老旧小区加装电梯的建议", situation="加装电梯审批难，加装电梯费用高。")
    for i in range(5):
        indexed(cast, f"关于第{i}号道路维修的建议", situation=f"群众反映小区电梯老旧，第{i}次。")
    assert isinstance(backends.get_backend(), backends.PostgresRumBackend)
    hits = search_reports(cast.editor, "电梯", limit=2)
    # The oldest report is the best match (title and two mentions): RUM finds it.
    assert hits[0].report.pk == best.pk
    assert hits[0].score > hits[1].score
    _use_gin()
    assert not isinstance(backends.get_backend(), backends.PostgresRumBackend)
    # Without RUM only the newest 3 matches are ranked: the best one is left out.
    assert best.pk not in [h.report.pk for h in search_reports(cast.editor, "电梯", limit=2)]


@pytest.mark.usefixtures("rum")
def test_rum_ranks_a_users_few_counted_matches_at_once_without_probing(cast):
    from django.test.utils import CaptureQueriesContext

    mine = [indexed(cast, f"关于第{i}号楼加装电梯的建议", by=cast.member) for i in range(2)]
    for i in range(5):
        indexed(cast, f"关于第{i}号小区电梯维修的建议", by=cast.outsider, unit=cast.other_unit)
    with CaptureQueriesContext(connection) as probed:
        probing = search_reports(cast.member, "电梯", limit=20)
    with CaptureQueriesContext(connection) as counted:
        at_once = search_reports(cast.member, "电梯", limit=20, total=len(mine))
    assert [h.report.pk for h in at_once] == [h.report.pk for h in probing]
    assert {h.report.pk for h in at_once} == {r.pk for r in mine}
    probes = [q for q in probed.captured_queries if "LIMIT" in q["sql"] and "<=>" in q["sql"]]
    assert probes  # without a count: the index's best of all reports, then the user's
    assert not any("report_id, vector <=>" in q["sql"] for q in counted.captured_queries)


@pytest.mark.usefixtures("rum")
def test_rum_and_gin_find_the_same_phrase_matches(cast):
    adjacent = indexed(cast, "关于加装电梯审批难的建议")
    indexed(cast, "关于电梯维修与加装扶手的建议", situation="审批流程长。")
    rum = [h.report.pk for h in search_reports(cast.editor, '"加装电梯"')]
    _use_gin()
    gin = [h.report.pk for h in search_reports(cast.editor, '"加装电梯"')]
    assert rum == gin == [adjacent.pk]


@pytest.mark.usefixtures("rum")
def test_rum_search_keeps_the_access_rules(cast):
    draft = indexed(cast, "关于加装电梯资金的建议", state="draft")
    sent = indexed(cast, "关于加装电梯审批的建议")
    # The editor does not see another member's draft; the member sees both of theirs.
    assert [h.report.pk for h in search_reports(cast.editor, "电梯")] == [sent.pk]
    assert {h.report.pk for h in search_reports(cast.member, "电梯")} == {draft.pk, sent.pk}


@pytest.mark.usefixtures("rum")
def test_rum_ranking_reads_matches_in_order_from_the_index(cast):
    _bulk_reports(cast, 300)
    match = "'电梯'"
    plan = _plan(postgres.PG_RUM_BEST, [match, match, match, 80], **postgres.RUM_SETTINGS)
    # Ordered by the index itself: no bitmap of all matches, no sort reading their vectors.
    assert "Index Scan using search_reportdocument_vector_rum" in plan
    assert "Order By" in plan
    assert "Sort" not in plan.replace("Order By", "")


def test_the_index_consumer_leaves_a_bulk_batch_with_nothing_pending(cast):
    from minyi.audit.models import Event
    from minyi.search.indexing import BULK_BATCH, index_events

    def reports(n: int) -> list[Report]:
        return Report.objects.bulk_create(
            Report(title=f"关于第{i}号路灯不亮的建议", created_by=cast.member, revision_number=1)
            for i in range(n)
        )

    # A trickle (one report saved) leaves its entries pending, as GIN is meant to.
    index_events([Event(report_id=r.pk) for r in reports(3)])
    assert flush_gin_pending([DOC_TABLE]) > 0
    # A catch-up batch (an import being indexed) merges them before the next lookup.
    index_events([Event(report_id=r.pk) for r in reports(BULK_BATCH)])
    assert flush_gin_pending([DOC_TABLE]) == 0
