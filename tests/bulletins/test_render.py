"""The official-format DOCX of an issue and of a report, parsed back with python-docx."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from minyi.bulletins.render import render_issue_docx, render_report_docx
from minyi.reports.actions import do_save_text
from minyi.reports.workflow import transition
from tests.factories import REPORT_TEXT, make_report, publish

pytestmark = pytest.mark.django_db

RED_HEX = "E60012"


def parse(data: bytes):
    return Document(io.BytesIO(data))


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def run_with(doc, text: str):
    return next(r for p in doc.paragraphs for r in p.runs if text in r.text)


def heading_run(doc, text: str):
    """The run that is exactly ``text`` (a title, not its line in the 目录)."""
    return next(r for p in doc.paragraphs for r in p.runs if r.text == text)


@pytest.fixture
def issued(cast):
    first = make_report(cast, state="signed_off")
    second = make_report(
        cast,
        state="signed_off",
        title="关于规范校外培训机构收费的建议",
        situation="部分培训机构预收费用超过三个月。",
        analysis="监管存在盲区。",
        suggestions="建立预收费资金监管账户。",
    )
    return publish(cast, [first, second])


def test_it_puts_the_red_masthead_number_and_publisher_on_top(cast, issued):
    doc = parse(render_issue_docx(issued))
    lines = texts(doc)
    assert lines[0] == "社情民意"
    masthead = doc.paragraphs[0].runs[0]
    assert str(masthead.font.color.rgb) == RED_HEX
    assert masthead.font.size > Pt(30)
    # Addressed to 全国政协 (上行文): the number flush left, 签发人 flush right on its line.
    number = f"{issued.year}年第{issued.number}期（总第{issued.cumulative_number}期）"
    assert lines[1] == f"{number}\t签发人：钱秘书长"
    day = timezone.localdate(issued.signed_off_at)
    assert lines[2] == f"{settings.HOST_NAME}研究室编\t{day.year}年{day.month}月{day.day}日"
    # The red rule under the masthead is the publisher line's bottom border.
    bottom = doc.paragraphs[2]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == RED_HEX


def test_it_prints_each_item_title_byline_and_text(cast, issued):
    lines = texts(parse(render_issue_docx(issued)))
    for expected in (
        REPORT_TEXT["title"],
        REPORT_TEXT["situation"],
        REPORT_TEXT["suggestions"],
        "关于规范校外培训机构收费的建议",
        "建立预收费资金监管账户。",
        "民盟市委　张明",
    ):
        assert expected in lines
    # Items keep the order they were composed in.
    assert lines.index(REPORT_TEXT["title"]) < lines.index("关于规范校外培训机构收费的建议")


def test_it_uses_the_current_edited_text(cast):
    report = make_report(cast, state="submitted")
    transition(report, "accept", cast.editor)
    edited = {**report.text_fields(), "title": "关于社区养老床位缺口的建议（编辑稿）"}
    do_save_text(report, cast.editor, fields=edited, base_revision=report.revision_number)
    report.refresh_from_db()
    lines = texts(parse(render_report_docx(report)))
    assert "关于社区养老床位缺口的建议（编辑稿）" in lines
    assert REPORT_TEXT["title"] not in lines


def test_it_sets_gb_page_margins_and_a4(cast, issued):
    section = parse(render_issue_docx(issued)).sections[0]
    expected = {"top_margin": 37, "bottom_margin": 35, "left_margin": 28, "right_margin": 26}
    for name, mm in expected.items():
        assert abs(getattr(section, name).mm - mm) < 0.5, name
    assert abs(section.page_width.mm - 210) < 0.5
    assert abs(section.page_height.mm - 297) < 0.5


def test_it_sets_body_type_16pt_fangsong_with_exact_line_pitch(cast, issued):
    doc = parse(render_issue_docx(issued))
    run = run_with(doc, REPORT_TEXT["situation"])
    assert run.font.size == Pt(16)
    fonts = run._element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    fmt = run._parent.paragraph_format
    # Body paragraphs inherit the exact 28.95 pt pitch (28 lines a page) from Normal.
    assert fmt.line_spacing is None
    normal = doc.styles["Normal"].paragraph_format
    assert round(normal.line_spacing.pt, 2) == 28.95
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    # Two characters of 三号 (16 pt) as first-line indent.
    assert fmt.first_line_indent == Pt(32)
    title = heading_run(doc, REPORT_TEXT["title"])._element.rPr.rFonts.get(qn("w:eastAsia"))
    assert title == "方正小标宋简体"
    byline = run_with(doc, "民盟市委")._element.rPr.rFonts.get(qn("w:eastAsia"))
    assert byline.startswith("楷体")


def test_it_sets_the_east_asian_font_on_every_run(cast, issued):
    doc = parse(render_issue_docx(issued))
    runs = [r for p in doc.paragraphs for r in p.runs]
    runs += [r for p in doc.sections[0].footer.paragraphs for r in p.runs]
    assert len(runs) > 10
    missing = [r.text for r in runs if r._element.rPr.rFonts.get(qn("w:eastAsia")) is None]
    assert missing == []


def test_it_declares_font_fallbacks_in_the_font_table(cast, issued):
    data = render_issue_docx(issued)
    doc = parse(data)
    table = doc.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    ).blob.decode()
    assert 'w:name="方正小标宋简体"' in table
    assert "华文中宋" in table and "仿宋,FangSong" in table


def test_it_numbers_pages_with_a_page_field_in_the_footer(cast, issued):
    footer = parse(render_issue_docx(issued)).sections[0].footer.paragraphs[0]
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert footer.text == "— 1 —"


def test_it_ends_with_recipients_issuing_office_and_print_date(cast, issued):
    lines = texts(parse(render_issue_docx(issued)))
    assert "主送：全国政协。" in lines
    assert "抄送：市委。" in lines
    day = timezone.localdate(issued.signed_off_at)
    # 印发机关 and 印发日期 share the 版记's last line (GB/T 9704 §8.3).
    assert lines[-1] == f"{settings.HOST_NAME}研究室\t{day.year}年{day.month}月{day.day}日印发"


def test_it_marks_a_draft_issue_as_not_yet_signed(cast):
    from minyi.bulletins.actions import do_create_issue

    issue = do_create_issue(cast.bulletin, cast.editor)
    lines = texts(parse(render_issue_docx(issue)))
    assert lines[1] == "（待编号）"
    assert lines[-1] == f"{settings.HOST_NAME}研究室\t（尚未签发）"
    assert not any(line.startswith(("主送", "签发人")) for line in lines)


def test_it_renders_a_report_with_section_headings(cast):
    report = make_report(cast, state="published")
    doc = parse(render_report_docx(report))
    lines = texts(doc)
    headings = ["一、情况", "二、原因分析", "三、意见建议"]
    positions = [lines.index(h) for h in headings]
    assert positions == sorted(positions)
    assert lines.index(REPORT_TEXT["analysis"]) == positions[1] + 1
    assert REPORT_TEXT["title"] in lines and "民盟市委　张明" in lines
    assert run_with(doc, "二、原因分析")._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert abs(doc.sections[0].top_margin.mm - 37) < 0.5
    # The 快报 item's 版头, numbered by the report's serial, not a bulletin's issue.
    assert lines[:2] == [f"{settings.HOST_NAME}社情民意信息", f"编号：{report.serial}"]
    assert not any(line == "社情民意" for line in lines)
