"""The search document of a report: its segmented terms and its LSH band keys.

The same rows serve both databases. On PostgreSQL the migrations add generated
``vector`` and ``band_vector`` tsvector columns with GIN indexes; on SQLite triggers
keep two external-content FTS5 tables in step, ``search_fts`` (words, for ranked
search) and ``search_band_fts`` (band keys, for near-duplicates), rowid = report id.
None of these is known to the ORM, so Django's inserts and updates work unchanged.

Band keys are words of a second full-text index rather than 25 rows of an indexed
table: at 1M reports a B-tree of 25M random keys cost 0.4–0.6 ms of page writes per
new report, where an inverted index appends them to its segments (0.06 ms).
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
    band_keys = models.TextField("相似度分段", blank=True, default="")
    indexed_at = models.DateTimeField("索引时间", default=clock.now)

    class Meta:
        verbose_name = "检索文档"
        verbose_name_plural = "检索文档"

    def __str__(self) -> str:
        return f"report {self.report_id}"
