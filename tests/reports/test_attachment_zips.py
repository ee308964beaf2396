"""Word and Excel attachments are checked as zip containers before anything is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from minyi.reports.models import Attachment, attachment_storage
from tests.core.zips import real_docx, real_xlsx, with_member, zeros_bomb
from tests.factories import make_report
from tests.reports.test_attachments import storage, stored_files, upload  # noqa: F401 (a fixture)

# A fresh folder for the attachment storage, as in test_attachments.
pytestmark = pytest.mark.usefixtures("storage")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("材料.docx", zeros_bomb(200), "解压后共 200 MB"),
        ("数据.xlsx", zeros_bomb(20, "xl/worksheets/sheet1.xml"), "压缩比异常"),
        ("材料.docx", with_member(real_docx(), "word/embeddings/表.xlsx", real_xlsx()), "嵌有"),
        ("数据.xlsx", with_member(real_xlsx(), "xl/media/a.png", b"PK\x03\x04..."), "嵌有"),
        ("材料.docx", b"PK\x03\x04" + bytes(40), "已损坏"),
    ],
)
def test_it_refuses_bombs_and_nested_archives_and_stores_nothing(
    cast,
    client_for,
    name,
    content,
    message,
):
    report = make_report(cast)
    response = upload(client_for(cast.member), report, name, content, follow=True)
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(Path(attachment_storage.location)) == []


def test_it_stores_genuine_word_and_excel_files(cast, client_for):
    report = make_report(cast)
    client = client_for(cast.member)
    upload(client, report, "材料.docx", real_docx())
    upload(client, report, "数据.xlsx", real_xlsx())
    assert Attachment.objects.count() == 2
    assert len(stored_files(Path(attachment_storage.location))) == 2
