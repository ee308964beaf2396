"""The approver's sign-off queue (待我签发): single and bulk sign-off, rejection, the read page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.bulletins.actions import do_compose, do_create_issue, do_send_issue_for_sign_off
from minyi.bulletins.models import Issue
from minyi.reports.models import Report, State, Urgency
from tests.factories import make_report

# The shared URLconf with stubs for pages other engineers are still building.

QUEUE = "/office/sign-off/"
OTHERS = ["member", "liaison", "editor", "leader", "outsider"]


def act(report: Report, action: str) -> str:
    return reverse("office:act", args=[report.pk, action])


SIGN = {"opinion": "同意，报省政协。", "acknowledged": "1"}


def state_of(report: Report) -> str:
    return Report.objects.values_list("state", flat=True).get(pk=report.pk)


def test_it_lists_reports_awaiting_sign_off_urgent_first(cast, client_for):
    make_report(cast, state="awaiting_sign_off", title="常规待签")
    make_report(cast, state="awaiting_sign_off", title="急报待签", urgency=Urgency.URGENT)
    make_report(cast, state="accepted", title="还在编辑")
    response = client_for(cast.approver).get(QUEUE)
    assert response.status_code == 200
    assert [r.title for r in response.context["reports"]] == ["急报待签", "常规待签"]
    page = response.content.decode()
    assert "还在编辑" not in page and "张明" in page and '<span class="urgent">急报</span>' in page


def test_it_shows_who_edited_last(cast, client_for):
    report = make_report(cast, state="accepted")
    client = client_for(cast.editor)
    data = {**report.text_fields(), "title": "编辑后的标题", "base_revision": 1, "note": ""}
    client.post(reverse("office:workbench", args=[report.pk]), data)
    client.post(act(report, "send_for_sign_off"))
    page = client_for(cast.approver).get(QUEUE).content.decode()
    assert "编辑后的标题" in page and "赵编辑" in page and "（第 2 版）" in page


@pytest.mark.parametrize("name", OTHERS)
def test_it_refuses_the_queue_to_everyone_but_approvers(cast, client_for, name):
    assert client_for(getattr(cast, name)).get(QUEUE).status_code == 403


def test_it_signs_off_one_report(cast, client_for):
    report = make_report(cast, state="awaiting_sign_off")
    response = client_for(cast.approver).post(act(report, "sign_off"), {"next": QUEUE, **SIGN})
    assert response.status_code == 302 and response.url == QUEUE
    assert state_of(report) == State.SIGNED_OFF
    opinion = report.sign_off_opinions.get()
    assert (opinion.text, opinion.signer, opinion.ip) == (
        "同意，报省政协。",
        cast.approver,
        "127.0.0.1",
    )
    assert opinion.event.verb == "sign_off" and opinion.event.payload["opinion"] == opinion.text
    # The report's timeline (办理记录) shows the opinion with the sign-off.
    page = client_for(cast.editor).get(reverse("office:workbench", args=[report.pk]))
    assert "签发意见：同意，报省政协。" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"opinion": "同意。"}, "请先阅读《"),
        ({"opinion": "", "acknowledged": "1"}, "请填写签发意见"),
        ({"opinion": "意" * 501, "acknowledged": "1"}, "签发意见最多500字，现有501字，请删减。"),
    ],
)
def test_it_refuses_a_sign_off_unread_or_without_an_opinion(cast, client_for, data, message):
    report = make_report(cast, state="awaiting_sign_off")
    response = client_for(cast.approver).post(act(report, "sign_off"), data, follow=True)
    assert message in response.content.decode()
    assert state_of(report) == State.AWAITING_SIGN_OFF
    assert not report.sign_off_opinions.exists()


def test_it_rejects_with_a_reason_back_to_the_editor(cast, client_for):
    report = make_report(cast, state="awaiting_sign_off")
    client_for(cast.approver).post(act(report, "reject_sign_off"), {"note": "数据请再核实。"})
    report.refresh_from_db()
    assert report.state == State.ACCEPTED and report.state_note == "数据请再核实。"


def test_it_refuses_a_rejection_without_a_reason(cast, client_for):
    report = make_report(cast, state="awaiting_sign_off")
    response = client_for(cast.approver).post(act(report, "reject_sign_off"), follow=True)
    assert "“退回编辑”须填写理由" in response.content.decode()
    assert state_of(report) == State.AWAITING_SIGN_OFF


@pytest.mark.parametrize("name", OTHERS)
def test_it_refuses_sign_off_moves_to_everyone_but_approvers(cast, client_for, name):
    report = make_report(cast, state="awaiting_sign_off")
    client = client_for(getattr(cast, name))
    assert client.post(act(report, "sign_off")).status_code in (403, 404)
    assert client.post(act(report, "reject_sign_off"), {"note": "x"}).status_code in (403, 404)
    bulk = client.post(reverse("office:sign_off_selected"), {"ids": [report.pk]})
    assert bulk.status_code == 403
    assert state_of(report) == State.AWAITING_SIGN_OFF


def test_it_refuses_signing_off_a_report_in_the_wrong_state(cast, client_for):
    report = make_report(cast, state="accepted")
    response = client_for(cast.approver).post(act(report, "sign_off"), SIGN, follow=True)
    assert "稿件当前状态为“已受理”，不能执行此操作" in response.content.decode()
    assert state_of(report) == State.ACCEPTED


def bulk(client, ticked: list[Report], opinions: dict[int, str], read: list[Report]):
    data = {
        "ids": [r.pk for r in ticked],
        "read": [r.pk for r in read],
        **{f"opinion-{pk}": text for pk, text in opinions.items()},
    }
    return client.post(reverse("office:sign_off_selected"), data, follow=True)


def test_it_signs_off_the_ticked_reports_and_names_the_one_that_failed(cast, client_for):
    first = make_report(cast, state="awaiting_sign_off", title="第一篇")
    second = make_report(cast, state="awaiting_sign_off", title="第二篇")
    stuck = make_report(cast, state="accepted", title="已被退回的一篇")
    every = [first, stuck, second]
    opinions = {first.pk: "同意。", second.pk: "同意，报市委。", stuck.pk: "同意。"}
    response = bulk(client_for(cast.approver), every, opinions, every)
    page = response.content.decode()
    assert "已签发 2 篇" in page
    assert "《已被退回的一篇》稿件当前状态为“已受理”" in page
    assert state_of(first) == state_of(second) == State.SIGNED_OFF
    assert state_of(stuck) == State.ACCEPTED
    # One opinion per item, each its own.
    assert first.sign_off_opinions.get().text == "同意。"
    assert second.sign_off_opinions.get().text == "同意，报市委。"


def test_a_bulk_sign_off_refuses_each_item_left_unread_or_without_an_opinion(cast, client_for):
    done = make_report(cast, state="awaiting_sign_off", title="读过的一篇")
    unread = make_report(cast, state="awaiting_sign_off", title="没读的一篇")
    silent = make_report(cast, state="awaiting_sign_off", title="没写意见的一篇")
    opinions = {done.pk: "同意。", unread.pk: "同意。"}
    response = bulk(client_for(cast.approver), [done, unread, silent], opinions, [done, silent])
    page = response.content.decode()
    assert "已签发 1 篇：《读过的一篇》" in page
    assert "请先阅读《没读的一篇》全文" in page and "《没写意见的一篇》请填写签发意见" in page
    assert state_of(unread) == state_of(silent) == State.AWAITING_SIGN_OFF
    assert not unread.sign_off_opinions.exists() and not silent.sign_off_opinions.exists()


def test_the_queue_shows_each_items_full_text_and_its_changes(cast, client_for):
    report = make_report(cast, state="accepted")
    client = client_for(cast.editor)
    data = {**report.text_fields(), "analysis": "一是规划落地难。", "base_revision": 1}
    client.post(reverse("office:workbench", args=[report.pk]), data)
    client.post(act(report, "send_for_sign_off"))
    page = client_for(cast.approver).get(QUEUE).content.decode()
    assert "一是规划落地难。" in page and report.situation[:20] in page
    assert "与原稿对照" in page and "<ins>" in page
    assert f'name="opinion-{report.pk}"' in page and f'name="read" value="{report.pk}"' in page


def test_it_asks_to_tick_something_before_a_bulk_sign_off(cast, client_for):
    response = client_for(cast.approver).post(reverse("office:sign_off_selected"), follow=True)
    assert "请先勾选要签发的稿件" in response.content.decode()


def test_it_shows_the_current_text_and_the_diff_on_the_read_page(cast, client_for):
    report = make_report(cast, state="accepted")
    client = client_for(cast.editor)
    data = {**report.text_fields(), "analysis": "一是规划落地难。", "base_revision": 1}
    client.post(reverse("office:workbench", args=[report.pk]), data)
    client.post(act(report, "send_for_sign_off"))
    response = client_for(cast.approver).get(reverse("office:review", args=[report.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "修改对照" in page and "<del>" in page and "一是规划落地难。" in page
    assert act(report, "sign_off") in page
    assert 'data-requires="ack-' in page and "已阅读全文" in page


def test_it_refuses_the_read_page_to_non_approvers_and_hides_drafts(cast, client_for):
    report = make_report(cast, state="awaiting_sign_off")
    draft = make_report(cast, state="draft")
    assert (
        client_for(cast.member).get(reverse("office:review", args=[report.pk])).status_code == 403
    )
    approver = client_for(cast.approver)
    assert approver.get(reverse("office:review", args=[draft.pk])).status_code == 404


def issue_awaiting_sign_off(cast, report: Report) -> Issue:
    issue = do_create_issue(cast.bulletin, cast.editor)
    do_compose(issue, cast.editor, reports=[report], main=cast.recipients[:1])
    do_send_issue_for_sign_off(issue, cast.editor)
    return issue


def test_it_lists_bulletin_issues_awaiting_sign_off_urgent_first(cast, client_for):
    routine_issue = issue_awaiting_sign_off(cast, make_report(cast, state="signed_off"))
    urgent = make_report(cast, state="signed_off", urgency=Urgency.SPECIAL)
    urgent_issue = issue_awaiting_sign_off(cast, urgent)
    do_create_issue(cast.bulletin, cast.editor)  # still being edited: not listed
    response = client_for(cast.approver).get(QUEUE)
    assert list(response.context["issues"]) == [urgent_issue, routine_issue]
    page = response.content.decode()
    assert str(urgent_issue) in page and "含急报" in page
    assert reverse("bulletins:detail", args=[urgent_issue.pk]) in page
