"""Every document served for download is one ``download`` event with who, from where and what."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minyi.audit.models import Event, verify_chain
from minyi.bulletins import views_documents
from minyi.reports.actions import do_submit
from minyi.reports.attachments import do_add_attachment
from minyi.reports.models import attachment_storage
from minyi.scoring.actions import do_create_notice
from tests.factories import make_report, publish

ADDRESS = "198.51.100.23"
BROWSER = "Mozilla/5.0 (X11; Linux) 下载测试"
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture(autouse=True)
def storage(tmp_path, monkeypatch) -> Path:
    """Attachments in a fresh folder (the storage is bound at import time)."""
    folder = tmp_path / "files"
    monkeypatch.setattr(attachment_storage, "_location", str(folder))
    for cached in ("base_location", "location"):
        attachment_storage.__dict__.pop(cached, None)
    yield folder
    for cached in ("base_location", "location"):
        attachment_storage.__dict__.pop(cached, None)


def fetch(client, url: str):
    response = client.get(url, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200, response.content[:300]
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def the_download() -> Event:
    (event,) = Event.objects.filter(verb="download")
    assert (event.ip, event.user_agent) == (ADDRESS, BROWSER)
    assert verify_chain() is None
    return event


def test_an_attachment_download_is_one_event_on_the_attachment(cast, client_for):
    report = make_report(cast)
    upload = SimpleUploadedFile("现场照片说明.pdf", PDF)
    attachment = do_add_attachment(report, cast.member, upload)
    do_submit(report, cast.member)
    fetch(client_for(cast.editor), reverse("reports:attachment", args=[attachment.pk]))
    event = the_download()
    assert event.actor == cast.editor
    assert (event.object_type, event.object_id) == ("reports.attachment", str(attachment.pk))
    assert event.report_id == report.pk
    assert event.payload == {"what": "attachment", "name": "现场照片说明.pdf", "size": len(PDF)}


def test_a_refused_attachment_download_leaves_no_event(cast, client_for):
    report = make_report(cast)  # a draft: its author's alone
    attachment = do_add_attachment(report, cast.member, SimpleUploadedFile("a.pdf", PDF))
    response = client_for(cast.editor).get(reverse("reports:attachment", args=[attachment.pk]))
    assert response.status_code == 404
    assert not Event.objects.filter(verb="download").exists()


def test_a_report_docx_is_one_event_on_the_report(cast, client_for):
    report = make_report(cast, state="submitted")
    fetch(client_for(cast.editor), reverse("documents:report_docx", args=[report.pk]))
    event = the_download()
    assert event.actor == cast.editor
    assert (event.object_type, event.object_id, event.report_id) == (
        "reports.report",
        str(report.pk),
        report.pk,
    )
    assert event.payload["what"] == "report_docx"
    assert event.payload["name"] == f"{report.title}.docx"


def test_an_issue_docx_is_one_event_on_the_issue(cast, client_for):
    issue = publish(cast, [make_report(cast, state="signed_off")])
    fetch(client_for(cast.leader), reverse("documents:issue_docx", args=[issue.pk]))
    event = the_download()
    assert event.actor == cast.leader
    assert (event.object_type, event.object_id) == ("bulletins.issue", str(issue.pk))
    assert event.payload["what"] == "issue_docx"
    assert event.payload["name"].endswith(f"第{issue.number}期.docx")


def test_a_served_pdf_is_on_record_and_an_unavailable_one_is_not(cast, client_for, monkeypatch):
    issue = publish(cast, [make_report(cast, state="signed_off")])
    client = client_for(cast.editor)
    monkeypatch.setattr(views_documents, "pdf_available", lambda: False)
    response = client.get(reverse("documents:issue_pdf", args=[issue.pk]))
    assert response.status_code == 503
    assert not Event.objects.filter(verb="download").exists()

    monkeypatch.setattr(views_documents, "pdf_available", lambda: True)
    monkeypatch.setattr(views_documents, "docx_to_pdf", lambda docx: PDF)
    fetch(client, reverse("documents:issue_pdf", args=[issue.pk]))
    event = the_download()
    assert event.payload["what"] == "issue_pdf"
    assert event.payload["name"].endswith(".pdf")


def test_the_annual_notice_docx_is_one_event_on_the_notice(cast, client_for):
    notice = do_create_notice(cast.editor, 2026)
    fetch(client_for(cast.editor), reverse("scoring:notice_docx", args=[notice.pk]))
    event = the_download()
    assert event.actor == cast.editor
    assert (event.object_type, event.object_id) == ("scoring.annualnotice", str(notice.pk))
    assert event.payload == {"what": "notice_docx", "name": "notice-2026.docx", "year": 2026}


def test_downloads_stay_out_of_the_reports_timeline(cast, client_for):
    report = make_report(cast, state="submitted")
    fetch(client_for(cast.editor), reverse("documents:report_docx", args=[report.pk]))
    assert Event.objects.filter(verb="download", report_id=report.pk).exists()
    pages = [
        (cast.member, reverse("reports:detail", args=[report.pk])),
        (cast.editor, reverse("office:workbench", args=[report.pk])),
    ]
    for user, url in pages:
        response = client_for(user).get(url)
        assert response.status_code == 200
        verbs = [event.verb for event in response.context["events"]]
        assert "submit" in verbs and "download" not in verbs
