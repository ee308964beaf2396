"""The report page: facts, status timeline, feedback, author actions and revisions."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from minyi.audit.models import Event
from minyi.outcomes.actions import do_record_adoption, do_record_instruction
from minyi.outcomes.models import AdoptionKind, InstructionLevel
from minyi.reports.actions import do_claim, do_decline, do_mark_duplicate, do_save_text
from minyi.reports.models import DeclineReason, State
from minyi.reports.workflow import transition
from tests.factories import REPORT_TEXT, days_ago, make_report


def page(client: Any, report: Any) -> str:
    response = client.get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def timeline(html: str) -> str:
    """Only the timeline's part of the page, so labels elsewhere do not count."""
    start = html.index('<ol class="timeline">')
    return html[start : html.index("</ol>", start)]


def test_it_shows_the_facts_of_a_report(cast, client_for):
    report = make_report(cast, state="submitted", informant="群众王某")
    html = page(client_for(cast.member), report)
    for text in ("张明", "群众王某（非委员反映人）", "民盟市委", "养老服务", "常规", report.serial):
        assert text in html, text
    assert REPORT_TEXT["suggestions"] in html


def test_it_shows_the_timeline_in_order_with_chinese_labels(cast, client_for):
    report = make_report(cast, state="accepted")
    transition(report, "return", cast.editor, note="请补充数据来源。")
    html = timeline(page(client_for(cast.member), report))
    labels = ["创建草稿", "报送", "受理", "退回修改", "请补充数据来源。"]
    positions = [html.index(label) for label in labels]
    assert positions == sorted(positions)


def test_it_labels_office_edits_and_hides_claims_from_authors(cast, client_for):
    report = make_report(cast, state="submitted")
    do_claim(report, cast.editor)
    do_save_text(
        report, cast.editor, fields={**REPORT_TEXT, "title": "编辑改过的标题"}, base_revision=1
    )
    member_view = timeline(page(client_for(cast.member), report))
    editor_view = timeline(page(client_for(cast.editor), report))
    assert "编辑修改" in member_view
    assert "认领" not in member_view
    # The office sees its own housekeeping.
    assert "认领" in editor_view


def test_it_shows_the_decline_reason_and_note(cast, client_for):
    report = make_report(cast, state="submitted")
    do_decline(report, cast.editor, reason=DeclineReason.OUTDATED, note="事件已处理完毕。")
    html = page(client_for(cast.member), report)
    assert "原因：时效已过" in timeline(html)
    assert "事件已处理完毕。" in timeline(html)


def test_it_links_a_merged_report_to_its_target_only_when_visible(cast, client_for):
    original = make_report(cast, state="submitted", title="先报的信息")
    duplicate = make_report(cast, by=cast.officer, state="submitted", title="重复的信息")
    do_mark_duplicate(duplicate, cast.editor, original=original)
    target = reverse("reports:detail", args=[original.pk])
    # The officer is credited on the original, so may follow the link.
    assert f'href="{target}"' in timeline(page(client_for(cast.officer), duplicate))
    assert "并入《先报的信息》" in timeline(page(client_for(cast.officer), duplicate))


def test_it_shows_adoption_and_instruction_in_the_feedback_block(cast, client_for):
    report = make_report(cast, state="published")
    forwarding = report.forwardings.get(recipient=cast.recipients[0])
    do_record_adoption(
        forwarding,
        cast.editor,
        kind=AdoptionKind.SINGLE,
        adopted_on=days_ago(0),
        carrier="全国政协《社情民意信息》第12期",
    )
    do_record_instruction(
        forwarding,
        cast.editor,
        leader_name="某某",
        leader_title="副省长",
        level=InstructionLevel.PROVINCIAL,
        text="请省民政厅研究办理。",
        instructed_on=days_ago(0),
        # The office let the authors read the words (by default they see only that there is one).
        text_for_authors=True,
    )
    html = page(client_for(cast.member), report)
    feedback = html[html.index('id="feedback-head"') : html.index('id="attachments"')]
    for text in (
        "报送全国政协",
        "已采用",
        "单篇采用",
        "全国政协《社情民意信息》第12期",
        "副省长某某",
        "省级",
        "请省民政厅研究办理。",
        "报送市委",
        "待反馈",
    ):
        assert text in feedback, text
    assert "领导批示" in timeline(html) and "编发" in timeline(html)


