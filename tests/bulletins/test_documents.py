"""Downloading an issue or a report as DOCX (and an issue as PDF): who may, and what arrives."""

from __future__ import annotations

import io
import shutil
from urllib.parse import quote

import pytest
from django.urls import reverse
from docx import Document

from minyi.bulletins.actions import do_create_issue
from tests.factories import REPORT_TEXT, make_report, publish

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def issue_url(issue, fmt: str = "docx") -> str:
    return reverse(f"documents:issue_{fmt}", args=[issue.pk])


def report_url(report) -> str:
    return reverse("documents:report_docx", args=[report.pk])


def lines_of(response) -> list[str]:
    body = b"".join(response.streaming_content)
    return [p.text for p in Document(io.BytesIO(body)).paragraphs]


@pytest.fixture
def issued(cast):
    return publish(cast, [make_report(cast, state="signed_off")])


def test_it_resolves_the_documents_urls():
    assert reverse("documents:issue_docx", args=[3]) == "/documents/issues/3.docx"
    assert reverse("documents:issue_pdf", args=[3]) == "/documents/issues/3.pdf"
    assert reverse("documents:report_docx", args=[3]) == "/documents/reports/3.docx"


def test_it_sends_the_issue_docx_with_a_chinese_filename(cast, client_for, issued):
    response = client_for(cast.editor).get(issue_url(issued))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    filename = f"社情民意{issued.year}年第{issued.number}期.docx"
    # RFC 5987: the UTF-8 name percent-encoded in filename*.
    assert f"filename*=utf-8''{quote(filename)}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    lines = lines_of(response)
    assert lines[0] == "社情民意"
    assert REPORT_TEXT["title"] in lines


@pytest.mark.parametrize("who", ["approver", "leader"])
def test_it_lets_approvers_and_leaders_download_an_issued_issue(cast, client_for, issued, who):
    response = client_for(getattr(cast, who)).get(issue_url(issued))
    assert response.status_code == 200
    assert "签发人：钱秘书长" in "\n".join(lines_of(response))


@pytest.mark.parametrize("who", ["member", "liaison", "outsider"])
def test_it_hides_issues_from_members_and_liaisons(cast, client_for, issued, who):
    # Even the author of an item in the issue: authors follow it on the report page.
    assert client_for(getattr(cast, who)).get(issue_url(issued)).status_code == 404


def test_it_hides_a_draft_issue_from_leaders_but_not_from_the_editor(cast, client_for):
    draft = do_create_issue(cast.bulletin, cast.editor)
    assert client_for(cast.leader).get(issue_url(draft)).status_code == 404
    response = client_for(cast.editor).get(issue_url(draft))
    assert response.status_code == 200
    assert "（待编号）" in lines_of(response)


def test_it_asks_anonymous_visitors_to_log_in(cast, client, issued):
    response = client.get(issue_url(issued))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_gives_a_member_their_own_report_but_not_another_units(cast, client_for):
    own = make_report(cast, state="submitted")
    other = make_report(
        cast,
        by=cast.outsider,
        unit=cast.other_unit,
        state="submitted",
        title="关于老旧小区加装电梯的建议",
    )
    client = client_for(cast.member)
    response = client.get(report_url(own))
    assert response.status_code == 200
    assert (
        f"filename*=utf-8''{quote(REPORT_TEXT['title'] + '.docx')}"
        in response["Content-Disposition"]
    )
    lines = lines_of(response)
    assert lines[1] == f"编号：{own.serial}"
    assert REPORT_TEXT["title"] in lines
    assert "三、意见建议" in lines and REPORT_TEXT["suggestions"] in lines
    assert client.get(report_url(other)).status_code == 404
    # The other unit's author gets theirs.
    assert client_for(cast.outsider).get(report_url(other)).status_code == 200


@pytest.mark.parametrize("who", ["editor", "approver", "liaison"])
def test_it_gives_the_office_and_the_units_liaison_the_report(cast, client_for, who):
    report = make_report(cast, state="accepted")
    response = client_for(getattr(cast, who)).get(report_url(report))
    assert response.status_code == 200
    assert REPORT_TEXT["title"] in lines_of(response)


def test_it_gives_the_report_document_to_a_leader_who_may_read_it(cast, client_for):
    report = make_report(cast, state="published")
    client = client_for(cast.leader)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200
    assert client.get(report_url(report)).status_code == 200
    # A report that has not gone out stays hidden from the leader.
    assert client.get(report_url(make_report(cast, state="accepted"))).status_code == 404


def test_it_hides_another_members_draft_even_from_the_editor(cast, client_for):
    draft = make_report(cast)
    assert client_for(cast.editor).get(report_url(draft)).status_code == 404
    assert client_for(cast.member).get(report_url(draft)).status_code == 200


def test_it_explains_in_chinese_when_libreoffice_is_missing(cast, client_for, issued, monkeypatch):
    monkeypatch.setattr("minyi.bulletins.render.shutil.which", lambda name: None)
    response = client_for(cast.editor).get(issue_url(issued, "pdf"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "生成 PDF 需要服务器安装 LibreOffice" in page
    assert issue_url(issued) in page  # offers the Word version instead


def test_it_explains_when_the_pdf_conversion_fails(cast, client_for, issued, monkeypatch):
    monkeypatch.setattr("minyi.bulletins.views_documents.pdf_available", lambda: True)
    monkeypatch.setattr("minyi.bulletins.views_documents.docx_to_pdf", lambda data: None)
    response = client_for(cast.editor).get(issue_url(issued, "pdf"))
    assert response.status_code == 503
    assert "PDF 转换没有成功" in response.content.decode()


def test_it_hides_the_pdf_from_those_who_may_not_see_the_issue(cast, client_for, issued):
    assert client_for(cast.member).get(issue_url(issued, "pdf")).status_code == 404
    draft = do_create_issue(cast.bulletin, cast.editor)
    assert client_for(cast.leader).get(issue_url(draft, "pdf")).status_code == 404


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="未安装 LibreOffice（soffice），跳过真实 PDF 转换"
)
def test_it_converts_the_issue_to_pdf_with_libreoffice(cast, client_for, issued):
    response = client_for(cast.leader).get(issue_url(issued, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    filename = f"社情民意{issued.year}年第{issued.number}期.pdf"
    assert f"filename*=utf-8''{quote(filename)}" in response["Content-Disposition"]


def test_it_gives_the_report_as_pdf_only_to_those_who_may_read_it(cast, client_for, monkeypatch):
    report = make_report(cast, state="submitted")
    url = reverse("documents:report_pdf", args=[report.pk])
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.leader).get(url).status_code == 404
    monkeypatch.setattr("minyi.bulletins.render.shutil.which", lambda name: None)
    response = client_for(cast.editor).get(url)
    assert response.status_code == 503
    page = response.content.decode()
    assert "生成 PDF 需要服务器安装 LibreOffice" in page
    assert reverse("documents:report_docx", args=[report.pk]) in page
    assert "返回稿件" in page


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="未安装 LibreOffice（soffice），跳过真实 PDF 转换"
)
def test_it_converts_the_report_to_pdf_for_its_author(cast, client_for):
    report = make_report(cast, state="submitted")
    response = client_for(cast.member).get(reverse("documents:report_pdf", args=[report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
