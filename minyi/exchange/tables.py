"""Read uploaded spreadsheets into plain rows of strings; write rows to XLSX bytes.

Everything downstream works on ``list[list[str]]`` so XLSX and CSV behave alike,
and a parsed file can be kept as JSON on an ``ImportJob``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from minyi.core.xlsx import text_row
from minyi.core.zipcheck import DamagedArchive, UnsafeArchive, check_office_zip

MAX_ROWS = 20_000
NOT_XLSX = "无法读取该文件：请上传 Excel 2007 及以上版本的 .xlsx 文件（可在 Excel 中“另存为”）。"


class ImportFileError(Exception):
    """The file cannot be read at all; the message is shown to the user as it is."""


def cell_text(value: Any) -> str:
    """One cell as text: phone numbers typed as numbers must not become ``1.38e10``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _trimmed(rows: Iterable[Sequence[Any]]) -> tuple[list[str], list[list[str]]]:
    """Header row and padded data rows, skipping blank lines; stop early on a huge file."""
    texts: list[list[str]] = []
    for row in rows:
        cells = [cell_text(v) for v in row]
        if not any(cells):
            continue
        texts.append(cells)
        # Checked while reading, so a million-row file is refused without loading it all.
        if len(texts) > MAX_ROWS + 1:
            raise ImportFileError(f"文件行数过多：一次最多导入 {MAX_ROWS} 行，请分批上传。")
    if not texts:
        raise ImportFileError("文件是空的：没有找到表头和数据行。")
    headers = texts[0]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise ImportFileError("文件第一行（表头）是空的。")
    width = len(headers)
    body = [(row + [""] * width)[:width] for row in texts[1:]]
    return headers, body


def read_xlsx(file: IO[bytes]) -> tuple[list[str], list[list[str]]]:
    """Headers and data rows of the first sheet; ImportFileError if it is not XLSX."""
    check_container(file)
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise ImportFileError(NOT_XLSX) from None
    try:
        if not book.worksheets:
            raise ImportFileError(NOT_XLSX)
        return _trimmed(book.worksheets[0].iter_rows(values_only=True))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        # A damaged sheet inside a valid zip only shows up while reading rows.
        raise ImportFileError(NOT_XLSX) from None
    finally:
        book.close()


def check_container(file: IO[bytes]) -> None:
    """Refuse a zip bomb or nested archive before openpyxl or python-docx unpacks it.

    A file that is no zip at all is left to the reader, which says what it expected.
    """
    try:
        check_office_zip(file, name=getattr(file, "name", "") or "")
    except DamagedArchive:
        return
    except UnsafeArchive as exc:
        raise ImportFileError(str(exc)) from None


def read_csv(file: IO[bytes]) -> tuple[list[str], list[list[str]]]:
    raw = file.read()
    if b"\x00" in raw[:4096]:
        raise ImportFileError("该文件不是文本格式的 CSV 文件，请检查后重新上传。")
    # Excel in China saves CSV as GBK (a subset of GB18030) unless told otherwise;
    # UTF-8 is tried first because GB18030 would "decode" UTF-8 bytes into nonsense.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("无法识别 CSV 文件的编码，请另存为 UTF-8 编码后再上传。")
    try:
        return _trimmed(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise ImportFileError("CSV 文件格式有误（引号不配对等），请检查后重新上传。") from None


def read_table(file: IO[bytes], name: str) -> tuple[list[str], list[list[str]]]:
    if name.lower().endswith(".csv"):
        return read_csv(file)
    return read_xlsx(file)


def write_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A one-sheet workbook; write-only mode keeps memory flat on long exports."""
    out = io.BytesIO()
    write_xlsx_to(out, title, headers, rows)
    return out.getvalue()


def write_xlsx_to(
    out: IO[bytes], title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """``write_xlsx`` into a file (a temporary file for a long export, sent from disk)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    # Every string a text cell: an exported "=HYPERLINK(…)" title stays text (core.xlsx).
    sheet.append(text_row(sheet, headers))
    for row in rows:
        sheet.append(text_row(sheet, row))
    book.save(out)
