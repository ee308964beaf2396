"""Zip containers built in memory for the zip-bomb and nested-archive tests."""

from __future__ import annotations

import functools
import io
import zipfile

from docx import Document
from openpyxl import Workbook

MB = 1024 * 1024


def real_docx(text: str = "关于加快社区养老服务设施建设的建议") -> bytes:
    doc = Document()
    doc.add_heading(text, level=1)
    doc.add_paragraph("情况：社区养老床位缺口约4000张。")
    doc.add_paragraph("建议：将社区养老设施纳入控规。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def real_xlsx() -> bytes:
    book = Workbook()
    book.active.append(["姓名", "界别"])
    book.active.append(["张明", "经济界"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@functools.cache
def zeros_bomb(megabytes: int, member: str = "word/document.xml") -> bytes:
    """``megabytes`` MB of zeros deflated into one member (about 1,000:1), streamed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(member, "w", force_zip64=True) as sink:
            chunk = bytes(MB)
            for _ in range(megabytes):
                sink.write(chunk)
    return out.getvalue()


def with_member(base: bytes, name: str, content: bytes) -> bytes:
    """``base`` with one more member added."""
    out = io.BytesIO(base)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return out.getvalue()


def many_members(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(count):
            archive.writestr(f"xl/part{n}.xml", "<x/>")
    return out.getvalue()
