"""The whole path at the HTTP level: a member's submission to the author seeing
an adoption and a leader's instruction, through every role's own pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event, verify_chain
from minyi.bulletins.models import Issue, IssueState
from minyi.reports.models import Report, State
from tests.factories import REPORT_TEXT, days_ago


def member_submits(cast, client_for) -> Report:
    client = client_for(cast.member)
    assert client.get(reverse("reports:new")).status_code == 200
    response = client.post(
        reverse("reports:new"),
        {
            **REPORT_TEXT,
            "lead": cast.member.member_id,
            "submitting_unit": cast.unit.pk,
            "category": cast.category.pk,
            "urgency": "routine",
            "consent_to_publish": "yes",
            "submit": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get(title=REPORT_TEXT["title"])
    assert report.state == State.SUBMITTED
    return report


def editor_accepts_and_edits(cast, client_for, report: Report) -> None:
    client = client_for(cast.editor)
    assert REPORT_TEXT["title"] in client.get(reverse("office:triage")).content.decode()
    client.post(reverse("office:claim", args=[report.pk]))
    client.post(reverse("office:act", args=[report.pk, "accept"]))
    report.refresh_from_db()
    client.post(
        reverse("office:workbench", args=[report.pk]),
        {
            **REPORT_TEXT,
            "suggestions": REPORT_TEXT["suggestions"] + "四、建立养老服务评估机制。",
            "note": "补充建议",
            "base_revision": report.revision_number,
        },
    )
    client.post(reverse("office:act", args=[report.pk, "send_for_sign_off"]))
    report.refresh_from_db()
    assert report.state == State.AWAITING_SIGN_OFF
    assert report.revisions.filter(by_office=True).exists()


def issue_is_composed_and_signed(cast, client_for, report: Report) -> Issue:
    approver = client_for(cast.approver)
    approver.post(
        reverse("office:act", args=[report.pk, "sign_off"]),
        {"opinion": "同意。", "acknowledged": "1"},
    )
    editor = client_for(cast.editor)
    editor.post(reverse("bulletins:create"), {"bulletin": cast.bulletin.pk})
    issue = Issue.objects.get(bulletin=cast.bulletin)
    editor.post(
        reverse("bulletins:compose", args=[issue.pk]),
        {
            "reports": [report.pk],
            "main": [cast.recipients[0].pk],
            "copy": [cast.recipients[1].pk],
        },
    )
    editor.post(reverse("bulletins:send", args=[issue.pk]))
    approver = client_for(cast.approver)
    approver.post(
        reverse("bulletins:sign_off", args=[issue.pk]),
        {"opinion": "同意，报全国政协。", "acknowledged": "1"},
    )
    issue.refresh_from_db()
    assert issue.state == IssueState.ISSUED
    assert (issue.number, issue.cumulative_number) == (1, 1)
    assert issue.opinions.get().text == "同意，报全国政协。"
    return issue


def editor_records_outcomes(cast, client_for, report: Report) -> None:
    forwarding = report.forwardings.get(recipient=cast.recipients[0])
    client = client_for(cast.editor)
    client.post(
        reverse("outcomes:adopt", args=[forwarding.pk]),
        {
            "kind": "single",
            "carrier": "全国政协《社情民意信息》第88期",
            "adopted_on": days_ago(0).isoformat(),
        },
    )
    client.post(
        reverse("outcomes:instruct", args=[forwarding.pk]),
        {
            "leader_name": "王某某",
            "leader_title": "副省长",
            "level": "provincial",
            "text": "请省民政厅会同有关部门研究落实。",
            # The office lets the authors read the words (otherwise: only that there is one).
            "text_for_authors": "on",
            "instructed_on": days_ago(0).isoformat(),
        },
    )


@pytest.mark.django_db(transaction=True)
def test_it_takes_a_report_from_a_members_phone_to_an_adoption_the_author_sees(cast, client_for):
    report = member_submits(cast, client_for)
    editor_accepts_and_edits(cast, client_for, report)
    issue = issue_is_composed_and_signed(cast, client_for, report)
    editor_records_outcomes(cast, client_for, report)

    leader = client_for(cast.leader)
    assert (
        REPORT_TEXT["title"]
        in leader.get(reverse("bulletins:detail", args=[issue.pk])).content.decode()
    )

    member = client_for(cast.member)
    page = member.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "已编发" in page
    assert "全国政协《社情民意信息》第88期" in page
    assert "王某某" in page and "请省民政厅会同有关部门研究落实。" in page
    notes = member.get(reverse("notify:list")).content.decode()
    assert "被全国政协采用" in notes and "批示" in notes

    verbs = list(Event.objects.for_report(report.pk).values_list("verb", flat=True))
    for verb in (
        "submit",
        "claim",
        "accept",
        "edit",
        "send_for_sign_off",
        "sign_off",
        "publish",
        "forward",
        "adopt",
        "instruct",
    ):
        assert verb in verbs, verb
    assert verify_chain() is None
