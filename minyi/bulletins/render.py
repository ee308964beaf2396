"""Official-format documents (公文格式, GB/T 9704-2012): a bulletin issue and a single report.

One render function per artifact, each taking a model instance and returning
bytes, so views only wrap the result in a response and tests parse it back.
The page, type and faces of GB/T 9704 are in ``gbt9704``; this module adds the
parts only bulletins have: the red masthead, the byline and the 版记.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.shared import Pt

from minyi.bulletins.gbt9704 import (
    FANGSONG,
    HEITI,
    KAITI,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    PAGE_WIDTH,
    RED,
    SIZE_MASTHEAD,
    SIZE_SANHAO,
    SIZE_SIHAO,
    XIAOBIAOSONG,
    add_border,
    add_paragraph,
    add_run,
    add_title,
    chinese_date,
    document_bytes,
    new_document,
    off_grid,
)
from minyi.bulletins.models import CopyKind
from minyi.reports.models import Revision

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from minyi.bulletins.models import Issue
    from minyi.reports.models import Report


SECTION_HEADINGS = (
    ("situation", "一、情况"),
    ("analysis", "二、原因分析"),
    ("suggestions", "三、意见建议"),
)


# --- Public API ---------------------------------------------------------------


def render_issue_docx(issue: Issue) -> bytes:
    """Render a bulletin issue: red masthead, its items, then the 版记."""
    doc = new_document(title=str(issue))
    _masthead(doc, issue)
    items = issue.items.select_related("report", "report__submitting_unit").prefetch_related(
        "report__report_authors__member",
        Prefetch("report__revisions", queryset=Revision.objects.order_by("-number")),
    )
    for index, item in enumerate(items):
        if index:
            add_paragraph(doc, "", FANGSONG, SIZE_SANHAO)  # one blank line between items
        text = current_text(item.report)
        add_title(doc, text["title"])
        _byline(doc, item.report)
        for field, _heading in SECTION_HEADINGS:
            _body(doc, text[field])
    _imprint(doc, issue)
    return document_bytes(doc)


def render_report_docx(report: Report) -> bytes:
    """Render one report for 转送 to a department: title, authors and the three sections."""
    doc = new_document(title=report.title)
    text = current_text(report)
    if report.serial:
        p = add_paragraph(doc, f"编号：{report.serial}", HEITI, SIZE_SIHAO)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_title(doc, text["title"])
    _byline(doc, report)
    for field, heading in SECTION_HEADINGS:
        if text[field].strip():
            add_paragraph(doc, heading, HEITI, SIZE_SANHAO, indent=True)
            _body(doc, text[field])
    return document_bytes(doc)


def current_text(report: Report) -> dict[str, str]:
    """The text as the office last left it: the current revision, else the report's fields."""
    revisions = report.revisions.all()  # prefetched on issues, one query for a single report
    current = next((r for r in revisions if r.number == report.revision_number), None)
    return (current or report).text_fields()


def pdf_available() -> bool:
    return shutil.which("soffice") is not None


def docx_to_pdf(data: bytes, *, timeout: int = 60) -> bytes | None:
    """Convert with LibreOffice headless; None when it is missing, fails or takes too long."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="minyi-pdf-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(data)
        # A private profile per call: concurrent conversions sharing the
        # default profile lock each other out.
        profile = f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}"
        command = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", tmp]
        try:
            subprocess.run(
                [*command, str(source)], capture_output=True, timeout=timeout, check=True
            )
        except (subprocess.SubprocessError, OSError):
            return None
        target = source.with_suffix(".pdf")
        return target.read_bytes() if target.exists() else None


# --- Document skeleton --------------------------------------------------------


# --- Blocks -------------------------------------------------------------------


def _masthead(doc: DocxDocument, issue: Issue) -> None:
    """版头: series name in red, issue number, publisher and date, the red rule."""
    name = add_paragraph(doc, issue.bulletin.name, XIAOBIAOSONG, SIZE_MASTHEAD, color=RED)
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The masthead is taller than the 28.95 pt grid; let it take the room it needs.
    name.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    name.paragraph_format.space_after = Pt(12)
    off_grid(name)
    number = add_paragraph(doc, f"{issue.year}年第{issue.number}期", FANGSONG, SIZE_SANHAO)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    publisher = issue.bulletin.publisher or f"{settings.HOST_NAME}研究室"
    imprint = add_paragraph(doc, f"{publisher}编", FANGSONG, SIZE_SANHAO)
    # Publisher flush left, date flush right, on one line (a right tab at the text edge).
    text_width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    imprint.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    add_run(imprint, f"\t{_issue_date(issue)}", FANGSONG, SIZE_SANHAO)
    add_border(imprint, "bottom", size=12, color=RED)


def _byline(doc: DocxDocument, report: Report) -> None:
    unit = report.submitting_unit.name if report.submitting_unit_id else ""
    names = "、".join(report.author_names())
    text = "　".join(part for part in (unit, names) if part)
    if text:
        p = add_paragraph(doc, text, KAITI, SIZE_SANHAO)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _body(doc: DocxDocument, text: str) -> None:
    """Each line of the text as its own paragraph, indented two characters."""
    for line in text.splitlines():
        if line.strip():
            add_paragraph(doc, line.strip(), FANGSONG, SIZE_SANHAO, indent=True)


def _imprint(doc: DocxDocument, issue: Issue) -> None:
    """版记: 主送 and 抄送 between thin rules, then 签发人 and the 印发 date."""
    recipients = list(issue.issue_recipients.select_related("recipient"))
    lines = []
    for kind in (CopyKind.MAIN, CopyKind.COPY):
        names = [ir.recipient.name for ir in recipients if ir.kind == kind]
        if names:
            lines.append(f"{kind.label}：{'，'.join(names)}。")
    approver = str(issue.approver) if issue.approver_id else "（待签发）"
    date = _issue_date(issue)
    printed = f"{date}印发" if issue.signed_off_at else date
    add_paragraph(doc, "", FANGSONG, SIZE_SANHAO)  # keep the 版记 clear of the last item
    for index, line in enumerate(lines):
        p = add_paragraph(doc, line, FANGSONG, SIZE_SIHAO)
        p.paragraph_format.left_indent = Pt(14)
        p.paragraph_format.right_indent = Pt(14)
        if index == 0:
            add_border(p, "top", size=8)  # the first and last rules are thicker (0.35 mm)
        add_border(p, "bottom", size=4)
    last = add_paragraph(doc, f"签发人：{approver}", FANGSONG, SIZE_SIHAO)
    last.paragraph_format.left_indent = Pt(14)
    # Same indents as the lines above, or its rule sticks out past theirs.
    last.paragraph_format.right_indent = Pt(14)
    last.paragraph_format.tab_stops.add_tab_stop(
        PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT - Pt(14), WD_TAB_ALIGNMENT.RIGHT
    )
    add_run(last, f"\t{printed}", FANGSONG, SIZE_SIHAO)
    add_border(last, "bottom", size=8)


def _issue_date(issue: Issue) -> str:
    if issue.signed_off_at is None:
        return "（尚未签发）"
    return chinese_date(timezone.localdate(issue.signed_off_at))
