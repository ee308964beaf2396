"""An uploaded file's parsed rows and plan, kept between the dry run and the apply."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models

from minyi.core import clock


class ImportKind(models.TextChoices):
    ROSTER = "roster", "委员名册"
    REPORTS = "reports", "历史信息"


class ImportStatus(models.TextChoices):
    PLANNED = "planned", "待确认"
    RUNNING = "running", "导入中"
    APPLIED = "applied", "已导入"
    FAILED = "failed", "导入中断"


class TextJSONEncoder(json.JSONEncoder):
    """JSON with Chinese text as itself rather than ``\\uXXXX`` escapes.

    A job keeps every cell of the file twice (rows and plan): escaped, 10,000 reports
    were 43 MB to write, and on SQLite to rewrite on every update of the job's row.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class ImportJob(models.Model):
    kind = models.CharField("类型", max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        "状态", max_length=20, choices=ImportStatus.choices, default=ImportStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", default=clock.now)
    filename = models.CharField("文件名", max_length=200, blank=True)
    # Raw cells as read from the file, so the mapping step needs no second upload.
    headers = models.JSONField("表头", default=list, encoder=TextJSONEncoder)
    rows = models.JSONField("数据行", default=list, encoder=TextJSONEncoder)
    mapping = models.JSONField("列对应", default=dict, encoder=TextJSONEncoder)
    # The dry run's decisions; the apply step carries out exactly these.
    plan = models.JSONField("导入计划", default=list, encoder=TextJSONEncoder)
    options = models.JSONField("选项", default=dict, encoder=TextJSONEncoder)
    total = models.PositiveIntegerField("总数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    result = models.JSONField("结果", default=dict, encoder=TextJSONEncoder)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filename}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


class ImportProgress(models.Model):
    """Rows committed so far by a running import, kept apart from the job's big row.

    On SQLite an UPDATE rewrites the whole record: bumping ``ImportJob.done`` after
    every chunk rewrote the job's tens of megabytes of rows and plan each time
    (2.4 s of a 10,000-report import). The job's own ``done`` is set once, at the end.
    """

    job = models.OneToOneField(
        ImportJob, primary_key=True, on_delete=models.CASCADE, related_name="progress"
    )
    done = models.PositiveIntegerField("已处理", default=0)

    class Meta:
        verbose_name = "导入进度"
        verbose_name_plural = "导入进度"

    def __str__(self) -> str:
        return f"{self.job_id}: {self.done}"
