"""届次与换届 and 特约信息员聘任 at scale: a fixed query count, 100 appointments a page.

Both pages list members (every serving member to keep on, every active member to appoint),
so they are counted with few and with four times as many members and appointments.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minyi.desk.views_people import PAGE_SIZE
from minyi.people.models import Member, Term
from minyi.people.terms import OfficerAppointment, TermMembership
from tests.scoring.helpers import make_admin

pytestmark = pytest.mark.django_db


def _add_members(term: Term, count: int, start: int) -> None:
    members = Member.objects.bulk_create(
        Member(name=f"委员{start + i:04d}", term=term) for i in range(count)
    )
    TermMembership.objects.bulk_create(
        TermMembership(term=term, member=m, joined_on=dt.date(2022, 1, 1)) for m in members
    )
    OfficerAppointment.objects.bulk_create(
        OfficerAppointment(member=m, appointed_on=dt.date(2023, 3, 1), letter_number=f"文{m.pk}")
        for m in members
    )


def _count(client, url: str) -> tuple[int, str]:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("name", ["members:terms", "members:officers"])
def test_the_member_pages_cost_as_many_queries_with_four_times_the_members(cast, client_for, name):
    term = Term.objects.create(name="第十四届", start_year=2022, end_year=2026, current=True)
    client = client_for(make_admin())
    _add_members(term, 3, 0)
    small, _ = _count(client, reverse(name))
    _add_members(term, 9, 100)
    large, html = _count(client, reverse(name))
    assert small == large
    assert "委员0108" in html  # every member offered: to keep on, or to appoint


def test_the_terms_page_counts_serving_and_left_per_term(cast, client_for):
    old = Term.objects.create(name="第十三届", start_year=2017, end_year=2021)
    term = Term.objects.create(name="第十四届", start_year=2022, end_year=2026, current=True)
    _add_members(term, 3, 0)
    _add_members(old, 2, 10)
    TermMembership.objects.filter(term=old).update(left_on=dt.date(2021, 12, 31))
    html = client_for(make_admin()).get(reverse("members:terms")).content.decode()
    rows = html.split('data-label="届次">')[1:]
    assert '在任">3<' in rows[0] and '已离任">0<' in rows[0] and "第十四届" in rows[0]
    assert '在任">0<' in rows[1] and '已离任">2<' in rows[1] and "第十三届" in rows[1]
    assert html.count('name="continuing"') == 3  # the serving members, each a box, all ticked
    assert html.count('name="continuing" value=') == html.count(" checked")


def test_appointments_are_shown_a_hundred_a_page(cast, client_for):
    term = Term.objects.create(name="第十四届", start_year=2022, end_year=2026, current=True)
    _add_members(term, PAGE_SIZE + 1, 0)
    client = client_for(cast.editor)
    first = client.get(reverse("members:officers")).content.decode()
    assert first.count('data-label="聘任文号"') == PAGE_SIZE
    assert "第 1 / 2 页，共 101 条" in first and "?page=2" in first
    second = client.get(reverse("members:officers") + "?page=2").content.decode()
    assert second.count('data-label="聘任文号"') == 1
    assert "<summary>解聘</summary>" in second and "上一页" in second
    # The form still offers every active member, not only this page's.
    assert second.count("<option value=") == Member.objects.filter(active=True).count() + 1
