"""Composing a draft issue: items, their order, 主送/抄送, and sending it for sign-off."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.bulletins.actions import do_compose, do_create_issue
from minyi.bulletins.models import CopyKind, IssueState
from tests.bulletins.helpers import awaiting_issue, signed_off
from tests.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(cast):
    return do_create_issue(cast.bulletin, cast.editor)


def compose(client, issue, reports, *, main=(), copy=(), orders=None):
    data = {
        "reports": [r.pk for r in reports],
        "main": [r.pk for r in main],
        "copy": [r.pk for r in copy],
    }
    data.update({f"order-{pk}": n for pk, n in (orders or {}).items()})
    return client.post(reverse("bulletins:compose", args=[issue.pk]), data)


def test_it_offers_only_signed_off_reports_not_in_another_issue(cast, client_for, issue):
    signed_off(cast, "关于规范校外培训机构的建议")
    make_report(cast, state="accepted", title="关于尚在编辑的稿件的建议")
    taken = signed_off(cast, "关于已编入他期的稿件的建议")
    do_compose(do_create_issue(cast.bulletin, cast.editor), cast.editor, reports=[taken])
    page = client_for(cast.editor).get(reverse("bulletins:compose", args=[issue.pk]))
    text = page.content.decode()
    assert "关于规范校外培训机构的建议" in text
    assert "民盟市委" in text and "张明" in text and "养老服务" in text
    assert "关于尚在编辑的稿件的建议" not in text
    assert "关于已编入他期的稿件的建议" not in text


def test_it_saves_items_in_the_typed_order_with_recipients(cast, client_for, issue):
    first, second = signed_off(cast, "甲建议"), signed_off(cast, "乙建议")
    main, copy = cast.recipients
    client = client_for(cast.editor)
    response = compose(
        client, issue, [first, second], main=[main], copy=[copy], orders={first.pk: 2, second.pk: 1}
    )
    assert response.status_code == 302
    assert list(issue.items.values_list("report_id", flat=True)) == [second.pk, first.pk]
    assert set(issue.issue_recipients.values_list("recipient_id", "kind")) == {
        (main.pk, CopyKind.MAIN),
        (copy.pk, CopyKind.COPY),
    }
    assert "本期共 2 篇稿件" in client.get(response.url).content.decode()


def test_it_refuses_a_report_that_is_not_signed_off(cast, client_for, issue):
    ready = signed_off(cast, "已签发的建议")
    do_compose(issue, cast.editor, reports=[ready], main=cast.recipients[:1])
    pending = make_report(cast, state="awaiting_sign_off", title="待签发的建议")
    response = compose(client_for(cast.editor), issue, [ready, pending], main=cast.recipients)
    assert response.status_code == 200
    assert "《待签发的建议》尚未签发，不能编入刊物" in response.content.decode()
    # Nothing changed: the earlier composition stands.
    assert list(issue.items.values_list("report_id", flat=True)) == [ready.pk]
    assert issue.issue_recipients.count() == 1


def test_it_refuses_a_report_already_in_another_issue(cast, client_for, issue):
    taken = signed_off(cast, "已编入他期的建议")
    other = do_create_issue(cast.bulletin, cast.editor)
    do_compose(other, cast.editor, reports=[taken])
    response = compose(client_for(cast.editor), issue, [taken], main=cast.recipients[:1])
    assert f"《已编入他期的建议》已编入{other}" in response.content.decode()
    assert not issue.items.exists()
    assert not issue.issue_recipients.exists()


def test_it_refuses_a_recipient_both_main_and_copy(cast, client_for, issue):
    report = signed_off(cast, "甲建议")
    both = cast.recipients[:1]
    response = compose(client_for(cast.editor), issue, [report], main=both, copy=both)
    assert "同一报送对象不能既主送又抄送" in response.content.decode()
    assert not issue.items.exists()


def test_it_refuses_an_unreadable_order_number(cast, client_for, issue):
    report = signed_off(cast, "甲建议")
    response = compose(
        client_for(cast.editor), issue, [report], main=cast.recipients, orders={report.pk: "一"}
    )
    assert "顺序请填写正整数" in response.content.decode()
    assert not issue.items.exists()


def test_it_refuses_sending_without_items(cast, client_for, issue):
    client = client_for(cast.editor)
    response = client.post(reverse("bulletins:send", args=[issue.pk]), follow=True)
    assert "本期还没有稿件，不能送审签" in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == IssueState.DRAFT


def test_it_refuses_sending_without_a_main_recipient(cast, client_for, issue):
    do_compose(issue, cast.editor, reports=[signed_off(cast, "甲")], copy=cast.recipients[:1])
    response = client_for(cast.editor).post(reverse("bulletins:send", args=[issue.pk]), follow=True)
    assert "请至少选择一个主送对象" in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == IssueState.DRAFT


def test_it_sends_a_complete_issue_for_sign_off(cast, client_for, issue):
    do_compose(issue, cast.editor, reports=[signed_off(cast, "甲")], main=cast.recipients[:1])
    response = client_for(cast.editor).post(reverse("bulletins:send", args=[issue.pk]), follow=True)
    assert "已送审签" in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == IssueState.AWAITING_SIGN_OFF


def test_it_keeps_an_issue_awaiting_sign_off_out_of_the_composer(cast, client_for):
    issue = awaiting_issue(cast, [signed_off(cast, "甲")])
    client = client_for(cast.editor)
    response = client.get(reverse("bulletins:compose", args=[issue.pk]))
    assert response.url == reverse("bulletins:detail", args=[issue.pk])
    response = compose(client, issue, [], main=cast.recipients)
    assert response.url == reverse("bulletins:detail", args=[issue.pk])
    # The items stay as they were sent.
    assert issue.items.count() == 1
