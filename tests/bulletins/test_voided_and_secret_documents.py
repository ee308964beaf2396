"""A voided issue's document says so in red; a 秘密 issue is downloaded only as numbered copies."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from minyi.audit.models import Event
from minyi.bulletins.actions import do_void_issue
from minyi.bulletins.gbt9704 import RED
from minyi.bulletins.models import IssueCopy
from tests.factories import make_report, publish

pytestmark = pytest.mark.django_db


def docx_paragraphs(response) -> list:
    assert response.status_code == 200
    return Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs


def test_a_voided_issues_docx_carries_a_red_void_mark_and_the_reason(cast, client_for):
    issue = publish(cast, [make_report(cast, state="signed_off")])
    url = reverse("documents:issue_docx", args=[issue.pk])
    before = [p.text for p in docx_paragraphs(client_for(cast.editor).get(url))]
    assert "本期已作废" not in before
    do_void_issue(issue, cast.approver, reason="误将内部材料编入")
    paragraphs = docx_paragraphs(client_for(cast.editor).get(url))
    mark = next(p for p in paragraphs if p.text == "本期已作废")
    assert mark.runs[0].font.color.rgb == RED
    reason = next(p for p in paragraphs if p.text.startswith("作废理由"))
    assert reason.text.endswith("：误将内部材料编入")


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="no tools")
def test_a_voided_issues_pdf_reads_as_voided(cast, client_for, tmp_path):
    issue = publish(cast, [make_report(cast, state="signed_off")])
    do_void_issue(issue, cast.approver, reason="期号编错")
    response = client_for(cast.editor).get(reverse("documents:issue_pdf", args=[issue.pk]))
    assert response.status_code == 200
    path = tmp_path / "issue.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert "本期已作废" in flat and "期号编错" in flat


@pytest.mark.parametrize("name", ["issue_docx", "issue_pdf"])
def test_a_secret_issue_has_no_unnumbered_download_and_points_to_the_register(
    cast, client_for, name
):
    report = make_report(cast, state="signed_off", confidentiality="secret")
    issue = publish(cast, [report])
    response = client_for(cast.editor).get(reverse(f"documents:{name}", args=[issue.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "份号" in page and reverse("documents:issue_copies", args=[issue.pk]) in page
    assert not Event.objects.filter(verb="download").exists()
    # A leader is told to ask the office, with no link to a register they cannot open.
    leader_page = client_for(cast.leader).get(reverse(f"documents:{name}", args=[issue.pk]))
    assert leader_page.status_code == 403
    assert "请联系信息编辑" in leader_page.content.decode()
    # A registered copy downloads with its number.
    IssueCopy.objects.create(issue=issue, number=3, holder="市委", printed_by=cast.editor)
    copy = client_for(cast.editor).get(reverse("documents:issue_copy_docx", args=[issue.pk, 3]))
    assert docx_paragraphs(copy)[0].text == "000003"


def test_a_secret_issues_page_hides_the_plain_downloads_and_points_to_the_register(
    cast, client_for
):
    issue = publish(cast, [make_report(cast, state="signed_off", confidentiality="secret")])
    docx = reverse("documents:issue_docx", args=[issue.pk])
    pdf = reverse("documents:issue_pdf", args=[issue.pk])
    for user, hint in ((cast.editor, "分发登记"), (cast.leader, "请联系信息编辑")):
        page = client_for(user).get(reverse("bulletins:detail", args=[issue.pk]))
        html = page.content.decode()
        assert page.status_code == 200
        assert docx not in html and pdf not in html
        assert "秘密级" in html and hint in html
    assert client_for(cast.editor).get(docx).status_code == 403  # still refused


def test_an_ordinary_issues_page_offers_the_plain_downloads(cast, client_for):
    issue = publish(cast, [make_report(cast, state="signed_off")])
    html = client_for(cast.editor).get(reverse("bulletins:detail", args=[issue.pk])).content
    assert reverse("documents:issue_docx", args=[issue.pk]) in html.decode()


def test_an_internal_issue_still_downloads_plainly(cast, client_for):
    issue = publish(cast, [make_report(cast, state="signed_off", confidentiality="internal")])
    response = client_for(cast.editor).get(reverse("documents:issue_docx", args=[issue.pk]))
    assert response.status_code == 200
