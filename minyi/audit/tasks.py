"""Audit's background job: the daily outside anchor of the hash chain.

Imported by ``AuditConfig.ready()``, which registers it as a periodic job; the
same work runs on demand as ``manage.py anchor_events``.
"""

from __future__ import annotations

from minyi.audit.anchors import write_anchor
from minyi.core.jobs import daily_at, job, register_periodic


@job
def anchor_events() -> str:
    anchor = write_anchor()
    return anchor.line() if anchor else "事件日志为空"


register_periodic(
    "anchor_events",
    "事件链锚点（链头写入数据库之外的文件）",
    anchor_events,
    daily_at("00:30"),
    "每天 00:30",
)
