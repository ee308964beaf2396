"""The issue page: how it reads, and the approver's 签发 / 退回."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.bulletins.models import IssueState
from minyi.notify.models import Notification
from minyi.outcomes.models import Forwarding
from minyi.reports.actions import do_save_text
from minyi.reports.models import State
from minyi.reports.workflow import transition
from tests.bulletins.helpers import awaiting_issue, signed_off
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def sign_off(client, issue, opinion="同意，报省政协。", acknowledged="1"):
    data = {"opinion": opinion, "acknowledged": acknowledged}
    return client.post(reverse("bulletins:sign_off", args=[issue.pk]), data, follow=True)


def reject(client, issue, note):
    return client.post(reverse("bulletins:reject", args=[issue.pk]), {"note": note}, follow=True)


def test_it_publishes_forwards_and_notifies_on_sign_off(
    cast, client_for, django_capture_on_commit_callbacks
):
    reports = [signed_off(cast, "甲建议"), signed_off(cast, "乙建议", by=cast.officer)]
    issue = awaiting_issue(cast, reports)
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_off(client_for(cast.approver), issue)
    assert "已签发印发" in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == IssueState.ISSUED
    assert issue.approver == cast.approver and issue.signed_off_at is not None
    for report in reports:
        report.refresh_from_db()
        assert report.state == State.PUBLISHED
        recipients = set(
            Forwarding.objects.filter(report=report).values_list("recipient", flat=True)
        )
        assert recipients == {r.pk for r in cast.recipients}
    # Each author hears that their item was published and where it was sent.
    member_news = list(
        Notification.objects.filter(user=cast.member).values_list("message", flat=True)
    )
    assert f"您的信息《甲建议》已在{issue}编发。" in member_news
    assert "您的信息《甲建议》已报送全国政协。" in member_news
    assert Notification.objects.filter(user=cast.officer, verb="publish").exists()


def test_it_lets_only_the_approver_sign_off(cast, client_for):
    issue = awaiting_issue(cast, [signed_off(cast, "甲建议")])
    for user in (cast.leader, cast.member):
        assert (
            client_for(user).post(reverse("bulletins:sign_off", args=[issue.pk])).status_code == 403
        )
    # Editors act at 审核 steps of a chain, never at a step of an issue they edit.
    response = sign_off(client_for(cast.editor), issue)
    assert "您没有权限对此期次执行“签发”" in response.content.decode()
    issue.refresh_from_db()
    assert issue.number is None
    assert issue.state == IssueState.AWAITING_SIGN_OFF
    assert not Forwarding.objects.exists()


def test_it_refuses_signing_off_a_draft(cast, client_for):
    issue = awaiting_issue(cast, [signed_off(cast, "甲建议")])
    issue.state = IssueState.DRAFT
    issue.save(update_fields=["state"])
    response = sign_off(client_for(cast.approver), issue)
    assert "只有待签发的期次可以签发" in response.content.decode()
    assert not Forwarding.objects.exists()


def test_it_requires_a_reason_to_reject(cast, client_for):
    issue = awaiting_issue(cast, [signed_off(cast, "甲建议")])
    client = client_for(cast.approver)
    response = reject(client, issue, "  ")
    assert "“退回”须填写理由" in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == IssueState.AWAITING_SIGN_OFF
    response = reject(client, issue, "第二篇数据需核实")
    assert "已退回责任编辑修改" in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == IssueState.DRAFT
    # The editor sees why it came back when composing again.
    page = client_for(cast.editor).get(reverse("bulletins:compose", args=[issue.pk]))
    assert "第二篇数据需核实" in page.content.decode()


def test_it_reads_like_a_bulletin(cast, client_for):
    issue = awaiting_issue(cast, [signed_off(cast, "关于加快社区养老服务设施建设的建议")])
    client = client_for(cast.approver)
    page = client.get(reverse("bulletins:detail", args=[issue.pk])).content.decode()
    assert "《社情民意》" in page and "（待编号）" in page
    assert "责任编辑：赵编辑" in page
    assert "社区养老床位缺口约4000张" in page and "提高运营补贴标准" in page
    assert "民盟市委" in page and "张明" in page
    assert "主送：</strong>全国政协" in page and "抄送：</strong>市委" in page
    # The print layout lives in its own stylesheet, linked from the page head.
    assert "minyi/bulletin.css" in page
    # Awaiting sign-off: the approver gets both buttons.
    assert reverse("bulletins:sign_off", args=[issue.pk]) in page
    assert reverse("bulletins:reject", args=[issue.pk]) in page
    sign_off(client, issue)
    page = client.get(reverse("bulletins:detail", args=[issue.pk])).content.decode()
    assert "签发人：钱秘书长" in page and "印发" in page
    issue.refresh_from_db()
    assert f"{issue.year}年第1期（总第1期）" in page
    assert "同意，报省政协。" in page  # The opinion, on the record shown with the issue.
    assert reverse("bulletins:sign_off", args=[issue.pk]) not in page


def test_it_prints_the_current_revision_of_each_item(cast, client_for):
    report = make_report(cast, state="accepted", title="原标题的建议")
    do_save_text(
        report,
        cast.editor,
        fields={**report.text_fields(), "title": "编辑改定的标题", "situation": "改定后的情况。"},
        base_revision=report.revision_number,
    )
    report.refresh_from_db()
    transition(report, "send_for_sign_off", cast.editor)
    transition(report, "sign_off", cast.approver)
    issue = awaiting_issue(cast, [report])
    url = reverse("bulletins:detail", args=[issue.pk])
    page = client_for(cast.approver).get(url).content.decode()
    assert "编辑改定的标题" in page and "改定后的情况。" in page
    assert "原标题的建议" not in page


def test_the_approver_sees_each_items_changes_against_the_original(cast, client_for):
    report = make_report(cast, state="accepted", title="原标题的建议")
    do_save_text(
        report,
        cast.editor,
        fields={**report.text_fields(), "situation": "改定后的情况。"},
        base_revision=report.revision_number,
    )
    report.refresh_from_db()
    transition(report, "send_for_sign_off", cast.editor)
    transition(report, "sign_off", cast.approver)
    issue = awaiting_issue(cast, [report])
    url = reverse("bulletins:detail", args=[issue.pk])
    page = client_for(cast.approver).get(url).content.decode()
    assert "与原稿对照" in page
    # A character diff: what the office cut in <del>, what it wrote in <ins>.
    assert "<del>我市60岁以上" in page and "<ins>改定后的" in page
    assert 'id="ack"' in page and 'data-requires="ack"' in page
    # The editor, who cannot decide on her own issue, reads the issue without the decision form.
    page = client_for(cast.editor).get(url).content.decode()
    assert 'data-requires="ack"' not in page
