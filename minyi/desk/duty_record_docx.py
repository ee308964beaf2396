"""The yearly 履职 record as an official-format DOCX (GB/T 9704 layout from ``bulletins.gbt9704``):
one member a document, or all members of a sector or unit in one document, a page each."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from minyi.bulletins.gbt9704 import (
    FANGSONG,
    HEITI,
    SIZE_SANHAO,
    SONGTI,
    add_paragraph,
    add_run,
    add_title,
    document_bytes,
    new_document,
)

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from minyi.desk.duty_record import DutyRecord

SIZE_TABLE = Pt(10.5)  # 五号, as the annual notice's tables


def record_title(record: DutyRecord) -> str:
    return f"{record.member.name}{record.year}年度社情民意信息履职情况"


def render_records_docx(records: Iterable[DutyRecord], *, title: str) -> bytes:
    """Every record in one document, each starting on a new page."""
    doc = new_document(title=title)
    for n, record in enumerate(records):
        _record(doc, record, new_page=n > 0)
    return document_bytes(doc)


def _record(doc: DocxDocument, record: DutyRecord, *, new_page: bool) -> None:
    before = len(doc.paragraphs)
    add_title(doc, record_title(record))
    if new_page:
        doc.paragraphs[before].paragraph_format.page_break_before = True
    _text(doc, _summary(record))
    _heading(doc, "一、报送信息及其结果")
    rows = [
        [
            line.report.serial or "—",
            line.report.title + ("（约稿）" if line.commissioned else ""),
            line.fate,
            "；".join(line.outcomes) or "—",
        ]
        for line in record.reports
    ]
    _table(
        doc, ["流水号", "标题", "办理结果", "采用和批示"], rows or [["—", "全年未报送信息", "", ""]]
    )
    _heading(doc, "二、约稿答复情况")
    rows = [
        [c.topic.title, f"{c.due_on:%Y-%m-%d}", c.get_state_display(), c.reply or "—"]
        for c in record.commissions
    ]
    _table(doc, ["选题", "交稿期限", "状态", "答复或理由"], rows or [["本年度无约稿", "", "", ""]])
    _heading(doc, "三、履职积分")
    rows = [[f"{s.points}", reason] for s, reason in record.points]
    _table(doc, ["积分", "依据"], rows or [["0", "本年度无积分记录"]])
    _heading(doc, "四、履职任务完成情况")
    rows = [[d.rule, "完成" if d.met else "未完成", d.reason] for d in record.duties]
    _table(doc, ["任务", "结果", "情况"], rows or [["未设定任务", "", ""]])
    if record.band:
        _text(doc, f"年度评定：{record.band}。{record.band_reason}")
    p = add_paragraph(doc, f"{settings.HOST_NAME}研究室", FANGSONG, SIZE_SANHAO)
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.paragraph_format.right_indent = Pt(SIZE_SANHAO.pt * 2)


def _summary(record: DutyRecord) -> str:
    member = record.member
    sector = f"{member.sector.name}界别" if member.sector_id else ""
    terms = "、".join(t.term.name for t in record.terms)
    serving = f"，{terms}委员" if terms else ""
    officer = "，特约信息员" if any(a.months_in(record.year) for a in record.appointments) else ""
    hidden = (
        f"（另有 {record.hidden_reports} 篇不在您的查阅范围内）" if record.hidden_reports else ""
    )
    return (
        f"{member.name}，{sector}{serving}{officer}。{record.year}年报送社情民意信息 "
        f"{len(record.reports)} 篇{hidden}，被采用 {record.adoptions} 次，获领导批示 "
        f"{record.instructions} 次；答复约稿 {len(record.answered)} 件；"
        f"年度积分 {record.total} 分。"
    )


def _heading(doc: DocxDocument, text: str) -> None:
    add_paragraph(doc, text, HEITI, SIZE_SANHAO, indent=True)


def _text(doc: DocxDocument, text: str) -> None:
    add_paragraph(doc, text, FANGSONG, SIZE_SANHAO, indent=True)


def _table(doc: DocxDocument, headers: list[str], rows: list[list[Any]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, text, HEITI)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            _cell(cell, str(value), SONGTI)


def _cell(cell: Any, text: str, face: Any) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing = Pt(14)
    add_run(p, text, face, SIZE_TABLE)
