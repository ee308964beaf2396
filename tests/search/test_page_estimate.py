"""The search page estimates a very large number of matches instead of counting them.

Counting reads every match: at 1M reports half a second for a common word. Past
``ESTIMATE_FROM`` estimated matches (PostgreSQL) the page says "约 N 篇" and lists the best
``LISTED_AT_MOST``. These tests lower both so that a handful of reports are "many".
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from minyi.core.dbstats import analyze
from minyi.reports.models import Report
from minyi.search import Count, backends, count_for_page, count_reports
from minyi.search.models import ReportDocument
from minyi.search.views import about
from tests.search.helpers import indexed

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no estimate of a full-text match"
)


def _elevator_reports(cast, n: int) -> list:
    reports = [indexed(cast, f"关于第{i}号楼加装电梯的建议") for i in range(n)]
    analyze([Report, ReportDocument])  # statistics, so that the estimate is of these rows
    return reports


def test_large_estimates_read_as_people_say_them():
    assert about(316_333) == "31.6 万"
    assert about(20_000) == "2 万"
    assert about(25_400) == "2.5 万"
    assert about(123_456_789) == "1.2 亿"
    assert about(9_999) == "9,999"


def test_a_page_counts_exactly_while_the_estimate_is_small(cast):
    _elevator_reports(cast, 3)
    counted = count_for_page(cast.editor, "电梯")
    assert (counted.n, counted.approximate) == (3, False)


@postgres_only
def test_past_the_threshold_a_page_gives_the_planners_estimate(cast, monkeypatch):
    _elevator_reports(cast, 3)
    monkeypatch.setattr(backends, "ESTIMATE_FROM", 0)
    counted = count_for_page(cast.editor, "电梯")
    assert counted.approximate
    assert counted.n == pytest.approx(3, abs=1)
    # The exact count is still there for whoever needs it.
    assert count_reports(cast.editor, "电梯") == 3


@postgres_only
def test_several_words_and_phrases_are_always_counted(cast, monkeypatch):
    _elevator_reports(cast, 3)
    monkeypatch.setattr(backends, "ESTIMATE_FROM", 0)
    for query in ("加装 电梯", '"加装电梯"'):
        counted = count_for_page(cast.editor, query)
        assert (counted.n, counted.approximate) == (3, False), query


@postgres_only
def test_the_page_says_about_how_many_and_lists_only_the_best(cast, client_for, monkeypatch):
    reports = _elevator_reports(cast, 5)
    monkeypatch.setattr(backends, "ESTIMATE_FROM", 0)
    monkeypatch.setattr("minyi.search.views.LISTED_AT_MOST", 3)
    monkeypatch.setattr("minyi.search.views.PER_PAGE", 2)
    client = client_for(cast.editor)
    response = client.get(reverse("search:results"), {"q": "电梯"})
    content = response.content.decode()
    assert "约 " in content and "按相关度列出前 3 篇" in content
    assert "共找到" not in content
    assert "第 1 / 2 页，列出前 3 篇" in content
    second = client.get(reverse("search:results"), {"q": "电梯", "page": 2})
    listed = [h.report.pk for h in response.context["page"]] + [
        h.report.pk for h in second.context["page"]
    ]
    assert len(listed) == 3 and set(listed) <= {r.pk for r in reports}


@postgres_only
def test_an_estimate_keeps_the_access_rules(cast, client_for, monkeypatch):
    monkeypatch.setattr(backends, "ESTIMATE_FROM", 0)
    indexed(cast, "关于加装电梯的建议", state="draft", by=cast.outsider, unit=cast.other_unit)
    mine = indexed(cast, "关于电梯维保的建议")
    response = client_for(cast.member).get(reverse("search:results"), {"q": "电梯"})
    assert [h.report.pk for h in response.context["page"]] == [mine.pk]


def test_sqlite_always_counts(cast, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    _elevator_reports(cast, 2)
    monkeypatch.setattr(backends, "ESTIMATE_FROM", 0)
    counted = count_for_page(cast.editor, "电梯")
    assert (counted.n, counted.approximate) == (2, False)


def test_a_page_past_the_last_real_result_of_an_estimate_says_so(cast, client_for, monkeypatch):
    # An estimate above what the user may see (the planner's guess of the access filter):
    # the listed pages run out before the paginator's last page.
    _elevator_reports(cast, 2)
    monkeypatch.setattr(
        "minyi.search.views.count_for_page", lambda *a, **kw: Count(50_000, approximate=True)
    )
    client = client_for(cast.editor)
    first = client.get(reverse("search:results"), {"q": "电梯"})
    assert "约 5 万篇信息符合条件" in first.content.decode()
    assert len(first.context["page"]) == 2
    later = client.get(reverse("search:results"), {"q": "电梯", "page": 3})
    content = later.content.decode()
    assert "这一页之后没有更多结果了" in content
    assert "没有找到符合条件的信息" not in content
