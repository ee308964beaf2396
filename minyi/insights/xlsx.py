"""One dashboard figure as an Excel workbook: the same headers and rows as the page."""

from __future__ import annotations

import io
import re
import unicodedata

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from minyi.core.xlsx import text_row
from minyi.insights.stats import Figure

#: Excel refuses these in sheet titles, and titles longer than 31 characters.
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def _display_width(value: object) -> int:
    # Chinese characters take two columns' width in Excel's default font.
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def figure_workbook(figure: Figure) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _BAD_TITLE.sub("", figure.title)[:31] or "统计"
    sheet.append(text_row(sheet, figure.headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in figure.rows:
        sheet.append(text_row(sheet, row))
    sheet.freeze_panes = "A2"
    for index, header in enumerate(figure.headers, start=1):
        widest = max([_display_width(header), *(_display_width(r[index - 1]) for r in figure.rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(widest + 2, 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
