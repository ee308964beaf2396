"""The approval chain (审签流程) as data: steps per series and urgency, each with its opinion."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from minyi.audit.models import Event
from minyi.bulletins.admin import ApprovalStepInline
from minyi.bulletins.chain import chain_for
from minyi.bulletins.models import ApprovalStep, Bulletin, Decision, IssueState
from minyi.notify.models import Notification
from minyi.people.models import Role, User
from minyi.reports.models import Urgency
from tests.bulletins.helpers import awaiting_issue, signed_off, two_step_chain
from tests.factories import make_user
from tests.transition_matrix import snapshot

pytestmark = pytest.mark.django_db


def decide(client, issue, opinion="同意。", acknowledged="1"):
    data = {"opinion": opinion, "acknowledged": acknowledged}
    return client.post(reverse("bulletins:sign_off", args=[issue.pk]), data, follow=True)


def page_of(client, issue) -> str:
    return client.get(reverse("bulletins:detail", args=[issue.pk])).content.decode()


def test_a_two_step_chain_takes_an_opinion_at_each_step_then_numbers(cast, client_for):
    two_step_chain(cast.bulletin)
    issue = awaiting_issue(cast, [signed_off(cast, "甲建议")])
    client = client_for(cast.approver)
    page = page_of(client, issue)
    assert "分管副秘书长审签" in page and "审核同意" in page and 'data-requires="ack"' in page
    response = decide(client, issue, opinion="同意，请秘书长签发。")
    assert "已审核同意，转下一步审签" in response.content.decode()
    issue.refresh_from_db()
    assert (issue.state, issue.step, issue.number) == (IssueState.AWAITING_SIGN_OFF, 1, None)
    event = Event.objects.get(verb="approve_issue_step")
    assert event.payload["opinion"] == "同意，请秘书长签发。"
    assert event.payload["step"] == "分管副秘书长审签"
    assert "秘书长签发" in page_of(client, issue)
    decide(client, issue, opinion="同意，报省政协。")
    issue.refresh_from_db()
    assert (issue.state, issue.number) == (IssueState.ISSUED, 1)
    opinions = list(issue.opinions.values_list("step_label", "action", "text", "signer"))
    assert opinions == [
        ("分管副秘书长审签", Decision.APPROVE, "同意，请秘书长签发。", cast.approver.pk),
        ("秘书长签发", Decision.SIGN_OFF, "同意，报省政协。", cast.approver.pk),
    ]
    assert issue.opinions.last().ip == "127.0.0.1"
    assert issue.signer_names() == [str(cast.approver)]


def test_rejecting_at_a_later_step_sends_it_back_to_the_editor_with_the_reason(cast, client_for):
    two_step_chain(cast.bulletin)
    issue = awaiting_issue(cast, [signed_off(cast, "甲建议")])
    client = client_for(cast.approver)
    decide(client, issue)
    response = client.post(
        reverse("bulletins:reject", args=[issue.pk]), {"note": "数据需核实"}, follow=True
    )
    assert "已退回责任编辑修改" in response.content.decode()
    issue.refresh_from_db()
    assert (issue.state, issue.step, issue.state_note) == (IssueState.DRAFT, 0, "数据需核实")
    rejected = issue.opinions.get(action=Decision.REJECT)
    assert (rejected.step_label, rejected.text) == ("秘书长签发", "数据需核实")
    assert "数据需核实" in page_of(client_for(cast.editor), issue)
    # Sent again, the chain starts from its first step; the old round's signer is not 签发人.
    client_for(cast.editor).post(reverse("bulletins:send", args=[issue.pk]))
    issue.refresh_from_db()
    assert (issue.state, issue.step) == (IssueState.AWAITING_SIGN_OFF, 0)
    assert issue.signer_names() == []


def test_the_editor_is_told_which_step_sent_the_issue_back_and_why(
    cast, client_for, django_capture_on_commit_callbacks
):
    two_step_chain(cast.bulletin)
    issue = awaiting_issue(cast, [signed_off(cast, "甲建议")])
    client = client_for(cast.approver)
    decide(client, issue)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bulletins:reject", args=[issue.pk]), {"note": "数据需核实"})
    note = Notification.objects.get(user=cast.editor, verb="reject_issue")
    assert "在“秘书长签发”退回了您编排的" in note.message and "数据需核实" in note.message
    assert note.url == reverse("bulletins:detail", args=[issue.pk])
    assert not Notification.objects.filter(user=cast.approver, verb="reject_issue").exists()


def test_an_editor_step_is_for_another_editor_never_the_issues_own(cast, client_for):
    ApprovalStep.objects.create(
        bulletin=cast.bulletin, position=1, label="科长审核", role=Role.EDITOR
    )
    ApprovalStep.objects.create(bulletin=cast.bulletin, position=2, label="秘书长签发")
    issue = awaiting_issue(cast, [signed_off(cast, "甲建议")])
    before = snapshot(issue)
    own = decide(client_for(cast.editor), issue).content.decode()
    assert "您没有权限对此期次执行“审核同意”" in own
    approver = decide(client_for(cast.approver), issue).content.decode()
    assert "您没有权限对此期次执行“审核同意”" in approver
    assert (
        client_for(cast.leader).post(reverse("bulletins:sign_off", args=[issue.pk])).status_code
        == 403
    )
    assert snapshot(issue) == before
    chief = make_user("chief", Role.EDITOR, display_name="孙科长")
    decide(client_for(chief), issue, opinion="已核，同意报签。")
    issue.refresh_from_db()
    assert issue.step == 1
    decide(client_for(cast.approver), issue)
    issue.refresh_from_db()
    assert issue.state == IssueState.ISSUED
    assert issue.signer_names() == [str(cast.approver)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"opinion": "同意。"}, "请先阅读全文并勾选“已阅读全文”"),
        ({"opinion": "  ", "acknowledged": "1"}, "请填写签发意见"),
        ({"opinion": "同" * 501, "acknowledged": "1"}, "签发意见最多500字，现有501字，请删减。"),
    ],
)
def test_a_decision_needs_the_text_read_and_an_opinion(cast, client_for, data, message):
    issue = awaiting_issue(cast, [signed_off(cast, "甲建议")])
    before = snapshot(issue)
    response = client_for(cast.approver).post(
        reverse("bulletins:sign_off", args=[issue.pk]), data, follow=True
    )
    assert message in response.content.decode()
    assert snapshot(issue) == before


def test_the_chain_follows_the_issues_urgency(cast):
    two_step_chain(cast.bulletin)
    ApprovalStep.objects.create(
        bulletin=cast.bulletin, urgency=Urgency.URGENT, position=1, label="秘书长急签"
    )
    routine = awaiting_issue(cast, [signed_off(cast, "常规件")])
    urgent = awaiting_issue(cast, [signed_off(cast, "急件", urgency=Urgency.URGENT)])
    assert [s.label for s in chain_for(routine)] == ["分管副秘书长审签", "秘书长签发"]
    assert [s.label for s in chain_for(urgent)] == ["秘书长急签"]
    plain = Bulletin.objects.create(name="信息快报", code="xxkb")
    assert [(s.label, s.role) for s in chain_for(plain.issues.model(bulletin=plain))] == [
        ("签发", Role.APPROVER)
    ]


def formset(bulletin: Bulletin, rows: list[tuple[str, str, str, str]]):
    request = RequestFactory().post("/")
    request.user = User.objects.filter(username="root").first() or make_user(
        "root", is_superuser=True, is_staff=True
    )
    inline = ApprovalStepInline(Bulletin, site)
    data = {
        "approval_steps-TOTAL_FORMS": str(len(rows)),
        "approval_steps-INITIAL_FORMS": "0",
        "approval_steps-MIN_NUM_FORMS": "0",
        "approval_steps-MAX_NUM_FORMS": "1000",
    }
    for n, (urgency, position, label, role) in enumerate(rows):
        data |= {
            f"approval_steps-{n}-urgency": urgency,
            f"approval_steps-{n}-position": position,
            f"approval_steps-{n}-label": label,
            f"approval_steps-{n}-role": role,
        }
    return inline.get_formset(request, bulletin)(data, instance=bulletin, prefix="approval_steps")


def test_the_admin_refuses_a_chain_that_does_not_end_with_an_approver(cast):
    bad = formset(
        cast.bulletin, [("", "1", "秘书长签发", "approver"), ("", "2", "科长审核", "editor")]
    )
    assert not bad.is_valid()
    assert "最后一步“科长审核”必须由签发人办理" in str(bad.non_form_errors())
    twice = formset(cast.bulletin, [("", "1", "审核", "editor"), ("", "1", "签发", "approver")])
    assert not twice.is_valid()
    good = formset(
        cast.bulletin, [("", "1", "科长审核", "editor"), ("", "2", "秘书长签发", "approver")]
    )
    assert good.is_valid(), good.errors
    good.save()
    issue = awaiting_issue(cast, [signed_off(cast, "甲建议")])
    assert [s.label for s in chain_for(issue)] == ["科长审核", "秘书长签发"]
