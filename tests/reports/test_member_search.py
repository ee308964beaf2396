"""With more members than a list can hold, the report form searches them instead."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minyi.reports import forms as report_forms
from minyi.reports.models import Report
from tests.factories import make_member
from tests.reports.test_member_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def searched(monkeypatch):
    """Two members are already "too many": the form takes its search fields."""
    monkeypatch.setattr(report_forms, "MEMBER_SELECT_MAX", 2)


def test_the_office_form_searches_members_instead_of_listing_them(cast, client_for, searched):
    html = client_for(cast.editor).get(reverse("reports:new")).content.decode()
    assert 'list="id_lead-options"' in html and 'data-append-to="id_cosigners"' in html
    assert reverse("reports:member_search") in html
    assert "张明" not in html  # no member is listed
    assert "<script" not in html.split("<main", 1)[1]  # CSP: the picker's code is minyi.js


def test_the_search_suggests_members_the_user_may_credit(cast, client_for):
    client = client_for(cast.member)
    html = client.get(reverse("reports:member_search"), {"lead": "张"}).content.decode()
    assert f'value="张明（经济界） #{cast.member.member_id}"' in html
    # 周外 belongs to the other unit: a member may not credit them.
    assert "周外" not in client.get(reverse("reports:member_search"), {"q": "周"}).content.decode()
    office = client_for(cast.editor).get(reverse("reports:member_search"), {"q": "周"})
    assert "周外" in office.content.decode()


def test_a_leader_may_not_search_members(cast, client_for):
    assert client_for(cast.leader).get(reverse("reports:member_search")).status_code == 403


def test_typed_names_and_picked_members_are_credited_in_order(cast, client_for, searched):
    lead = f"周外（经济界） #{cast.outsider.member_id}"
    data = form_data(cast, lead=lead, cosigners="李华\n张明（经济界）、李华")
    response = client_for(cast.editor).post(reverse("reports:new"), data)
    assert response.status_code == 302
    report = Report.objects.get()
    names = [ra.member.name for ra in report.report_authors.order_by("position")]
    assert names == ["周外", "李华", "张明"]


def test_the_edit_form_shows_the_authors_as_picked(cast, client_for, searched):
    data = form_data(cast, lead="张明", cosigners="李华")
    client = client_for(cast.editor)
    client.post(reverse("reports:new"), data)
    report = Report.objects.get()
    html = client.get(reverse("reports:edit", args=[report.pk])).content.decode()
    assert f'value="张明（经济界） #{cast.member.member_id}"' in html
    assert f"李华（经济界） #{cast.officer.member_id}</textarea>" in html


def test_unknown_ambiguous_and_foreign_members_are_refused_in_chinese(cast, client_for, searched):
    make_member("张明", cast.unit)  # a second 张明 of the same sector
    data = form_data(cast, lead="张明", cosigners="王五\n#999999")
    response = client_for(cast.liaison).post(reverse("reports:new"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "有 2 位委员名为“张明”" in errors["lead"][0]
    assert errors["cosigners"] == [
        "没有找到委员“王五”，请输入姓名后从列表中选择。",
        "没有找到委员“#999999”，请从列表中选择。",
    ]
    # 周外 is of another unit: the liaison may not credit them, even by id.
    data = form_data(cast, lead=f"#{cast.outsider.member_id}")
    response = client_for(cast.liaison).post(reverse("reports:new"), data)
    assert "没有找到委员" in response.context["form"].errors["lead"][0]
    assert not Report.objects.exists()


def test_a_members_form_with_few_members_keeps_its_lists(cast, client_for):
    html = client_for(cast.member).get(reverse("reports:new")).content.decode()
    assert '<select name="lead"' in html and "张明（经济界）" in html


def test_the_office_form_costs_the_same_queries_with_many_more_members(
    cast, client_for, searched, django_assert_num_queries
):
    client = client_for(cast.editor)
    client.get(reverse("reports:new"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:new"))
    for n in range(40):
        make_member(f"委员{n}", cast.unit)
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("reports:new"))
    assert "委员39" not in response.content.decode()
