"""The annual notice as an official-format DOCX, and the scores as an XLSX workbook.

The DOCX is laid out by ``minyi.bulletins.gbt9704``, as bulletins are (GB/T 9704):
小标宋 title, 仿宋 body, 黑体 headings, tables in 宋体 四号-size-minus so a 30-unit
table fits the type area.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from minyi.bulletins.gbt9704 import (
    FANGSONG,
    HEITI,
    SIZE_SANHAO,
    SONGTI,
    add_paragraph,
    add_run,
    add_title,
    chinese_date,
    document_bytes,
    new_document,
)
from minyi.core.xlsx import text_row
from minyi.scoring.charts import bar_chart, line_chart
from minyi.scoring.notice import figures

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from minyi.scoring.models import AnnualNotice
    from minyi.scoring.rankings import Line

SIZE_TABLE = Pt(10.5)  # 五号: tables in official documents are set smaller than the body
UNIT_HEADERS = ["名次", "单位", "报送", "编发", "采用", "批示", "采用率", "积分", "人均积分"]
MEMBER_HEADERS = ["名次", "姓名", "界别", "积分", "报送", "采用", "档次", "评定依据"]
#: The member table's columns in cm (15.6 in all): the reason gets the room it needs.
MEMBER_WIDTHS = (1.3, 1.7, 2.2, 1.5, 1.3, 1.3, 1.5, 4.8)
CHART_WIDTH = Cm(15.6)  # The type area of an A4 official document (GB/T 9704: 156 mm).
COMMENDATION_TITLES = {"unit": "先进单位", "member": "先进个人", "report": "优秀信息"}


def render_notice_docx(notice: AnnualNotice) -> bytes:
    """Title, opening, totals, units' table, top members, commendations, closing, signature."""
    data = figures(notice)
    doc = new_document(title=notice.title)
    add_title(doc, notice.title)
    _text(doc, notice.opening)
    _heading(doc, "一、总体情况")
    _text(doc, totals_sentence(data))
    _heading(doc, "二、各单位报送和采用情况")
    _text(doc, f"报送不少于 {data['min_volume']} 篇的单位按采用率排名；{data['unit_tie_break']}")
    _table(doc, UNIT_HEADERS, [_unit_cells(u) for u in data["units"]])
    _charts(doc, data)
    _heading(doc, "三、委员履职积分前列")
    _table(
        doc,
        MEMBER_HEADERS,
        [
            [
                m["rank"],
                m["name"],
                m["sector"],
                m["points"],
                m["submitted"],
                m["adopted"],
                m["band"],
                _reason(m),
            ]
            for m in data["members"]
        ],
        MEMBER_WIDTHS,
    )
    _heading(doc, "四、表彰名单")
    for kind, title in COMMENDATION_TITLES.items():
        names = [c["name"] for c in data["commendations"].get(kind, [])]
        add_paragraph(doc, f"{title}（{len(names)}）", HEITI, SIZE_SANHAO, indent=True)
        _text(doc, "、".join(names) or "无")
    _text(doc, notice.closing)
    _signature(doc, notice)
    return document_bytes(doc)


def _reason(member: dict[str, Any]) -> str:
    # Notices frozen before reasons existed have none.
    reason = member.get("reason", "")
    review = member.get("review", "")
    # An override's reason already quotes its note (经复核改定：…): print the note once.
    return f"{reason}（{review}）" if review and review not in reason else reason


def _charts(doc: DocxDocument, data: dict[str, Any]) -> None:
    """The units' adoption and the monthly trend as pictures, each with its caption."""
    units = data["units"]
    if units:
        doc.add_picture(io.BytesIO(bar_chart([u["adopted"] for u in units])), width=CHART_WIDTH)
        _caption(doc, "图1  各单位被采用篇数（柱下序号为上表行序）")
    trend = data.get("trend")
    if trend:
        picture = line_chart([trend["submitted"], trend["adopted"]])
        doc.add_picture(io.BytesIO(picture), width=CHART_WIDTH)
        _caption(doc, "图2  各月报送（红）和被采用（蓝）篇数")


def _caption(doc: DocxDocument, text: str) -> None:
    p = add_paragraph(doc, text, SONGTI, SIZE_TABLE)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def totals_sentence(data: dict[str, Any]) -> str:
    t = data["totals"]
    levels = "，".join(f"{name}采用 {n} 篇" for name, n in t["by_level"].items() if n)
    return (
        f"{data['year']}年全年共报送社情民意信息 {t['submitted']} 篇，编发 {t['published']} 篇，"
        f"被上级采用 {t['adopted']} 篇{('（' + levels + '）') if levels else ''}，"
        f"获领导批示 {t['instructions']} 次。"
    )


def _unit_cells(u: dict[str, Any]) -> list[Any]:
    rate = f"{u['rate']}%" if u["rate"] else "—"
    return [
        u["rank"] or "—",
        u["name"],
        u["submitted"],
        u["published"],
        u["adopted"],
        u["instructions"],
        rate,
        u["points"],
        u["per_member"] or "—",
    ]


def _heading(doc: DocxDocument, text: str) -> None:
    add_paragraph(doc, text, HEITI, SIZE_SANHAO, indent=True)


def _text(doc: DocxDocument, text: str) -> None:
    for line in (text or "").splitlines():
        if line.strip():
            add_paragraph(doc, line.strip(), FANGSONG, SIZE_SANHAO, indent=True)


def _table(
    doc: DocxDocument,
    headers: list[str],
    rows: list[list[Any]],
    widths: tuple[float, ...] | None = None,
) -> None:
    """A grid table; ``widths`` in cm per column (else Word shares the width equally)."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, text, HEITI)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _cell(cell, "" if value is None else str(value), SONGTI)
    if widths:
        table.autofit = False
        # The grid's widths are what LibreOffice reads; the cells' are what Word reads.
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)


def _cell(cell: Any, text: str, face: Any) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(14)
    add_run(p, text, face, SIZE_TABLE)


def _signature(doc: DocxDocument, notice: AnnualNotice) -> None:
    add_paragraph(doc, "", FANGSONG, SIZE_SANHAO)
    when = notice.published_at or notice.confirmed_at or notice.created_at
    for text in (f"{settings.HOST_NAME}办公室", chinese_date(timezone.localdate(when))):
        p = add_paragraph(doc, text, FANGSONG, SIZE_SANHAO)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(SIZE_SANHAO.pt * 4)


# --- XLSX ---------------------------------------------------------------------

SCORE_HEADERS = [
    "名次",
    "姓名",
    "界别",
    "报送篇数",
    "编发篇数",
    "采用篇数",
    "批示次数",
    "积分",
    "档次",
    "评定依据",
    "未完成任务情况",
]


def scores_workbook(year: int, lines: list[Line]) -> bytes:
    """Members' scores with Chinese headers, one row per member, in ranking order."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年度履职积分"
    sheet.append(text_row(sheet, SCORE_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in lines:
        row = text_row(
            sheet,
            [
                line.rank,
                line.name,
                line.extra.get("sector", ""),
                line.submitted,
                line.published,
                line.adopted,
                line.instructions,
                float(line.points),
                line.extra.get("band", ""),
                line.extra.get("reason", ""),
                line.extra.get("shortfall", ""),
            ],
        )
        sheet.append(row)
    sheet.freeze_panes = "A2"
    widths = (6, 10, 14, 9, 9, 9, 9, 8, 10, 40, 40)
    for letter, width in zip("ABCDEFGHIJK", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
