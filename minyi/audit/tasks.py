"""Audit's background jobs: the daily outside anchor of the hash chain, the nightly backup.

Imported by ``AuditConfig.ready()``, which registers them as periodic jobs; the
same work runs on demand as ``manage.py anchor_events`` and ``manage.py backup``.
"""

from __future__ import annotations

from django.conf import settings

from minyi.audit.anchors import write_anchor
from minyi.audit.backup import create_backup, prune_backups
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


@job
def nightly_backup() -> str:
    archive = create_backup()
    prune_backups()
    return archive.name


register_periodic(
    "nightly_backup",
    "每晚备份（数据库、附件、分类模型）",
    nightly_backup,
    daily_at(settings.BACKUP_TIME),
    f"每天 {settings.BACKUP_TIME}（保留 {settings.BACKUP_KEEP} 份）",
)
