"""Text cells for every XLSX the platform writes: no cell can become a formula.

A title such as ``=HYPERLINK("http://…","点此")`` must stay text in Excel, also
after someone edits the cell. So every string is written with the explicit
string type, and one that starts like a formula (``=``, ``+``, ``-``, ``@``, or
a tab or carriage return, per OWASP's CSV-injection advice) also carries the
``quotePrefix`` style: Excel's own "typed with a leading apostrophe" flag, which
keeps it text when the cell is edited. Characters XML cannot hold are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def text_cell(sheet: Any, value: Any) -> Any:
    """``value`` ready for ``sheet.append`` (write-only or not): strings become text cells."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True
    return cell


def text_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A whole row for ``sheet.append``, every string through ``text_cell``."""
    return [text_cell(sheet, value) for value in values]
