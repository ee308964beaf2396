"""Imports check Word and Excel files as zip containers before openpyxl or python-docx
opens them: a bomb or a nested archive is refused in Chinese and no job is made."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minyi.exchange.models import ImportJob
from tests.core.zips import real_docx, real_xlsx, with_member, zeros_bomb
from tests.exchange.conftest import DOCX, XLSX

BAD_XLSX = [
    (zeros_bomb(200, "xl/worksheets/sheet1.xml"), "解压后共 200 MB"),
    (zeros_bomb(20, "xl/worksheets/sheet1.xml"), "压缩比异常"),
    (with_member(real_xlsx(), "xl/embeddings/inner.zip", b"PK\x03\x04"), "嵌有"),
]


@pytest.mark.parametrize(("content", "message"), BAD_XLSX)
def test_the_roster_import_refuses_a_bad_container(admin, client_for, content, message):
    client = client_for(admin)
    file = SimpleUploadedFile("名册.xlsx", content, content_type=XLSX)
    response = client.post(reverse("exchange:roster_import"), {"file": file})
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(("content", "message"), BAD_XLSX)
def test_the_reports_import_refuses_a_bad_spreadsheet(cast, client_for, content, message):
    file = SimpleUploadedFile("历史信息.xlsx", content, content_type=XLSX)
    response = client_for(cast.editor).post(reverse("exchange:reports_import"), {"files": [file]})
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (zeros_bomb(200), "解压后共 200 MB"),
        (with_member(real_docx(), "word/embeddings/表.xlsx", real_xlsx()), "嵌有"),
    ],
)
def test_the_reports_import_refuses_a_bad_word_file(cast, client_for, content, message):
    files = [
        SimpleUploadedFile("好的.docx", real_docx(), content_type=DOCX),
        SimpleUploadedFile("坏的.docx", content, content_type=DOCX),
    ]
    response = client_for(cast.editor).post(reverse("exchange:reports_import"), {"files": files})
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()
