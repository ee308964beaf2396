"""The search document of a report: its text as space-separated segmented terms.

The same rows serve both databases. On PostgreSQL the migration adds a generated
``vector tsvector`` column with a GIN index; on SQLite triggers mirror every row
into the FTS5 table ``search_fts`` (rowid = report id). Neither is known to the
ORM, so Django's inserts and updates keep working unchanged.
"""

from __future__ import annotations

from django.db import models

from minyi.core import clock
from minyi.reports.models import Report


class ReportDocument(models.Model):
    report = models.OneToOneField(
        Report,
        verbose_name="稿件",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    title_terms = models.TextField("标题分词", blank=True)
    body_terms = models.TextField("正文分词", blank=True)
    indexed_at = models.DateTimeField("索引时间", default=clock.now)

    class Meta:
        verbose_name = "检索文档"
        verbose_name_plural = "检索文档"

    def __str__(self) -> str:
        return f"report {self.report_id}"
