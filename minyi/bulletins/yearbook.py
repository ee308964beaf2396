"""汇编 (yearbook): a year's issues of one series compiled into one official-format document.

Layout: a cover (the series name in red, ``2026年汇编``, the compiling office and
date), a 目录 that lists every issue by number and each of its items with the
page it starts on, then each issue as it went out (版头, items, 版记), each on a
new page. A voided number is listed in the 目录 with its reason, so the yearly
index shows no silent gap. Page numbers in the 目录 are PAGEREF fields to a
bookmark on each title: Word and LibreOffice fill them in when laying out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from minyi.bulletins.gbt9704 import (
    FANGSONG,
    HEITI,
    RED,
    SIZE_ERHAO,
    SIZE_MASTHEAD,
    SIZE_SANHAO,
    XIAOBIAOSONG,
    add_field,
    add_paragraph,
    add_run,
    chinese_date,
    document_bytes,
    new_document,
    off_grid,
)
from minyi.bulletins.masthead import (
    TEXT_WIDTH,
    draw_imprint,
    draw_masthead,
    issue_imprint,
    issue_masthead,
)
from minyi.bulletins.models import Issue, IssueState
from minyi.bulletins.render import add_item, issue_items
from minyi.core import clock

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

    from minyi.bulletins.models import Bulletin


def yearbook_issues(bulletin: Bulletin, year: int) -> list[Issue]:
    """The year's numbered issues in number order: issued, and voided ones for the index."""
    states = [IssueState.ISSUED, IssueState.VOIDED]
    return list(
        Issue.objects.filter(bulletin=bulletin, year=year, state__in=states)
        .exclude(number=None)
        .select_related("bulletin", "approver")
        .prefetch_related("issue_recipients__recipient")
        .order_by("number")
    )


def render_yearbook_docx(bulletin: Bulletin, year: int) -> bytes:
    """The yearbook as a .docx; an empty year still gives a cover and an empty 目录."""
    issues = yearbook_issues(bulletin, year)
    doc = new_document(title=f"{bulletin.name}{year}年汇编")
    # The cover carries no page number; the count still starts there, as printed.
    doc.sections[0].different_first_page_header_footer = True
    # Word fills the 目录's PAGEREF fields only when asked to update fields on opening;
    # LibreOffice computes them itself when it lays the PDF out.
    _ask_to_update_fields(doc)
    _cover(doc, bulletin, year)
    contents = [(issue, list(issue_items(issue))) for issue in issues]
    _contents(doc, contents)
    bookmark = 0
    for issue, items in contents:
        if issue.state != IssueState.ISSUED:
            continue
        reports = [item.report for item in items]
        first = len(doc.paragraphs)
        draw_masthead(doc, issue_masthead(issue, reports, None))
        doc.paragraphs[first].paragraph_format.page_break_before = True
        for index, report in enumerate(reports):
            if index:
                add_paragraph(doc, "", FANGSONG, SIZE_SANHAO)
            bookmark += 1
            start = len(doc.paragraphs)
            add_item(doc, report)
            _bookmark(doc.paragraphs[start], _anchor(bookmark), bookmark)
        draw_imprint(doc, issue_imprint(issue))
    return document_bytes(doc)


#: What follows w:updateFields in w:settings (ECMA-376 §17.15.1.78); Word rejects other orders.
SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip


def _ask_to_update_fields(doc: DocxDocument) -> None:
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.insert_element_before(update, *SETTINGS_AFTER_UPDATE_FIELDS)


def _cover(doc: DocxDocument, bulletin: Bulletin, year: int) -> None:
    for _ in range(3):
        add_paragraph(doc, "", FANGSONG, SIZE_SANHAO)
    name = add_paragraph(doc, bulletin.name, XIAOBIAOSONG, SIZE_MASTHEAD, color=RED)
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    off_grid(name)
    name.paragraph_format.line_spacing = Pt(60)
    title = add_paragraph(doc, f"{year}年汇编", XIAOBIAOSONG, SIZE_ERHAO)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    off_grid(title)
    title.paragraph_format.line_spacing = Pt(40)
    for _ in range(8):
        add_paragraph(doc, "", FANGSONG, SIZE_SANHAO)
    publisher = bulletin.publisher or f"{settings.HOST_NAME}研究室"
    for text in (f"{publisher}编", chinese_date(clock.localdate())):
        p = add_paragraph(doc, text, FANGSONG, SIZE_SANHAO)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _contents(doc: DocxDocument, contents: list[tuple[Issue, list]]) -> None:
    """目录: each issue's number in 黑体, its items' titles with a dotted leader to the page."""
    heading = add_paragraph(doc, "目　录", XIAOBIAOSONG, SIZE_ERHAO)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.page_break_before = True
    off_grid(heading)
    heading.paragraph_format.space_after = Pt(14)
    if not contents:
        add_paragraph(doc, "本年度没有已印发的期次。", FANGSONG, SIZE_SANHAO, indent=True)
    bookmark = 0
    for issue, items in contents:
        number = f"{issue.year}年第{issue.number}期"
        if issue.cumulative_number:
            number += f"（总第{issue.cumulative_number}期）"
        if issue.state != IssueState.ISSUED:
            reason = issue.void_reason or "未说明理由"
            add_paragraph(doc, f"{number}　已作废：{reason}", HEITI, SIZE_SANHAO)
            continue
        add_paragraph(doc, number, HEITI, SIZE_SANHAO)
        for item in items:
            bookmark += 1
            _contents_line(doc, item.report.title, _anchor(bookmark))


def _contents_line(doc: DocxDocument, title: str, anchor: str) -> None:
    p = add_paragraph(doc, title, FANGSONG, SIZE_SANHAO)
    p.paragraph_format.left_indent = Pt(32)
    p.paragraph_format.tab_stops.add_tab_stop(
        TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )
    add_run(p, "\t", FANGSONG, SIZE_SANHAO)
    add_field(p, f"PAGEREF {anchor} \\h", "—", FANGSONG, SIZE_SANHAO)


def _anchor(number: int) -> str:
    return f"_Item{number}"


def _bookmark(p: Paragraph, name: str, number: int) -> None:
    """Wrap the paragraph's content in a bookmark the 目录's PAGEREF points at."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    first_run = p._p.find(qn("w:r"))
    if first_run is None:
        p._p.append(start)
    else:
        first_run.addprevious(start)
    p._p.append(end)
