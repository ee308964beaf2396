"""A mistyped filter on the dashboard: only it is dropped, the page says so, no file pretends.

The history has four reports in 2025; one more is written this year, so figures that
silently dropped the year filter would count five.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from tests.factories import Cast, make_report
from tests.insights.helpers import YEAR, make_history, xlsx_url

URL = reverse("insights:dashboard")
FOUR = '<td data-label="稿件数" class="num">4</td>'
FIVE = '<td data-label="稿件数" class="num">5</td>'
ALERT = "以下条件有误，未用于筛选："


@pytest.fixture
def office(cast: Cast, client_for):
    make_history(cast)
    make_report(cast, state="submitted", title="今年的新信息")
    return client_for(cast.editor)


@pytest.mark.parametrize(
    ("query", "dropped"),
    [
        ({"unit": "999999"}, "报送单位"),
        ({"since": "abc"}, "报送日期自"),
        ({"category": "abc"}, "类别"),
        ({"sector": "abc", "until": "9999-12-31"}, "至、界别（第一反映人）"),
        ({"since": f"{YEAR}-12-01", "until": f"{YEAR}-01-01"}, "报送日期自、至"),
    ],
    ids=str,
)
def test_it_drops_only_the_invalid_filters_and_names_them(office, query, dropped) -> None:
    response = office.get(URL, {"year": YEAR, **query})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{ALERT}{dropped}。" in html
    # The year still applies: 2025's four reports, not every year's five.
    assert FOUR in html and FIVE not in html
    assert f'<option value="{YEAR}" selected>' in html
    # The downloads carry what the figures show: the year, not the dropped filters.
    assert f"/insights/figures/by-unit.xlsx?year={YEAR}&amp;quarter=&amp;since=&amp;" in html


def test_it_keeps_a_valid_unit_beside_an_invalid_date(office, cast: Cast) -> None:
    html = office.get(URL, {"year": YEAR, "unit": cast.other_unit.pk, "since": "abc"}).content
    html = html.decode()
    assert f"{ALERT}报送日期自。" in html
    assert '<td data-label="报送单位">九三学社市委</td>' in html
    assert '<td data-label="报送单位">民盟市委</td>' not in html


def test_it_shows_no_alert_when_every_filter_is_valid(office, cast: Cast) -> None:
    html = office.get(URL, {"year": YEAR, "unit": cast.other_unit.pk}).content.decode()
    assert ALERT not in html
    assert ALERT not in office.get(URL).content.decode()


@pytest.mark.parametrize(
    "query",
    [{"unit": "999999"}, {"since": "abc"}, {"category": "abc"}, {"quarter": "9"}],
    ids=str,
)
@pytest.mark.parametrize("who", ["leader", "editor"])
def test_its_download_refuses_an_invalid_filter(cast: Cast, client_for, who, query) -> None:
    make_history(cast)
    response = client_for(getattr(cast, who)).get(xlsx_url("by-unit"), {"year": YEAR, **query})
    assert response.status_code == 400
    assert not response.get("Content-Disposition")
    html = response.content.decode()
    assert "筛选条件有误，未导出：" in html
    assert "的选项无效，请重新选择。" in html or "日期格式不对" in html
    assert f"{URL}?year={YEAR}&amp;" in html  # back to the page, which shows the field errors
    assert not Event.objects.filter(verb="export").exists()


def test_its_download_refuses_dates_in_the_wrong_order(cast: Cast, client_for) -> None:
    query = {"since": f"{YEAR}-12-01", "until": f"{YEAR}-01-01"}
    response = client_for(cast.leader).get(xlsx_url("funnel"), query)
    assert response.status_code == 400
    assert "起始日期不能晚于截止日期。" in response.content.decode()


def test_its_download_still_serves_valid_filters(cast: Cast, client_for) -> None:
    make_history(cast)
    response = client_for(cast.leader).get(xlsx_url("by-unit"), {"year": YEAR, "unit": ""})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
