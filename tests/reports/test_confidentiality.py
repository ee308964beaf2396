"""密级 marking: the office marks, authors only ask; marked reports leave members' search and
hints, are marked in exports and pages, and every download of them says so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from minyi.audit.models import Event
from minyi.desk.similar_panel import similar_for
from minyi.reports.attachments import do_add_attachment
from minyi.reports.models import Attachment, Report, ReportAuthor, attachment_storage
from minyi.search import index_report
from minyi.search.similar import report_text
from tests.exchange.conftest import read_sheet
from tests.factories import make_report, settle

pytestmark = pytest.mark.django_db

LATER = timezone.localdate() + dt.timedelta(days=365)


def mark(client, report, **data):
    url = reverse("office:confidentiality", args=[report.pk])
    return client.post(url, data, follow=True)


def marked(cast, level="secret", until=LATER, **kw) -> Report:
    report = make_report(cast, state="accepted", **kw)
    Report.objects.filter(pk=report.pk).update(confidentiality=level, confidential_until=until)
    report.refresh_from_db()
    return report


def test_an_editor_marks_a_report_secret_with_its_period_and_it_is_an_event(cast, client_for):
    report = make_report(cast, state="submitted")
    response = mark(client_for(cast.editor), report, level="secret", until=LATER.isoformat())
    page = response.content.decode()
    report.refresh_from_db()
    assert (report.confidentiality, report.confidential_until) == ("secret", LATER)
    assert report.is_confidential
    assert f"密级已设为秘密（至{LATER.isoformat()}）" in page
    # The workbench it returns to shows the marking in the header.
    assert f"保密期限至{LATER:%Y-%m-%d}" in page
    event = Event.objects.get(verb="mark_confidentiality", report_id=report.pk)
    assert event.actor == cast.editor
    assert event.payload["before"] == "普通"
    assert event.payload["after"] == "secret"
    assert event.payload["until"] == LATER.isoformat()


def test_an_approver_may_mark_and_unmark_and_each_change_is_on_record(cast, client_for):
    report = make_report(cast, state="awaiting_sign_off")
    client = client_for(cast.approver)
    mark(client, report, level="internal")
    report.refresh_from_db()
    assert report.confidentiality == "internal"
    response = mark(client, report, level="")
    report.refresh_from_db()
    assert report.confidentiality == "" and not report.is_confidential
    assert "密级已设为普通" in response.content.decode()
    payloads = [
        e.payload["change"]
        for e in Event.objects.filter(verb="mark_confidentiality", report_id=report.pk)
    ]
    assert payloads == ["普通 → 内部", "内部 → 普通"]


@pytest.mark.parametrize("who", ["member", "liaison", "leader", "officer"])
def test_no_one_outside_the_office_may_mark_and_nothing_changes(cast, client_for, who):
    report = make_report(cast, state="accepted")
    response = client_for(getattr(cast, who)).post(
        reverse("office:confidentiality", args=[report.pk]), {"level": "internal"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.confidentiality == ""
    assert not Event.objects.filter(verb="mark_confidentiality").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level": "secret"}, "标注为“秘密”须填写保密期限。"),
        ({"level": "secret", "until": "2020-01-01"}, "保密期限须晚于今天。"),
        ({"level": "secret", "until": "明年"}, "保密期限须为日期"),
        ({"level": "", "until": LATER.isoformat()}, "未标注密级的信息不能填写保密期限。"),
        ({"level": "top"}, "选择一个有效的选项"),
    ],
)
def test_a_bad_marking_is_refused_in_chinese_and_nothing_changes(cast, client_for, data, message):
    report = make_report(cast, state="accepted")
    response = mark(client_for(cast.editor), report, **data)
    assert message in response.content.decode()
    report.refresh_from_db()
    assert (report.confidentiality, report.confidential_until) == ("", None)
    assert not Event.objects.filter(verb="mark_confidentiality").exists()


def test_an_author_may_only_ask_for_a_marking_and_the_office_sees_the_request(cast, client_for):
    report = make_report(cast)
    client = client_for(cast.member)
    form = client.get(reverse("reports:edit", args=[report.pk]))
    assert "建议密级" in form.content.decode()
    Report.objects.filter(pk=report.pk).update(confidentiality_requested="internal")
    report = make_report(cast, state="submitted")
    Report.objects.filter(pk=report.pk).update(confidentiality_requested="secret")
    page = client_for(cast.editor).get(reverse("office:workbench", args=[report.pk]))
    assert "作者建议标注为“秘密”，请研究室决定。" in page.content.decode()
    report.refresh_from_db()
    assert report.confidentiality == ""  # asking marks nothing


def test_members_do_not_find_marked_reports_in_search_but_the_office_does(cast, client_for):
    open_one = make_report(cast, state="submitted", title="关于社区食堂运营的建议")
    secret = marked(cast, title="关于社区食堂资金缺口的情况")
    for report in (open_one, secret):
        index_report(report)

    def found(user) -> set[int]:
        response = client_for(user).get(reverse("search:results"), {"q": "社区食堂"})
        return {hit.report.pk for hit in response.context["page"]}

    # Its author finds it (the cast's reports are 张明's); the unit's liaison and other
    # members do not: the liaison reaches it through the unit's list.
    assert secret.created_by == cast.member
    assert found(cast.member) == {open_one.pk, secret.pk}
    assert found(cast.officer) == set()  # same unit, not an author: not even visible
    assert found(cast.outsider) == set()
    assert found(cast.liaison) == {open_one.pk}
    assert found(cast.editor) == {open_one.pk, secret.pk}
    page = client_for(cast.editor).get(reverse("search:results"), {"q": "社区食堂"})
    assert f"秘密（保密期限至{LATER:%Y-%m-%d}）" in page.content.decode()


def test_a_co_signer_finds_the_marked_report_he_signed_and_others_do_not(cast, client_for):
    secret = marked(cast, level="internal", title="关于社区食堂资金缺口的情况")
    ReportAuthor.objects.create(report=secret, member=cast.outsider.member, position=2)
    index_report(secret)

    def found(user) -> set[int]:
        response = client_for(user).get(reverse("search:results"), {"q": "社区食堂"})
        return {hit.report.pk for hit in response.context["page"]}

    assert found(cast.outsider) == {secret.pk}
    assert found(cast.member) == {secret.pk}
    assert found(cast.leader) == set()


def test_similar_report_hints_leave_marked_reports_out_for_members_not_even_counted(cast):
    earlier = marked(cast, level="internal")
    settle()
    text = report_text(earlier)
    for_member = similar_for(cast.outsider, text)
    assert for_member.total == 0
    for_editor = similar_for(cast.editor, text)
    assert [m.report.pk for m in for_editor.visible] == [earlier.pk]


def test_exports_mark_every_marked_row_and_the_event_counts_them(cast, client_for):
    plain = make_report(cast, state="accepted", title="普通的一篇")
    secret = marked(cast, title="秘密的一篇")
    response = client_for(cast.editor).get(reverse("exchange:export_reports"))
    rows = read_sheet(response.getvalue())
    assert rows[0][-1] == "密级"
    by_title = {row[0]: row for row in rows[1:]}
    assert by_title[secret.title][-1] == f"秘密（至{LATER.isoformat()}）"
    assert by_title[plain.title][-1] == ""
    event = Event.objects.filter(verb="export").latest("id")
    assert event.payload["marked_rows"] == 1


def test_downloads_of_a_marked_report_say_so_in_their_event(
    cast, client_for, tmp_path, monkeypatch
):
    monkeypatch.setattr(attachment_storage, "_location", str(tmp_path / "files"))
    for cached in ("base_location", "location"):
        attachment_storage.__dict__.pop(cached, None)
    report = marked(cast)
    upload = SimpleUploadedFile("说明.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    attachment = do_add_attachment(report, cast.editor, upload)
    client = client_for(cast.editor)
    response = client.get(reverse("reports:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    response = client.get(reverse("documents:report_docx", args=[report.pk]))
    assert response.status_code == 200
    events = Event.objects.filter(verb="download", report_id=report.pk).order_by("id")
    assert [e.payload["what"] for e in events] == ["attachment", "report_docx"]
    for event in events:
        assert event.payload["confidentiality"] == "secret"
        assert event.payload["marking"] == f"秘密（至{LATER.isoformat()}）"
    for cached in ("base_location", "location"):
        attachment_storage.__dict__.pop(cached, None)
    assert Attachment.objects.filter(report=report).count() == 1


def test_an_unmarked_reports_download_carries_no_marking(cast, client_for):
    report = make_report(cast, state="accepted")
    client_for(cast.editor).get(reverse("documents:report_docx", args=[report.pk]))
    event = Event.objects.get(verb="download", report_id=report.pk)
    assert "confidentiality" not in event.payload


def test_the_chase_list_marks_a_marked_report_and_its_export_event_counts_it(cast, client_for):
    from minyi.outcomes.models import Forwarding

    report = make_report(cast, state="published", title="久未反馈的秘密建议")
    Report.objects.filter(pk=report.pk).update(confidentiality="internal")
    Forwarding.objects.filter(report=report).update(
        forwarded_at=timezone.now() - dt.timedelta(days=60)
    )
    recipient = Forwarding.objects.filter(report=report).first().recipient
    response = client_for(cast.editor).get(reverse("outcomes:chase_xlsx", args=[recipient.pk]))
    rows = read_sheet(response.content)
    assert rows[1][-1] == "密级"
    assert rows[2][2] == report.title and rows[2][-1] == "内部"
    assert Event.objects.get(verb="export").payload["marked_rows"] == 1


def test_the_members_writing_assistant_does_not_count_a_marked_report(cast, client_for):
    earlier = marked(cast, level="internal")
    settle()
    text = {k: getattr(earlier, k) for k in ("title", "situation", "analysis", "suggestions")}
    response = client_for(cast.outsider).post(reverse("reports:assist"), text)
    assert response.status_code == 200
    assert response.context["similar"].total == 0
    Report.objects.filter(pk=earlier.pk).update(confidentiality="", confidential_until=None)
    response = client_for(cast.outsider).post(reverse("reports:assist"), text)
    # Unmarked, it counts (hidden from the outsider, who may not read it).
    assert response.context["similar"].total == 1


def test_an_issues_download_names_the_marked_reports_it_prints(cast, client_for):
    from minyi.bulletins.models import IssueItem

    report = make_report(cast, state="published", title="编入刊物的内部信息")
    Report.objects.filter(pk=report.pk).update(confidentiality="internal")
    issue = IssueItem.objects.get(report=report).issue
    response = client_for(cast.editor).get(reverse("documents:issue_docx", args=[issue.pk]))
    assert response.status_code == 200
    event = Event.objects.get(verb="download", payload__what="issue_docx")
    assert event.payload["marked_reports"] == [f"{report.serial} 内部"]
