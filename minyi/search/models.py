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


class ReportBand(models.Model):
    """One LSH band key of a report's MinHash signature (25 rows per report).

    Two reports that share any key are near-duplicate candidates; ``key`` already mixes
    in the band number, so candidates are one indexed ``key IN (…)`` lookup. The exact
    3-gram Jaccard check in ``minyi.search.similar`` then removes false candidates.
    """

    report = models.ForeignKey(
        Report, verbose_name="稿件", on_delete=models.CASCADE, related_name="bands"
    )
    band = models.PositiveSmallIntegerField("分段")
    key = models.BigIntegerField("分段哈希")

    class Meta:
        verbose_name = "相似度分段"
        verbose_name_plural = "相似度分段"
        indexes = [models.Index(fields=["key", "band"], name="search_band_key")]

    def __str__(self) -> str:
        return f"report {self.report_id} band {self.band}"
