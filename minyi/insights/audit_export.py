"""The audit page's events as an XLSX file, bounded and built without holding the log in memory.

Rows are read newest first in chunks by id (keyset: ``id < last``, the primary
key), written through openpyxl's write-only mode into a spooled temporary file,
and capped at ``EXPORT_LIMIT`` rows with a last line that says the file was cut.
Text from outside (user agents, names) is written as text that Excel will not
turn into a formula, even after the cell is edited.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from minyi.audit.models import Event
from minyi.core.xlsx import text_row
from minyi.insights.audit_log import rows_for
from minyi.people.models import User

EXPORT_LIMIT = 100_000
CHUNK = 2000
HEADERS = [
    "事件编号",
    "时间",
    "操作人",
    "动作",
    "动作代码",
    "对象类型",
    "对象编号",
    "相关稿件",
    "稿件标题",
    "IP 地址",
    "客户端",
    "内容",
    "哈希",
]
#: Kept in memory up to this size, then on disk.
SPOOL_BYTES = 8 * 1024 * 1024


@dataclass
class AuditExport:
    file: IO[bytes]
    rows: int
    truncated: bool


def _chunks(events: QuerySet[Event], limit: int) -> Iterator[list[Event]]:
    """The events newest first, ``CHUNK`` at a time, at most ``limit`` of them."""
    last, taken = None, 0
    base = events.select_related("actor").order_by("-id")
    while taken < limit:
        page = base if last is None else base.filter(id__lt=last)
        chunk = list(page[: min(CHUNK, limit - taken)])
        if not chunk:
            return
        yield chunk
        taken += len(chunk)
        last = chunk[-1].pk


def _values(row: Any) -> list[Any]:
    event = row.event
    return [
        event.pk,
        timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        row.actor,
        row.verb_label,
        event.verb,
        event.object_type,
        event.object_id,
        event.report_id or "",
        row.report_title,
        event.ip or "",
        event.user_agent,
        row.content,
        event.hash,
    ]


def export_events(user: User, events: QuerySet[Event], limit: int = EXPORT_LIMIT) -> AuditExport:
    """Write the (filtered) events, newest first, up to ``limit`` rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("审计日志")
    sheet.append(HEADERS)
    count, last = 0, None
    for chunk in _chunks(events, limit):
        for row in rows_for(user, chunk):
            sheet.append(text_row(sheet, _values(row)))
        count, last = count + len(chunk), chunk[-1].pk
    truncated = count >= limit and events.filter(id__lt=last).exists()
    if truncated:
        sheet.append([f"仅导出了最新的 {limit:,} 条，请缩小筛选范围后分批导出。"])
    # Handed to the FileResponse, which closes it once sent: no context manager here.
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    book.save(out)
    out.seek(0)
    return AuditExport(out, count, truncated)
