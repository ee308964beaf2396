"""The leaders' reader: issued issues only, newest first, filtered by series and year."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.bulletins.actions import do_create_issue
from minyi.bulletins.models import Bulletin
from tests.bulletins.helpers import awaiting_issue, signed_off
from tests.factories import make_report, publish

pytestmark = pytest.mark.django_db
READER = "bulletins:reader"


def listed(response) -> list[str]:
    return [str(issue) for issue in response.context["page"].object_list]


def test_it_shows_leaders_issued_issues_newest_first(cast, client_for):
    first = publish(cast, [make_report(cast, state="signed_off")])
    second = publish(cast, [make_report(cast, state="signed_off")])
    draft = do_create_issue(cast.bulletin, cast.editor)
    awaiting = awaiting_issue(cast, [signed_off(cast, "待签发稿件")])
    response = client_for(cast.leader).get(reverse(READER))
    assert listed(response) == [str(second), str(first)]
    page = response.content.decode()
    assert str(draft) not in page and str(awaiting) not in page
    assert reverse("bulletins:detail", args=[second.pk]) in page


def test_it_lets_a_leader_read_issued_but_not_draft_or_awaiting_issues(cast, client_for):
    issued = publish(cast, [make_report(cast, state="signed_off", title="已印发的建议")])
    draft = do_create_issue(cast.bulletin, cast.editor)
    awaiting = awaiting_issue(cast, [signed_off(cast, "待签发的建议")])
    client = client_for(cast.leader)
    page = client.get(reverse("bulletins:detail", args=[issued.pk]))
    assert page.status_code == 200 and "已印发的建议" in page.content.decode()
    assert client.get(reverse("bulletins:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("bulletins:detail", args=[awaiting.pk])).status_code == 404
    # A leader cannot sign off or reject either.
    url = reverse("bulletins:sign_off", args=[awaiting.pk])
    assert client.post(url).status_code == 403


def test_it_filters_by_series_and_year(cast, client_for):
    ours = publish(cast, [make_report(cast, state="signed_off")])
    cast.bulletin = Bulletin.objects.create(name="政协信息专报", code="zb")
    theirs = publish(cast, [make_report(cast, state="signed_off")])
    client = client_for(cast.approver)
    response = client.get(reverse(READER), {"bulletin": theirs.bulletin.pk})
    assert listed(response) == [str(theirs)]
    response = client.get(reverse(READER), {"year": ours.year})
    assert set(listed(response)) == {str(ours), str(theirs)}
    # A year with nothing issued is not offered, so the filter falls back to all.
    response = client.get(reverse(READER), {"year": ours.year - 5})
    assert set(listed(response)) == {str(ours), str(theirs)}
    assert f"{ours.year}年" in response.content.decode()


def test_it_keeps_the_reader_from_editors_and_members(cast, client_for):
    publish(cast, [make_report(cast, state="signed_off")])
    for user in (cast.editor, cast.member):
        assert client_for(user).get(reverse(READER)).status_code == 403
    assert client_for(cast.approver).get(reverse(READER)).status_code == 200


def test_each_issue_shows_its_item_count_in_a_fixed_number_of_queries(cast, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    two = publish(cast, [make_report(cast, state="signed_off") for _ in range(2)])
    one = publish(cast, [make_report(cast, state="signed_off")])
    client = client_for(cast.leader)
    client.get(reverse(READER))  # warm the session
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse(READER))
    counts = {str(issue): issue.item_count for issue in response.context["page"].object_list}
    assert counts == {str(two): 2, str(one): 1}
    assert "2 篇" in response.content.decode()
    for _ in range(3):
        publish(cast, [make_report(cast, state="signed_off") for _ in range(2)])
    with CaptureQueriesContext(connection) as more:
        response = client.get(reverse(READER))
    assert len(response.context["page"].object_list) == 5
    assert len(more.captured_queries) == len(few.captured_queries)