def test_it_lets_the_liaison_and_the_leader_read_a_published_report(cast, client_for):
    report = make_report(cast, state="published")
    assert report.title in page(client_for(cast.liaison), report)
    assert report.title in page(client_for(cast.leader), report)
    url = reverse("reports:detail", args=[report.pk])
    assert client_for(cast.outsider).get(url).status_code == 404


def test_it_offers_the_authors_moves_only(cast, client_for):
    report = make_report(cast, state="submitted")
    member_html = page(client_for(cast.member), report)
    editor_html = page(client_for(cast.editor), report)
    withdraw = reverse("reports:act", args=[report.pk, "withdraw"])
    assert withdraw in member_html
    assert withdraw not in editor_html
    # Office moves are on the office pages, never here.
    assert reverse("reports:act", args=[report.pk, "accept"]) not in editor_html


def test_it_withdraws_and_resubmits(cast, client_for):
    report = make_report(cast, state="submitted")
    client = client_for(cast.member)
    client.post(reverse("reports:act", args=[report.pk, "withdraw"]))
    report.refresh_from_db()
    assert report.state == State.WITHDRAWN
    client.post(reverse("reports:act", args=[report.pk, "submit"]))
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert "重新报送" in timeline(page(client, report))


def test_it_refuses_office_actions_and_strangers_at_act(cast, client_for):
    report = make_report(cast, state="submitted")
    before = Event.objects.count()
    accept = reverse("reports:act", args=[report.pk, "accept"])
    response = client_for(cast.editor).post(accept, follow=True)
    assert "此操作须由研究室在稿件处理页面办理。" in response.content.decode()
    withdraw = reverse("reports:act", args=[report.pk, "withdraw"])
    response = client_for(cast.editor).post(withdraw, follow=True)
    assert "您没有权限对此稿件执行“撤回”" in response.content.decode()
    assert client_for(cast.outsider).post(withdraw).status_code == 404
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert Event.objects.count() == before


def test_it_does_not_let_a_member_submit_someone_elses_report(cast, client_for):
    theirs = make_report(cast, by=cast.outsider, unit=cast.other_unit)
    response = client_for(cast.member).post(reverse("reports:act", args=[theirs.pk, "submit"]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == State.DRAFT
    client_for(cast.outsider).post(reverse("reports:act", args=[theirs.pk, "submit"]))
    theirs.refresh_from_db()
    assert theirs.state == State.SUBMITTED


def test_it_shows_an_act_refusal_from_the_workflow(cast, client_for):
    report = make_report(cast, suggestions="")
    response = client_for(cast.member).post(
        reverse("reports:act", args=[report.pk, "submit"]), follow=True
    )
    assert "请填写“意见建议”部分。" in response.content.decode()
    report.refresh_from_db()
    assert report.state == State.DRAFT


def test_it_lists_revisions_and_shows_the_office_changes(cast, client_for):
    report = make_report(cast, state="submitted")
    edited = {**REPORT_TEXT, "situation": REPORT_TEXT["situation"] + "据民政局统计。"}
    do_save_text(report, cast.editor, fields=edited, base_revision=1, note="补充来源")
    html = page(client_for(cast.member), report)
    assert "第 1 版（报送原稿）" in html
    assert "补充来源" in html and "作者修改" in html and "编辑修改" in html
    assert "<ins>据民政局统计。</ins>" in html


def test_it_shows_no_diff_while_the_text_is_unchanged(cast, client_for):
    report = make_report(cast, state="submitted")
    assert "研究室编辑对报送原稿的修改" not in page(client_for(cast.member), report)
