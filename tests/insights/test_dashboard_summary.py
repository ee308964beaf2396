"""The dashboard's summary on top, its new filters (quarter, date range, sector) and its
horizontal unit and sector charts, on the known history (see helpers.py)."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from tests.factories import Cast
from tests.insights.helpers import YEAR, History, figure_rows, make_history

pytestmark = pytest.mark.django_db
URL = reverse("insights:dashboard")


@pytest.fixture
def history(cast: Cast) -> History:
    return make_history(cast)


@pytest.fixture
def office(client_for, cast: Cast, history: History):
    return client_for(cast.editor)


def tiles(html: str) -> dict[str, str]:
    found = re.findall(
        r'<span class="tile-label">([^<]+)</span><strong class="tile-value">([^<]+)</strong>', html
    )
    return dict(found)


def test_it_sums_up_the_year_on_top(office) -> None:
    summary = tiles(office.get(URL, {"year": YEAR}).text)
    assert summary[f"{YEAR}年报送"] == "4"
    # One adopted of three gone out; r1 had a 批示; days to going out 10, 8 and 1.
    assert summary["采用率"] == "33.3%"
    assert summary["领导批示"] == "1"
    assert summary["报送到编发用时中位数"] == "8.0 天"
    assert summary["当前超期"].isdigit()


def test_it_narrows_by_quarter_date_range_and_sector(office, cast: Cast) -> None:
    # 2025 Q2: r3 (04-01) and r4 (05-06).
    assert figure_rows(office, "funnel", quarter=2)[0][1] == 2
    assert tiles(office.get(URL, {"year": YEAR, "quarter": 2}).text)[f"{YEAR}年第2季度报送"] == "2"
    # 03-04 to 03-31: r2 only.
    rows = figure_rows(office, "funnel", year="", since=f"{YEAR}-03-04", until=f"{YEAR}-03-31")
    assert rows[0][1] == 1
    sector = cast.outsider.member.sector
    assert figure_rows(office, "by-sector", sector=sector.pk) == [["教育界", 1, 0, 0]]


def test_it_says_what_is_wrong_with_a_bad_filter_in_chinese(office) -> None:
    response = office.get(URL, {"year": "", "quarter": 2})
    assert response.status_code == 200
    assert "按季度查看时请同时选择年度。" in response.text
    response = office.get(URL, {"since": f"{YEAR}-05-01", "until": f"{YEAR}-04-01"})
    assert "起始日期不能晚于截止日期。" in response.text
    assert "年度的选项无效" in office.get(URL, {"year": "abc"}).text
    assert "日期格式不对" in office.get(URL, {"since": "昨天"}).text


def test_it_draws_units_and_sectors_as_horizontal_bars_with_every_label(office) -> None:
    html = office.get(URL, {"year": YEAR}).text
    for slug in ("by-unit", "by-sector", "by-category"):
        data = re.search(
            rf'<script id="figure-data-{slug}" type="application/json">(.*?)</script>', html
        )
        assert json.loads(data[1])["chart"] == "hbar", slug
    assert "wide-figure" in html


def test_the_leader_sees_the_summary_of_what_they_may_see(client_for, cast: Cast, history) -> None:
    summary = tiles(client_for(cast.leader).get(URL, {"year": YEAR}).text)
    assert summary[f"{YEAR}年报送"] == "3"


def test_members_and_liaisons_get_no_dashboard(client_for, cast: Cast, history) -> None:
    for who in (cast.member, cast.liaison):
        assert client_for(who).get(URL, {"year": YEAR}).status_code == 403
