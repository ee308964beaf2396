"""Members, liaisons and outsiders reach no bulletin page: 403 for pages, 404 for issues."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.bulletins.actions import do_create_issue
from minyi.bulletins.models import Issue, IssueState
from tests.bulletins.helpers import awaiting_issue, signed_off
from tests.factories import make_report, publish

pytestmark = pytest.mark.django_db
OUTSIDERS = ["member", "officer", "liaison", "outsider"]


@pytest.fixture
def issues(cast):
    return {
        "issued": publish(cast, [make_report(cast, state="signed_off")]),
        "awaiting": awaiting_issue(cast, [signed_off(cast, "待签发稿件")]),
        "draft": do_create_issue(cast.bulletin, cast.editor),
    }


@pytest.mark.parametrize("name", OUTSIDERS)
def test_it_refuses_every_bulletin_page_to_members_and_liaisons(cast, client_for, issues, name):
    client = client_for(getattr(cast, name))
    assert client.get(reverse("bulletins:list")).status_code == 403
    assert client.get(reverse("bulletins:reader")).status_code == 403
    assert (
        client.post(reverse("bulletins:create"), {"bulletin": cast.bulletin.pk}).status_code == 403
    )
    for issue in issues.values():
        assert client.get(reverse("bulletins:detail", args=[issue.pk])).status_code == 404
        for action in ("compose", "send", "sign_off", "reject"):
            assert client.post(reverse(f"bulletins:{action}", args=[issue.pk])).status_code == 403
    # Nothing moved.
    states = dict(Issue.objects.values_list("pk", "state"))
    assert states == {
        issues["issued"].pk: IssueState.ISSUED,
        issues["awaiting"].pk: IssueState.AWAITING_SIGN_OFF,
        issues["draft"].pk: IssueState.DRAFT,
    }


def test_it_gives_the_office_every_issue(cast, client_for, issues):
    for user in (cast.editor, cast.approver):
        client = client_for(user)
        for issue in issues.values():
            assert client.get(reverse("bulletins:detail", args=[issue.pk])).status_code == 200
    assert client_for(cast.editor).get(reverse("bulletins:list")).status_code == 200


def test_it_sends_anonymous_visitors_to_log_in(client, issues):
    response = client.get(reverse("bulletins:detail", args=[issues["issued"].pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_returns_404_for_an_unknown_issue(cast, client_for):
    assert client_for(cast.editor).get(reverse("bulletins:detail", args=[999])).status_code == 404
    assert client_for(cast.editor).get(reverse("bulletins:compose", args=[999])).status_code == 404
