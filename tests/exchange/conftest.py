"""Helpers for the exchange tests: an admin, sectors and units, and files built in memory."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import Workbook, load_workbook

from minyi.people.models import Organization, OrgKind, Role, Sector
from tests.factories import make_org, make_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ROSTER_HEADERS = ["姓名", "界别", "单位", "职务", "是否特约信息员", "手机"]


def xlsx_bytes(headers: Sequence[Any] | None, rows: Sequence[Sequence[Any]] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    if headers is not None:
        sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_file(name: str, headers: Sequence[Any] | None, rows: Sequence[Sequence[Any]] = ()):
    return SimpleUploadedFile(name, xlsx_bytes(headers, rows), content_type=XLSX)


def read_sheet(data: bytes) -> list[list[Any]]:
    """Every row of the first sheet, parsed back with openpyxl, None cells as ''."""
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def docx_file(name: str, title: str, paragraphs: Sequence[tuple[str, str]]):
    """A Word file: ``title`` as Heading 1, then (style, text) paragraphs ('' = Normal)."""
    document = Document()
    document.add_heading(title, level=1)
    for style, text in paragraphs:
        if style:
            document.add_heading(text, level=int(style))
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=DOCX)


@pytest.fixture
def admin(cast):
    return make_user("admin", Role.ADMIN, display_name="系统管理员")


@pytest.fixture
def sectors(db) -> list[Sector]:
    names = ["经济界", "教育界", "医药卫生界", "文化艺术界", "科学技术界", "农业界"]
    return [Sector.objects.get_or_create(name=n)[0] for n in names]


@pytest.fixture
def units(cast) -> list[Organization]:
    """The cast's two units plus a district CPPCC with a short name."""
    district = make_org("示范市东城区政协", OrgKind.DISTRICT_CPPCC, short_name="东城区政协")
    return [cast.unit, cast.other_unit, district]
