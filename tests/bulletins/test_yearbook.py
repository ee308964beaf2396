"""汇编: a year's issues of a series in one document, from the page's button or the command."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from minyi.audit.models import Event
from minyi.bulletins.actions import do_void_issue
from minyi.bulletins.render import docx_to_pdf
from minyi.bulletins.yearbook import render_yearbook_docx
from tests.factories import make_report, publish

pytestmark = pytest.mark.django_db

TITLES = ("关于社区养老服务的建议", "关于校外培训收费的建议", "关于老旧小区停车的建议")


@pytest.fixture
def year_of_issues(cast):
    first = publish(cast, [make_report(cast, state="signed_off", title=t) for t in TITLES[:2]])
    second = publish(cast, [make_report(cast, state="signed_off", title=TITLES[2])])
    return first, second


def lines_of(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def doc_updates_fields(data: bytes) -> bool:
    """Word fills the PAGEREF page numbers on opening only when the settings ask it to."""
    settings = Document(io.BytesIO(data)).settings.element
    flag = settings.find(qn("w:updateFields"))
    return flag is not None and flag.get(qn("w:val")) == "true"


def test_it_compiles_a_cover_contents_and_every_issue_in_number_order(cast, year_of_issues):
    first, second = year_of_issues
    data = render_yearbook_docx(cast.bulletin, first.year)
    lines = lines_of(data)
    assert lines[3:5] == ["社情民意", f"{first.year}年汇编"]
    contents = lines.index("目　录")
    number = lines.index(f"{first.year}年第{first.number}期（总第{first.cumulative_number}期）")
    assert contents < number
    # Each title is in the 目录 once (with a PAGEREF to its bookmark) and printed once.
    for title in TITLES:
        assert lines.count(title) == 1
        assert lines.count(f"{title}\t—") == 1  # the 目录 line: title, tab, page field
    assert doc_updates_fields(data)
    assert lines.index(TITLES[0]) < lines.index(TITLES[2])
    doc = Document(io.BytesIO(data))
    refs = [t.text.strip() for t in doc.element.body.iter(qn("w:instrText"))]
    marks = [b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))]
    assert refs == [f"PAGEREF {m} \\h" for m in marks] and len(marks) == 3
    assert lines.count("社情民意") == 3  # the cover and each issue's 版头


def test_it_lists_a_voided_number_with_its_reason(cast, year_of_issues):
    first, second = year_of_issues
    do_void_issue(second, cast.approver, reason="误发，收回")
    lines = lines_of(render_yearbook_docx(cast.bulletin, first.year))
    number = f"{second.year}年第{second.number}期（总第{second.cumulative_number}期）"
    assert f"{number}　已作废：误发，收回" in lines
    assert TITLES[2] not in lines


def test_the_office_downloads_it_from_the_button(cast, client_for, year_of_issues):
    first, _ = year_of_issues
    client = client_for(cast.approver)
    assert client.get(reverse("documents:yearbook")).status_code == 200
    query = {"bulletin": cast.bulletin.pk, "year": first.year, "format": "docx"}
    response = client.get(reverse("documents:yearbook"), query)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert TITLES[1] in lines_of(body)
    event = Event.objects.get(verb="download")
    assert event.payload["what"] == "yearbook_docx" and event.payload["issues"] == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"bulletin": "", "year": "2026"}, "请选择刊物。"),
        ({"bulletin": "999999", "year": "2026"}, "没有这个刊物。"),
        ({"year": "二〇二六", "bulletin": "BUL"}, "年份须是四位数字。"),
        ({"year": "1999", "bulletin": "BUL"}, "年份须在2000年至2100年之间。"),
        (
            {"year": "2026", "bulletin": "BUL", "format": "exe"},
            "只能生成 Word（docx）或 PDF 格式。",
        ),
    ],
)
def test_it_refuses_bad_choices_in_chinese(cast, client_for, query, message):
    query = {k: (cast.bulletin.pk if v == "BUL" else v) for k, v in query.items()}
    response = client_for(cast.editor).get(reverse("documents:yearbook"), query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Event.objects.filter(verb="download").exists()


@pytest.mark.parametrize("who", ["leader", "member", "liaison", "officer", "outsider"])
def test_it_is_for_the_office_only(cast, client_for, year_of_issues, who):
    query = {"bulletin": cast.bulletin.pk, "year": year_of_issues[0].year}
    response = client_for(getattr(cast, who)).get(reverse("documents:yearbook"), query)
    assert response.status_code == 403
    assert not Event.objects.filter(verb="download").exists()


def test_the_command_writes_the_docx(cast, year_of_issues, tmp_path, capsys):
    target = tmp_path / "汇编.docx"
    year = year_of_issues[0].year
    call_command("compile_yearbook", cast.bulletin.code, str(year), "-o", str(target), "--no-pdf")
    assert "（2 期）" in capsys.readouterr().out
    assert TITLES[0] in lines_of(target.read_bytes())
    with pytest.raises(CommandError, match="没有代号为 nosuch 的刊物"):
        call_command("compile_yearbook", "nosuch", str(year))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="需要 LibreOffice")
def test_the_pdf_fills_in_the_page_numbers_of_the_contents(cast, year_of_issues, tmp_path):
    pdf = docx_to_pdf(render_yearbook_docx(cast.bulletin, year_of_issues[0].year), timeout=180)
    assert pdf is not None
    path = tmp_path / "y.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = int(
        subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
        .stdout.split("Pages:")[1]
        .split()[0]
    )
    numbers = []
    for title in TITLES:
        line = next(line for line in text.splitlines() if title in line and "." in line)
        numbers.append(int(line.rstrip().split(".")[-1]))
    # Cover, 目录, then the issues: each item starts on a page after the 目录, in order.
    assert 2 < numbers[0] <= numbers[1] < numbers[2] <= pages


def test_the_issue_list_offers_the_yearbook_button(cast, client_for):
    page = client_for(cast.editor).get(reverse("bulletins:list")).content.decode()
    assert reverse("documents:yearbook") in page
