"""A bad request gets the Chinese 400 page: an upload whose file name is too long for
Django's multipart parser, a disallowed host, ids out of range."""

from __future__ import annotations

from django.urls import reverse

from minyi.reports.models import Attachment
from tests.factories import make_report

BOUNDARY = "minyi-boundary"


def _multipart_with_name(name: str) -> bytes:
    head = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    return head.encode() + b"%PDF-1.4 test\r\n" + f"--{BOUNDARY}--\r\n".encode()


def test_a_too_long_upload_name_gets_the_chinese_page_and_stores_nothing(cast, client_for):
    # 400 Chinese characters are 1,200 bytes: past the 1 KB Django allows a part's headers.
    # (The test client cuts names to 255 characters, so the body is built by hand.)
    report = make_report(cast)
    client = client_for(cast.member)
    response = client.generic(
        "POST",
        reverse("reports:attach", args=[report.pk]),
        _multipart_with_name("很长的文件名" * 67 + ".pdf"),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "文件名太长" in body and "Bad Request" not in body
    assert not Attachment.objects.exists()


def test_a_long_but_parsable_name_is_stored_cut_to_fit(cast, client_for):
    report = make_report(cast)
    client = client_for(cast.member)
    response = client.generic(
        "POST",
        reverse("reports:attach", args=[report.pk]),
        _multipart_with_name("名" * 250 + ".pdf"),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 302
    stored = Attachment.objects.get()
    assert len(stored.original_name) == 200 and stored.original_name.endswith(".pdf")


def test_other_bad_requests_get_a_chinese_page_without_django_s_english_text(client, db):
    response = client.get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    body = response.content.decode()
    assert "请求无法处理" in body and "ALLOWED_HOSTS" not in body
