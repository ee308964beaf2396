"""A decision counts only for the step its page was shown for; one person, one step of a chain."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from minyi.bulletins.models import Issue, IssueState
from minyi.people.models import Role
from tests.bulletins.helpers import awaiting_issue, signed_off, two_step_chain
from tests.bulletins.test_numbering_rules import issued
from tests.factories import make_user
from tests.transition_matrix import snapshot

pytestmark = pytest.mark.django_db


def token_on_page(client, issue: Issue) -> str:
    page = client.get(reverse("bulletins:detail", args=[issue.pk])).content.decode()
    marker = 'name="at" value="'
    assert marker in page
    return page.split(marker, 1)[1].split('"', 1)[0]


def decide(client, issue: Issue, at: str, opinion: str = "同意。"):
    data = {"opinion": opinion, "acknowledged": "1", "at": at}
    return client.post(reverse("bulletins:sign_off", args=[issue.pk]), data, follow=True)


def test_posting_approve_twice_for_step_one_does_not_sign_the_issue(cast, client_for):
    two_step_chain(cast.bulletin)
    issue = awaiting_issue(cast, [signed_off(cast, "甲建议")])
    client = client_for(cast.approver)
    at = token_on_page(client, issue)
    decide(client, issue, at, opinion="同意，请秘书长签发。")
    before = snapshot(issue)
    response = decide(client, issue, at, opinion="同意，请秘书长签发。")
    assert f"该步骤已由{cast.approver}处理，请刷新页面" in response.content.decode()
    assert snapshot(issue) == before
    issue.refresh_from_db()
    assert (issue.state, issue.step, issue.number) == (IssueState.AWAITING_SIGN_OFF, 1, None)
    assert not Event.objects.filter(verb="sign_off_issue").exists()


def test_a_stale_reject_is_refused_and_changes_nothing(cast, client_for):
    two_step_chain(cast.bulletin)
    issue = awaiting_issue(cast, [signed_off(cast, "甲建议")])
    client = client_for(cast.approver)
    at = token_on_page(client, issue)
    decide(client, issue, at)
    before = snapshot(issue)
    url = reverse("bulletins:reject", args=[issue.pk])
    response = client.post(url, {"note": "请核实", "at": at}, follow=True)
    assert "请刷新页面" in response.content.decode()
    assert snapshot(issue) == before


def test_the_same_person_may_not_act_at_two_consecutive_steps(cast, client_for):
    two_step_chain(cast.bulletin)
    deputy = make_user("deputy", Role.APPROVER, display_name="周副秘书长")
    issue = awaiting_issue(cast, [signed_off(cast, "甲建议")])
    decide(client_for(deputy), issue, token_on_page(client_for(deputy), issue))
    issue.refresh_from_db()
    assert issue.step == 1
    client = client_for(deputy)
    page = client.get(reverse("bulletins:detail", args=[issue.pk])).content.decode()
    assert 'name="opinion"' not in page
    before = snapshot(issue)
    response = decide(client, issue, f"0-{issue.step}")
    assert "同一人不能连续办理两步审签" in response.content.decode()
    assert snapshot(issue) == before
    # Someone else signs it off.
    decide(client_for(cast.approver), issue, token_on_page(client_for(cast.approver), issue))
    issue.refresh_from_db()
    assert issue.state == IssueState.ISSUED
    assert issue.signer_names() == [str(cast.approver)]


def test_a_lone_approver_may_still_walk_the_whole_chain(cast, client_for):
    two_step_chain(cast.bulletin)
    issue = awaiting_issue(cast, [signed_off(cast, "甲建议")])
    client = client_for(cast.approver)
    decide(client, issue, token_on_page(client, issue))
    decide(client, issue, token_on_page(client, issue))
    issue.refresh_from_db()
    assert issue.state == IssueState.ISSUED


@pytest.mark.parametrize("name", ["void", "correct"])
def test_void_and_correction_reasons_are_capped_at_500_characters(cast, client_for, name):
    issue = issued(cast)
    before = snapshot(issue)
    url = reverse(f"bulletins:{name}", args=[issue.pk])
    response = client_for(cast.approver).post(url, {"note": "长" * 3000}, follow=True)
    assert "最多500字，现有3000字，请删减。" in response.content.decode()
    assert snapshot(issue) == before
