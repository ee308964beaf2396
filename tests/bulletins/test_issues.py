"""The editor's issue list and creating issues: numbers come from the counter."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.bulletins.actions import do_create_issue
from minyi.bulletins.models import Bulletin, Issue, IssueState
from minyi.core import clock
from tests.factories import make_report, publish

pytestmark = pytest.mark.django_db


def create(client, bulletin: Bulletin):
    return client.post(reverse("bulletins:create"), {"bulletin": bulletin.pk})


def test_it_numbers_issues_one_two_three_per_series(cast, client_for):
    client = client_for(cast.editor)
    other = Bulletin.objects.create(name="政协信息专报", code="zxxxzb")
    for _ in range(3):
        response = create(client, cast.bulletin)
    create(client, other)
    year = clock.localdate().year
    numbers = list(
        Issue.objects.filter(bulletin=cast.bulletin, year=year)
        .order_by("number")
        .values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3]
    # A second series keeps its own sequence.
    assert list(Issue.objects.filter(bulletin=other).values_list("number", flat=True)) == [1]
    third = Issue.objects.get(bulletin=cast.bulletin, number=3)
    assert response.url == reverse("bulletins:compose", args=[third.pk])


def test_it_starts_each_year_at_one(cast, client_for):
    last_year = clock.localdate().year - 1
    for _ in range(2):
        do_create_issue(cast.bulletin, cast.editor, year=last_year)
    create(client_for(cast.editor), cast.bulletin)
    this_year = Issue.objects.get(bulletin=cast.bulletin, year=last_year + 1)
    assert this_year.number == 1


def test_it_shows_the_number_only_after_creation(cast, client_for):
    client = client_for(cast.editor)
    page = client.get(reverse("bulletins:list")).content.decode()
    assert "新建一期" in page
    assert "第1期" not in page
    response = create(client, cast.bulletin)
    page = client.get(response.url).content.decode()
    assert f"已新建《社情民意》{clock.localdate().year}年第1期" in page


def test_it_groups_issues_by_series_and_year_with_state_and_count(cast, client_for):
    publish(cast, [make_report(cast, state="signed_off"), make_report(cast, state="signed_off")])
    do_create_issue(cast.bulletin, cast.editor)
    Bulletin.objects.create(name="信息快报", code="xxkb")
    page = client_for(cast.editor).get(reverse("bulletins:list")).content.decode()
    year = clock.localdate().year
    assert "《社情民意》" in page and "《信息快报》" in page
    assert f"{year}年" in page
    assert "已印发" in page and "编辑中" in page
    assert "2 篇" in page and "0 篇" in page


def test_it_refuses_a_new_issue_of_an_inactive_series(cast, client_for):
    stopped = Bulletin.objects.create(name="旧刊", code="old", active=False)
    client = client_for(cast.editor)
    response = create(client, stopped)
    assert response.url == reverse("bulletins:list")
    assert "该刊物已停用" in client.get(response.url).content.decode()
    assert not Issue.objects.filter(bulletin=stopped).exists()


def test_it_lets_only_editors_create_issues(cast, client_for):
    assert create(client_for(cast.approver), cast.bulletin).status_code == 403
    assert not Issue.objects.exists()
    create(client_for(cast.editor), cast.bulletin)
    assert Issue.objects.get().state == IssueState.DRAFT
