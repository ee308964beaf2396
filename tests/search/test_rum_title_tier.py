"""PostgreSQL with RUM: broad queries are ranked from the title tier first.

RUM scores every match before it returns one, so a word in a great many reports is
ranked from a second RUM index holding only the words of each report's title (with all
their positions). These tests lower ``TIER_FROM`` so that a handful of reports count as
broad, and compare with the whole index's ranking on the same rows.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minyi.search import backends, postgres, search_reports
from minyi.search.rum import TIER_INDEX, rum_indexes
from tests.search.helpers import indexed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="RUM is a PostgreSQL index"),
]


@pytest.fixture(autouse=True)
def rum() -> None:
    if not rum_indexes()[0]:
        pytest.skip("the rum extension is not installed (scripts/ensure-postgres-rum.sh)")


def _ids(user, q: str, **kw) -> list[int]:
    return [h.report.pk for h in search_reports(user, q, **kw)]


def _tier_probes(queries) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if "search_title_tier(vector) <=>" in q["sql"]
    ]


def _mixed_reports(cast) -> dict[str, object]:
    """Reports holding 电梯 in the title once or twice, or in the body only, often."""
    body_only = [
        indexed(
            cast, f"关于第{i}号小区物业管理的建议", situation="电梯坏了，电梯停了，电梯没人修。"
        )
        for i in range(4)
    ]
    once = indexed(cast, "关于加装电梯的建议")
    once_more_body = indexed(cast, "关于电梯维保的建议", situation="电梯维保不到位，电梯常停。")
    twice = indexed(cast, "关于电梯审批与电梯资金的建议")
    return {"body_only": body_only, "once": once, "once_more_body": once_more_body, "twice": twice}


def test_a_word_in_the_title_ranks_above_any_number_of_mentions_in_the_body(cast):
    reports = _mixed_reports(cast)
    everything = _ids(cast.editor, "电梯")
    # The whole index's own order: the three title reports first, whatever the body says.
    title_ids = {reports["once"].pk, reports["once_more_body"].pk, reports["twice"].pk}
    assert set(everything[:3]) == title_ids
    assert set(everything[3:]) == {r.pk for r in reports["body_only"]}


def test_a_broad_word_served_from_the_title_tier_keeps_the_whole_index_order(cast, monkeypatch):
    _mixed_reports(cast)
    whole = _ids(cast.editor, "电梯", limit=3)
    monkeypatch.setattr(postgres, "TIER_FROM", 0)
    with CaptureQueriesContext(connection) as queries:
        hits = search_reports(cast.editor, "电梯", limit=3)
    assert _tier_probes(queries), "a broad word is looked up in the title tier first"
    assert not any("ORDER BY vector <=>" in q["sql"] for q in queries.captured_queries)
    assert [h.report.pk for h in hits] == whole
    # The scores are the whole vector's: the tier keeps the word's body positions.
    whole_scores = [h.score for h in search_reports(cast.editor, "电梯", limit=3)]
    assert [h.score for h in hits] == pytest.approx(whole_scores)


def test_a_title_tier_too_small_for_the_page_falls_back_to_every_match(cast, monkeypatch):
    reports = _mixed_reports(cast)
    whole = _ids(cast.editor, "电梯", limit=5)
    monkeypatch.setattr(postgres, "TIER_FROM", 0)
    with CaptureQueriesContext(connection) as queries:
        tiered = _ids(cast.editor, "电梯", limit=5)
    assert _tier_probes(queries)
    assert any("ORDER BY vector <=>" in q["sql"] for q in queries.captured_queries)
    assert tiered == whole
    assert set(tiered) & {r.pk for r in reports["body_only"]}


def test_a_later_page_of_a_broad_word_is_the_same_as_the_whole_index_gives(cast, monkeypatch):
    _mixed_reports(cast)
    whole = _ids(cast.editor, "电梯", limit=2, offset=1)
    monkeypatch.setattr(postgres, "TIER_FROM", 0)
    assert _ids(cast.editor, "电梯", limit=2, offset=1) == whole


def test_the_title_tier_keeps_the_access_rules(cast, monkeypatch):
    monkeypatch.setattr(postgres, "TIER_FROM", 0)
    mine = indexed(cast, "关于电梯噪音的建议", state="draft")
    others = indexed(
        cast, "关于电梯加装的建议", state="draft", by=cast.outsider, unit=cast.other_unit
    )
    sent = indexed(cast, "关于电梯资金的建议")
    assert set(_ids(cast.member, "电梯")) == {mine.pk, sent.pk}
    assert others.pk not in _ids(cast.editor, "电梯")


def _phrase_reports(cast, *, in_title: int) -> tuple[list, list]:
    """Three reports with "加装电梯" three times in the body; ``in_title`` with it in the title."""
    body = [
        indexed(cast, f"关于第{i}号楼的建议", situation="加装电梯难，加装电梯贵，加装电梯慢。")
        for i in range(3)
    ]
    return body, [indexed(cast, f"关于第{i}号楼加装电梯的建议") for i in range(in_title)]


def test_a_phrase_of_broad_words_puts_title_matches_first(cast, monkeypatch):
    monkeypatch.setattr(postgres, "TIER_FROM", 0)
    in_body, in_title = _phrase_reports(cast, in_title=2)
    hits = _ids(cast.editor, '"加装电梯"', limit=2)
    assert set(hits) == {r.pk for r in in_title}
    assert set(_ids(cast.editor, '"加装电梯"')) == {r.pk for r in in_title + in_body}


def test_pages_of_a_phrase_follow_one_order_tier_first_without_repeats(cast, monkeypatch):
    monkeypatch.setattr(postgres, "TIER_FROM", 0)
    in_body, in_title = _phrase_reports(cast, in_title=3)
    pages = [_ids(cast.editor, '"加装电梯"', limit=2, offset=offset) for offset in (0, 2, 4)]
    listed = [pk for page in pages for pk in page]
    assert len(listed) == len(set(listed)) == 6
    # The whole tier first (its third report opens the second page), then the rest.
    assert set(listed[:3]) == {r.pk for r in in_title}
    assert set(listed[3:]) == {r.pk for r in in_body}


def test_a_narrow_query_never_reads_the_title_tier(cast):
    _mixed_reports(cast)
    with CaptureQueriesContext(connection) as queries:
        _ids(cast.editor, "电梯")
    assert not _tier_probes(queries)


def test_the_title_tier_holds_the_title_words_with_all_their_positions(cast):
    report = indexed(cast, "关于电梯维保的建议", situation="电梯维保不到位，群众意见大。")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vector::text, search_title_tier(vector)::text, ts_filter(vector, '{a}')::text"
            " FROM search_reportdocument WHERE report_id = %s",
            [report.pk],
        )
        vector, tier, title = cursor.fetchone()
    tier_words = {w.split(":")[0] for w in tier.split(" ")}
    assert tier_words == {w.split(":")[0] for w in title.split(" ")}
    assert "'群众'" in vector and "'群众'" not in tier
    # 电梯 keeps its body position (weight B) beside its title one (A).
    entry = next(w for w in tier.split(" ") if w.startswith("'电梯'"))
    assert "A" in entry and "B" in entry


def test_the_title_tier_is_read_in_order_from_its_own_index(cast):
    for i in range(30):
        indexed(cast, f"关于第{i}号小区电梯的建议")
    with postgres.planner_settings(**postgres.RUM_SETTINGS) as cursor:
        cursor.execute("EXPLAIN " + postgres.PG_TIER_BEST, ["'电梯'", "'电梯'", "'电梯'", 80])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Index Scan using {TIER_INDEX}" in plan
    assert "Sort" not in plan.replace("Order By", "")


def test_a_database_without_the_title_tier_ranks_from_the_whole_index(cast, monkeypatch):
    reports = _mixed_reports(cast)
    monkeypatch.setattr(postgres, "TIER_FROM", 0)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred checks block DDL
        cursor.execute(f"DROP INDEX {TIER_INDEX}")
    assert rum_indexes() == (True, False)
    backend = backends.get_backend()
    assert isinstance(backend, postgres.PostgresRumBackend) and not backend.tier
    with CaptureQueriesContext(connection) as queries:
        hits = _ids(cast.editor, "电梯", limit=3)
    assert not _tier_probes(queries)
    assert set(hits) == {reports["once"].pk, reports["once_more_body"].pk, reports["twice"].pk}
