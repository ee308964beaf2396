"""Official-format documents (公文格式, GB/T 9704-2012): a bulletin issue and a single report.

One render function per artifact, each taking a model instance and returning
bytes, so views only wrap the result in a response and tests parse it back.
The page, type and faces of GB/T 9704 are in ``gbt9704``; this module adds the
parts only bulletins have: the byline, 目录 and 编者按; the 版头 and 版记 of
GB/T 9704 are in ``masthead``.

PDF: LibreOffice reads the fontconfig aliases in ``deploy/fontconfig`` (official
font names → free substitutes, see docs/documents.md) through ``FONTCONFIG_FILE``,
so they apply even where nobody could copy them to /etc/fonts (no root).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH

from minyi.bulletins.gbt9704 import (
    FANGSONG,
    HEITI,
    KAITI,
    RED,
    SIZE_SANHAO,
    add_paragraph,
    add_run,
    add_title,
    document_bytes,
    new_document,
)
from minyi.bulletins.masthead import (
    draw_imprint,
    draw_masthead,
    issue_imprint,
    issue_masthead,
    report_masthead,
)
from minyi.bulletins.models import IssueState
from minyi.reports.models import Revision

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from docx.document import Document as DocxDocument

    from minyi.bulletins.models import Issue, IssueItem
    from minyi.reports.models import Report


#: The aliases mapping official font names to free substitutes (installed by
#: scripts/ensure-documents.sh), and the system configuration they extend.
ALIASES_FILE = (
    Path(__file__).resolve().parents[2] / "deploy" / "fontconfig" / "65-minyi-gbt9704.conf"
)
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")

SECTION_HEADINGS = (
    ("situation", "一、情况"),
    ("analysis", "二、原因分析"),
    ("suggestions", "三、意见建议"),
)


# --- Public API ---------------------------------------------------------------


def render_issue_docx(issue: Issue, *, copy_number: int | None = None) -> bytes:
    """Render a bulletin issue: 版头, 目录 and 编者按 where due, its items, then the 版记.

    ``copy_number`` prints the 份号 of one registered copy (分发登记) on the masthead.
    """
    doc = new_document(title=str(issue))
    # 版头 (上行文?) and 版记 both read the recipients: one query for both.
    prefetch_related_objects([issue], "issue_recipients__recipient")
    items = list(issue_items(issue))
    reports = [item.report for item in items]
    draw_masthead(doc, issue_masthead(issue, reports, copy_number))
    if issue.state == IssueState.VOIDED:
        _voided(doc, issue)
    if issue.correction_note.strip():
        _correction(doc, issue.correction_note)
    if len(items) > 1:
        _contents(doc, [current_text(r)["title"] for r in reports])
    if issue.editor_note.strip():
        _editor_note(doc, issue.editor_note)
    for index, report in enumerate(reports):
        if index:
            add_paragraph(doc, "", FANGSONG, SIZE_SANHAO)  # one blank line between items
        add_item(doc, report)
    draw_imprint(doc, issue_imprint(issue))
    return document_bytes(doc)


def issue_items(issue: Issue) -> QuerySet[IssueItem]:
    """The items with everything the document prints, in a fixed number of queries."""
    return issue.items.select_related("report", "report__submitting_unit").prefetch_related(
        "report__report_authors__member",
        Prefetch("report__revisions", queryset=Revision.objects.order_by("-number")),
    )


def add_item(doc: DocxDocument, report: Report) -> None:
    """One item as a bulletin prints it: title, byline, the three sections' text."""
    text = current_text(report)
    add_title(doc, text["title"])
    _byline(doc, report)
    for field, _heading in SECTION_HEADINGS:
        _body(doc, text[field])


def render_report_docx(report: Report) -> bytes:
    """One report for 转送 to a department, under the same 版头 as a 快报 item."""
    doc = new_document(title=report.title)
    text = current_text(report)
    draw_masthead(doc, report_masthead(report))
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
        env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig_file(Path(tmp)))}
        try:
            subprocess.run(
                [*command, str(source)], capture_output=True, timeout=timeout, check=True, env=env
            )
        except (subprocess.SubprocessError, OSError):
            return None
        target = source.with_suffix(".pdf")
        return target.read_bytes() if target.exists() else None


def _fontconfig_file(directory: Path) -> Path:
    """A fontconfig file: the system's configuration, then the GB/T 9704 aliases.

    Written per conversion because fontconfig resolves a relative include against
    its own search path, not the including file; reading the aliases a second time
    where /etc/fonts/conf.d already has them changes nothing.
    """
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{SYSTEM_FONTCONFIG}</include>\n'
        f'  <include ignore_missing="yes">{ALIASES_FILE}</include>\n'
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return path


# --- Blocks -------------------------------------------------------------------


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


def _contents(doc: DocxDocument, titles: list[str]) -> None:
    """目录 for an issue of several items: 黑体 heading, one numbered title a line."""
    heading = add_paragraph(doc, "目　录", HEITI, SIZE_SANHAO)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for number, title in enumerate(titles, start=1):
        add_paragraph(doc, f"{number}．{title}", FANGSONG, SIZE_SANHAO, indent=True)
    add_paragraph(doc, "", FANGSONG, SIZE_SANHAO)


def _editor_note(doc: DocxDocument, note: str) -> None:
    """编者按: the label in 黑体, the note in 楷体, indented like body text."""
    lines = [line.strip() for line in note.splitlines() if line.strip()]
    first = add_paragraph(doc, "编者按：", HEITI, SIZE_SANHAO, indent=True)
    add_run(first, lines[0], KAITI, SIZE_SANHAO)
    for line in lines[1:]:
        add_paragraph(doc, line, KAITI, SIZE_SANHAO, indent=True)


def _voided(doc: DocxDocument, issue: Issue) -> None:
    """作废: a voided issue's copy must not pass for a valid one, so it says so in red."""
    mark = add_paragraph(doc, "本期已作废", HEITI, SIZE_SANHAO, color=RED)
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    day = timezone.localtime(issue.voided_at).date() if issue.voided_at else None
    when = f"（{day.year}年{day.month}月{day.day}日）" if day else ""
    p = add_paragraph(doc, f"作废理由{when}：", HEITI, SIZE_SANHAO, indent=True, color=RED)
    add_run(p, " ".join(issue.void_reason.split()), KAITI, SIZE_SANHAO)


def _correction(doc: DocxDocument, note: str) -> None:
    """更正: a corrected issue says so under its 版头, in the office's own words."""
    p = add_paragraph(doc, "更正说明：", HEITI, SIZE_SANHAO, indent=True)
    add_run(p, " ".join(note.split()), KAITI, SIZE_SANHAO)
