"""作废 withdraws the items: reports back to 已签发, forwardings recalled, points and notice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from minyi.bulletins.actions import (
    do_compose,
    do_create_issue,
    do_send_issue_for_sign_off,
    do_void_issue,
)
from minyi.bulletins.models import IssueState
from minyi.notify.models import Notification
from minyi.outcomes.models import Forwarding, ForwardingState
from minyi.reports.models import State
from tests.bulletins.helpers import awaiting_issue, sign_off, signed_off
from tests.factories import settle
from tests.scoring.helpers import make_rules, points_of

pytestmark = pytest.mark.django_db


def test_voiding_an_issue_sends_its_reports_back_and_recalls_its_forwardings(cast, client_for):
    make_rules()
    report = signed_off(cast, "甲建议")
    issue = awaiting_issue(cast, [report])
    sign_off(issue, cast.approver)
    settle()
    member = cast.member.member_id
    earned = points_of(member)
    assert earned > 0
    assert Forwarding.objects.filter(issue=issue, state=ForwardingState.PENDING).exists()
    url = reverse("bulletins:void", args=[issue.pk])
    client_for(cast.approver).post(url, {"note": "误将内部材料编入"}, follow=True)
    issue.refresh_from_db()
    report.refresh_from_db()
    assert issue.state == IssueState.VOIDED
    assert report.state == State.SIGNED_OFF
    unpublish = Event.objects.get(verb="unpublish", report_id=report.pk)
    assert unpublish.payload["note"] == "误将内部材料编入"
    assert unpublish.payload["issue"] == str(issue)
    states = set(Forwarding.objects.filter(issue=issue).values_list("state", flat=True))
    assert states == {ForwardingState.RECALLED}
    settle()
    notice = Notification.objects.filter(user=cast.member, message__contains="已作废").get()
    assert "误将内部材料编入" in notice.message and "甲建议" in notice.message
    # The 编发 points are taken back; the submission points stay.
    assert points_of(member) < earned
    timeline = client_for(cast.member).get(reverse("reports:detail", args=[report.pk]))
    assert "撤回编发" in timeline.content.decode()
    # The reason shows once, as 理由, not again as a free note.
    assert timeline.content.decode().count("误将内部材料编入") == 1


def test_a_voided_issues_report_can_be_published_again_in_a_new_issue(cast):
    make_rules()
    report = signed_off(cast, "甲建议")
    issue = awaiting_issue(cast, [report])
    sign_off(issue, cast.approver)
    settle()
    earned = points_of(cast.member.member_id)
    do_void_issue(issue, cast.approver, reason="期号编错")
    again = do_create_issue(cast.bulletin, cast.editor)
    do_compose(again, cast.editor, reports=[report], main=cast.recipients[:1])
    do_send_issue_for_sign_off(again, cast.editor)
    sign_off(again, cast.approver)
    report.refresh_from_db()
    assert report.state == State.PUBLISHED
    forwarding = Forwarding.objects.get(report=report, recipient=cast.recipients[0])
    assert (forwarding.issue_id, forwarding.state) == (again.pk, ForwardingState.PENDING)
    settle()
    assert points_of(cast.member.member_id) == earned
