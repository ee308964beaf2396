"""Uploading, downloading and removing attachments, over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minyi.audit.models import Event
from minyi.reports.models import Attachment, attachment_storage
from tests.core.zips import real_docx
from tests.factories import make_report

PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
DOCX = real_docx()  # a real container: Office files are checked as zips (core.zipcheck)


@pytest.fixture(autouse=True)
def storage(tmp_path, monkeypatch) -> Path:
    """Point the attachment storage at a fresh folder (it is bound at import time)."""
    folder = tmp_path / "files"
    monkeypatch.setattr(attachment_storage, "_location", str(folder))
    for cached in ("base_location", "location"):
        attachment_storage.__dict__.pop(cached, None)
    yield folder
    for cached in ("base_location", "location"):
        attachment_storage.__dict__.pop(cached, None)


def stored_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def upload(client, report, name: str, content: bytes, **extra):
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("reports:attach", args=[report.pk]), {"file": file}, **extra)


def test_it_stores_a_pdf_and_lets_the_readers_download_it(cast, client_for, storage):
    report = make_report(cast)
    response = upload(client_for(cast.member), report, "情况说明.pdf", PDF, follow=True)
    attachment = Attachment.objects.get(report=report)
    assert "已上传附件“情况说明.pdf”" in response.content.decode()
    assert attachment.content_type == "application/pdf"
    assert Event.objects.filter(verb="attach", report_id=report.pk).exists()
    # Stored under a random name, never the user's.
    assert "情况说明" not in attachment.file.name
    assert len(stored_files(storage)) == 1

    download = client_for(cast.member).get(reverse("reports:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment;" in download["Content-Disposition"]
    assert "filename*=utf-8''" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("病毒.exe", b"MZ\x90\x00", "不支持该文件类型"),
        ("伪装.pdf", b"MZ\x90\x00fake", "文件内容与扩展名 .pdf 不符"),
        ("伪装.docx", PDF, "文件内容与扩展名 .docx 不符"),
        ("照片.jpg", PNG, "文件内容与扩展名 .jpg 不符"),
        ("空文件.pdf", b"", "文件是空的"),
    ],
)
def test_it_refuses_bad_files_and_stores_nothing(cast, client_for, storage, name, content, message):
    report = make_report(cast)
    response = upload(client_for(cast.member), report, name, content, follow=True)
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(storage) == []


def test_it_refuses_a_file_over_the_size_limit(cast, client_for, storage, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    report = make_report(cast)
    response = upload(client_for(cast.member), report, "大.pdf", PDF + b"0" * 1024, follow=True)
    assert "文件太大" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(storage) == []
    upload(client_for(cast.member), report, "小.pdf", PDF)
    assert Attachment.objects.count() == 1


def test_it_accepts_png_and_docx(cast, client_for):
    report = make_report(cast)
    client = client_for(cast.member)
    upload(client, report, "图.PNG", PNG)
    upload(client, report, "材料.docx", DOCX)
    assert sorted(Attachment.objects.values_list("original_name", flat=True)) == [
        "图.PNG",
        "材料.docx",
    ]


def test_it_returns_only_the_list_to_htmx(cast, client_for):
    report = make_report(cast)
    response = upload(client_for(cast.member), report, "a.pdf", PDF, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="attachments"')
    assert "a.pdf" in html


def test_it_lets_editors_attach_while_the_office_handles_the_report(cast, client_for):
    report = make_report(cast, state="submitted")
    assert upload(client_for(cast.member), report, "晚了.pdf", PDF).status_code == 404
    assert upload(client_for(cast.editor), report, "编辑补充.pdf", PDF).status_code == 302
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["编辑补充.pdf"]


def test_it_hides_attachments_from_those_who_may_not_see_the_report(cast, client_for):
    report = make_report(cast)
    upload(client_for(cast.member), report, "内部.pdf", PDF)
    attachment = Attachment.objects.get()
    url = reverse("reports:attachment", args=[attachment.pk])
    assert client_for(cast.liaison).get(url).status_code == 200
    for name in ("outsider", "officer", "leader", "editor"):
        assert client_for(getattr(cast, name)).get(url).status_code == 404, name
    assert upload(client_for(cast.outsider), report, "x.pdf", PDF).status_code == 404


def test_it_removes_an_attachment_and_its_file(
    cast, client_for, storage, django_capture_on_commit_callbacks
):
    report = make_report(cast)
    upload(client_for(cast.member), report, "删掉.pdf", PDF)
    attachment = Attachment.objects.get()
    url = reverse("reports:remove_attachment", args=[attachment.pk])
    assert client_for(cast.outsider).post(url).status_code == 404
    assert Attachment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.member).post(url)
    assert not Attachment.objects.exists()
    assert stored_files(storage) == []
    assert Event.objects.filter(verb="remove_attachment", report_id=report.pk).exists()
