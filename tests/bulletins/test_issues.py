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


def test_a_new_issue_waits_for_its_number_and_opens_the_composer(cast, client_for):
    client = client_for(cast.editor)
    page = client.get(reverse("bulletins:list")).content.decode()
    assert "新建一期" in page and "第1期" not in page
    response = create(client, cast.bulletin)
    issue = Issue.objects.get()
    assert (issue.number, issue.cumulative_number) == (None, None)
    assert response.url == reverse("bulletins:compose", args=[issue.pk])
    page = client.get(response.url).content.decode()
    assert "已新建《社情民意》一期（待编号，签发时编定期号）" in page
    assert "待编号" in client.get(reverse("bulletins:list")).content.decode()


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
