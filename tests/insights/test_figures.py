"""Each dashboard figure's numbers on a small known history (see helpers.py)."""

from __future__ import annotations

import pytest

from minyi.insights import stats
from minyi.reports.access import visible_reports
from tests.factories import Cast
from tests.insights.helpers import YEAR, History, figure_rows, figure_sheet, make_history


@pytest.fixture
def history(cast: Cast) -> History:
    return make_history(cast)


@pytest.fixture
def office(client_for, cast: Cast, history: History):
    return client_for(cast.editor)


def test_it_counts_the_funnel_with_distinct_reports(office) -> None:
    # r1 was adopted twice but counts once.
    assert figure_rows(office, "funnel") == [
        ["报送", 4, "100.0%"],
        ["受理", 3, "75.0%"],
        ["编发（含直报）", 3, "75.0%"],
        ["采用", 1, "25.0%"],
        ["获领导批示", 1, "25.0%"],
    ]


def test_it_counts_only_what_a_leader_may_see(client_for, cast: Cast, history: History) -> None:
    # Leaders see what has gone out, so the waiting r4 is not in their funnel.
    rows = figure_rows(client_for(cast.leader), "funnel")
    assert [row[1] for row in rows] == [3, 3, 3, 1, 1]


def test_it_counts_reports_per_month_by_state(office) -> None:
    title, rows = figure_sheet(office, "per-month")
    assert title == "各月报送量（按状态）"
    assert rows[0] == ["月份", "已报送", "已编发", "已直报", "合计"]
    by_month = {row[0]: row[1:] for row in rows[1:]}
    assert len(by_month) == 12
    assert by_month[f"{YEAR}-03"] == [0, 2, 0, 2]
    assert by_month[f"{YEAR}-04"] == [0, 0, 1, 1]
    assert by_month[f"{YEAR}-05"] == [1, 0, 0, 1]
    assert by_month[f"{YEAR}-01"] == [0, 0, 0, 0]


def test_it_counts_by_unit_sector_and_first_level_category(office) -> None:
    assert figure_rows(office, "by-unit") == [["民盟市委", 3, 3, 1], ["九三学社市委", 1, 0, 0]]
    assert figure_rows(office, "by-sector") == [["经济界", 3, 3, 1], ["教育界", 1, 0, 0]]
    # 养老服务 counts under its parent 民生保障.
    assert figure_rows(office, "by-category") == [["民生保障", 3, 3, 1], ["经济发展", 1, 0, 0]]


def test_it_shows_the_fast_track_faster_than_routine(office) -> None:
    title, rows = figure_sheet(office, "time-to-publication")
    assert rows[0] == ["紧急程度", "篇数", "中位数（天）", "平均（天）"]
    by_urgency = {row[0]: row[1:] for row in rows[1:]}
    assert by_urgency["全部"] == [3, 8, 6.3]
    assert by_urgency["常规"] == [2, 9, 9]
    assert by_urgency["急报"] == [1, 1, 1]
    assert by_urgency["特报"] == [0, None, None]
    assert by_urgency["急报"][1] < by_urgency["常规"][1]


def test_it_measures_forwarding_to_adoption_per_recipient(office) -> None:
    assert figure_rows(office, "time-to-adoption") == [
        ["全国政协", 2, 1, "50.0%", 7, 7],
        ["市委", 2, 1, "50.0%", 3, 3],
    ]


def test_it_narrows_by_unit(office, cast: Cast) -> None:
    rows = figure_rows(office, "funnel", unit=cast.other_unit.pk)
    assert [row[1] for row in rows] == [1, 0, 0, 0, 0]
    assert figure_rows(office, "by-unit", unit=cast.other_unit.pk) == [["九三学社市委", 1, 0, 0]]


def test_it_narrows_by_first_level_category_including_children(
    office, cast: Cast, history: History
) -> None:
    parent = cast.category.parent
    assert [r[1] for r in figure_rows(office, "funnel", category=parent.pk)] == [3, 3, 3, 1, 1]
    other = figure_rows(office, "funnel", category=history.other_category.pk)
    assert [r[1] for r in other] == [1, 0, 0, 0, 0]


def test_it_narrows_by_year(office) -> None:
    assert [r[1] for r in figure_rows(office, "funnel", year=YEAR - 1)] == [0, 0, 0, 0, 0]
    assert figure_rows(office, "time-to-adoption", year=YEAR - 1) == []
    # An empty year still shows all its months, at zero.
    months = figure_rows(office, "per-month", year=YEAR - 1)
    assert len(months) == 12 and all(row[-1] == 0 for row in months)


def test_it_writes_the_same_rows_and_headers_as_the_figures(office, cast: Cast) -> None:
    filters = stats.Filters(year=YEAR)
    for slug, build in stats.FIGURES.items():
        figure = build(filters, visible_reports(cast.editor))
        title, rows = figure_sheet(office, slug)
        assert rows[0] == figure.headers
        assert rows[1:] == figure.rows
        assert title == figure.title


def test_it_refuses_an_unknown_figure(office) -> None:
    assert office.get("/insights/figures/nonsense.xlsx").status_code == 404


def test_a_funnel_over_one_hundred_percent_says_why() -> None:
    from minyi.insights.stats import funnel_figure

    counts = {"submitted": 144, "accepted": 156, "published": 156, "adopted": 40, "instructed": 3}
    figure = funnel_figure(counts)
    assert figure.rows[1][2].startswith("108")  # composites the reader sees, sources he doesn't
    assert "综合稿" in figure.note and "100%" in figure.note
    plain = funnel_figure({**counts, "accepted": 120, "published": 100})
    assert not plain.note
