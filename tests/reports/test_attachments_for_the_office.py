"""Attachments reach the office: listed on the workbench, the sign-off page and the leader's
reader, previewed inline (PDF, images) after the access check, and added on the first save."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minyi.audit.models import Event
from minyi.reports.actions import do_claim
from minyi.reports.attachments import do_add_attachment
from minyi.reports.models import Attachment, Report, attachment_storage
from tests.core.zips import real_docx
from tests.factories import REPORT_TEXT, make_report

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture(autouse=True)
def storage(tmp_path, monkeypatch):
    folder = tmp_path / "files"
    monkeypatch.setattr(attachment_storage, "_location", str(folder))
    for cached in ("base_location", "location"):
        attachment_storage.__dict__.pop(cached, None)
    yield folder
    for cached in ("base_location", "location"):
        attachment_storage.__dict__.pop(cached, None)


def attach(report: Report, user, name: str, content: bytes) -> Attachment:
    return do_add_attachment(report, user, SimpleUploadedFile(name, content))


@pytest.fixture
def with_files(cast):
    """A draft with a PDF and a Word file from the member, then submitted."""
    report = make_report(cast)
    attach(report, cast.member, "evidence.pdf", PDF)
    attach(report, cast.member, "数据表.docx", real_docx())
    from minyi.reports.actions import do_submit

    do_submit(report, cast.member)
    return report


def test_the_workbench_lists_the_members_attachments(cast, client_for, with_files):
    page = client_for(cast.editor).get(reverse("office:workbench", args=[with_files.pk]))
    html = page.content.decode()
    pdf = Attachment.objects.get(original_name="evidence.pdf")
    assert "附件（2）" in html and "evidence.pdf" in html and "数据表.docx" in html
    assert ">PDF<" in html and ">Word<" in html and "张明" in html  # type and uploader
    assert reverse("reports:attachment", args=[pdf.pk]) in html
    # An inline preview for the PDF only.
    assert html.count('class="attachment-preview"') == 1
    assert reverse("reports:attachment_preview", args=[pdf.pk]) in html


def test_the_sign_off_page_lists_them_too(cast, client_for, with_files):
    from minyi.reports.workflow import transition

    transition(with_files, "accept", cast.editor)
    transition(with_files, "send_for_sign_off", cast.editor)
    html = client_for(cast.approver).get(reverse("office:review", args=[with_files.pk]))
    assert "evidence.pdf" in html.content.decode()


def test_the_leaders_reader_lists_the_attachments_of_each_item(cast, client_for):
    from tests.factories import publish

    report = make_report(cast, state="signed_off")
    Attachment.objects.create(
        report=report,
        file=ContentFile(PNG, name="p.png"),
        original_name="现场照片.png",
        size=len(PNG),
        content_type="image/png",
        uploaded_by=cast.member,
    )
    issue = publish(cast, [report])
    html = client_for(cast.leader).get(reverse("bulletins:detail", args=[issue.pk]))
    page = html.content.decode()
    photo = Attachment.objects.get(original_name="现场照片.png")
    assert "现场照片.png" in page and "PNG 图片" in page and "张明" in page
    assert reverse("reports:attachment_preview", args=[photo.pk]) in page
    # The leader may open it.
    preview = client_for(cast.leader).get(reverse("reports:attachment_preview", args=[photo.pk]))
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    assert preview["Content-Disposition"].startswith("inline")
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in preview["Content-Security-Policy"]


def test_the_preview_serves_a_pdf_inline_to_our_own_frames_only(cast, client_for, with_files):
    pdf = Attachment.objects.get(original_name="evidence.pdf")
    before = Event.objects.filter(verb="download").count()
    response = client_for(cast.editor).get(reverse("reports:attachment_preview", args=[pdf.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    # Framed by our own pages only (PDFs carry no CSP, core.csp: X-Frame-Options guards them).
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # Viewing is on record like a download.
    event = Event.objects.filter(verb="download").latest("id")
    assert Event.objects.filter(verb="download").count() == before + 1
    assert event.payload["what"] == "attachment_preview"


def test_other_pages_stay_unframeable(cast, client_for, with_files):
    response = client_for(cast.editor).get(reverse("office:workbench", args=[with_files.pk]))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_word_file_has_no_preview(cast, client_for, with_files):
    word = Attachment.objects.get(original_name="数据表.docx")
    response = client_for(cast.editor).get(reverse("reports:attachment_preview", args=[word.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["officer", "leader", "outsider"])
def test_the_preview_is_refused_to_those_who_may_not_read_the_report(
    cast, client_for, with_files, name
):
    pdf = Attachment.objects.get(original_name="evidence.pdf")
    before = Event.objects.count()
    response = client_for(getattr(cast, name)).get(
        reverse("reports:attachment_preview", args=[pdf.pk])
    )
    assert response.status_code == 404
    assert Event.objects.count() == before


def test_a_member_adds_files_on_the_first_save(cast, client_for):
    data = {
        **REPORT_TEXT,
        "lead": cast.member.member_id,
        "submitting_unit": cast.unit.pk,
        "category": cast.category.pk,
        "urgency": "routine",
        "informant": "",
        "consent_to_publish": "yes",
        "no_consent_reason": "",
        "save": "1",
        "files": [
            SimpleUploadedFile("evidence.pdf", PDF),
            SimpleUploadedFile("照片.png", PNG),
        ],
    }
    response = client_for(cast.member).post(reverse("reports:new"), data, follow=True)
    assert "草稿已保存（附件 2 个）" in response.content.decode()
    report = Report.objects.get(title=REPORT_TEXT["title"])
    assert sorted(report.attachments.values_list("original_name", flat=True)) == [
        "evidence.pdf",
        "照片.png",
    ]


def test_a_bad_file_on_the_first_save_saves_nothing(cast, client_for, storage):
    data = {
        **REPORT_TEXT,
        "lead": cast.member.member_id,
        "submitting_unit": cast.unit.pk,
        "category": cast.category.pk,
        "urgency": "routine",
        "informant": "",
        "consent_to_publish": "yes",
        "no_consent_reason": "",
        "save": "1",
        "files": [SimpleUploadedFile("evidence.pdf", PDF), SimpleUploadedFile("virus.pdf", b"MZ")],
    }
    before = Event.objects.count()
    response = client_for(cast.member).post(reverse("reports:new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "附件“virus.pdf”" in page and "文件内容与扩展名 .pdf 不符" in page
    assert not Report.objects.exists() and not Attachment.objects.exists()
    assert Event.objects.count() == before
    assert not [p for p in storage.rglob("*") if p.is_file()] if storage.exists() else True


def test_another_editor_may_not_change_files_of_a_claimed_report(cast, client_for, with_files):
    from minyi.people.models import Role
    from tests.factories import make_user

    do_claim(with_files, cast.editor)
    second = make_user("editor2", Role.EDITOR, display_name="孙编辑")
    file = SimpleUploadedFile("more.pdf", PDF)
    response = client_for(second).post(
        reverse("reports:attach", args=[with_files.pk]), {"file": file}, follow=True
    )
    assert "该稿件已由赵编辑认领处理" in response.content.decode()
    assert with_files.attachments.count() == 2
