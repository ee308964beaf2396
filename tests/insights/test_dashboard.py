"""The dashboard page: who may open it, what it carries, and its fixed query cost."""

from __future__ import annotations

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from minyi.core import clock
from tests.factories import Cast, make_report, publish, settle
from tests.insights.helpers import YEAR, make_history, xlsx_url

URL = reverse("insights:dashboard")


@pytest.mark.parametrize("who", ["leader", "editor", "approver"])
def test_it_opens_the_dashboard_for_leaders_and_the_office(cast: Cast, client_for, who) -> None:
    response = client_for(getattr(cast, who)).get(URL)
    assert response.status_code == 200
    assert "统计分析" in response.content.decode()


@pytest.mark.parametrize("who", ["member", "officer", "liaison", "outsider"])
def test_it_refuses_the_dashboard_to_members_and_liaisons(cast: Cast, client_for, who) -> None:
    client = client_for(getattr(cast, who))
    assert client.get(URL).status_code == 403
    assert client.get(xlsx_url("funnel")).status_code == 403


def test_it_opens_the_xlsx_for_the_office_but_not_for_a_member(cast: Cast, client_for) -> None:
    response = client_for(cast.approver).get(xlsx_url("by-unit"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert client_for(cast.member).get(xlsx_url("by-unit")).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_it_carries_chart_data_tables_and_the_vendored_echarts(cast: Cast, client_for) -> None:
    make_history(cast)
    html = client_for(cast.editor).get(URL, {"year": YEAR}).content.decode()
    assert "/static/vendor/echarts.min.js" in html
    assert "/static/insights/dashboard.js" in html
    for slug in ("per-month", "funnel", "by-unit", "by-sector", "by-category"):
        assert f'<script id="figure-data-{slug}" type="application/json">' in html
        assert f"/insights/figures/{slug}.xlsx?year={YEAR}" in html
    assert '<script id="figure-data-time-to-adoption" type="application/json">' in html
    # The tables work without JavaScript: open by default, with the numbers in them.
    assert "<details open" in html and "<summary>表格</summary>" in html
    assert '<td data-label="报送单位">民盟市委</td>' in html
    assert "获领导批示" in html


def test_it_defaults_to_the_current_year(cast: Cast, client_for) -> None:
    make_history(cast)
    make_report(cast, state="submitted", title="今年的新信息")
    client = client_for(cast.editor)
    html = client.get(URL).content.decode()
    this_year = clock.localdate().year
    assert f'<option value="{this_year}" selected>' in html
    # Only this year's one report, not the four from the history.
    assert '<td data-label="稿件数" class="num">1</td>' in html
    assert '<td data-label="稿件数" class="num">4</td>' not in html
    everything = client.get(URL, {"year": ""}).content.decode()
    assert '<td data-label="稿件数" class="num">5</td>' in everything


def test_it_keeps_a_fixed_number_of_queries(
    cast: Cast, client_for, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_history(cast)
    client = client_for(cast.editor)
    client.get(URL, {"year": YEAR})  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"year": YEAR})
    more = [make_report(cast, state="signed_off") for _ in range(6)]
    publish(cast, more)
    settle()  # the nudges after commit: the page then reads caught-up fact rows
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert response.status_code == 200
    # 23 before the fact table; its catch-up check (the cursor, the log's head) and the
    # recipients' names read apart from the forwardings' counts add three; over a whole
    # period the units', members' sectors and categories' names read apart add three more.
    assert len(few.captured_queries) <= 29


def test_it_names_the_sheet_in_chinese_with_a_bold_header(cast: Cast, client_for) -> None:
    import io

    response = client_for(cast.editor).get(xlsx_url("time-to-publication"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "从报送到编发的用时（天）"
    assert sheet["A1"].value == "紧急程度" and sheet["A1"].font.b
    assert sheet.column_dimensions["A"].width >= 10


EXTREME_DATES = [{"until": "9999-12-31"}, {"since": "0001-01-01"}]


@pytest.mark.parametrize("who", ["leader", "editor"])
@pytest.mark.parametrize("query", EXTREME_DATES, ids=str)
def test_it_answers_a_date_beyond_the_range_with_a_field_error(
    cast: Cast, client_for, who, query
) -> None:
    response = client_for(getattr(cast, who)).get(URL, query)
    assert response.status_code == 200
    assert "日期超出可选范围（2000年—2100年）" in response.content.decode()


@pytest.mark.parametrize("slug", ["per-month", "by-unit"])
@pytest.mark.parametrize("query", EXTREME_DATES, ids=str)
def test_its_xlsx_refuses_a_date_beyond_the_range_without_an_error(
    cast: Cast, client_for, slug, query
) -> None:
    # No 500, and no file that covers every date while named as filtered.
    response = client_for(cast.leader).get(xlsx_url(slug), query)
    assert response.status_code == 400
    assert "日期超出可选范围（2000年—2100年）" in response.content.decode()
