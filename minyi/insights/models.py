"""One narrow row per submitted report: what the dashboard's figures group.

The figures used to group the whole (filtered) archive on every request, with an
EXISTS per report for adoption and 批示 and a subquery of the event log for the
day a report went out. ``ReportFact`` holds those answers per report, written by
the ``report_facts`` consumer (``insights.facts``) from the report's current data,
so a figure is one GROUP BY over an indexed table a fraction of the width.

Only what belongs to the report is stored. Names — of a unit, a category and its
parent, a member's sector — are joined at read time from their small tables, so
renaming a unit, moving a category under another parent or changing a member's
sector (none of which is a report event) never leaves a row stale.
"""

from __future__ import annotations

from django.db import models

from minyi.people.models import Member, Organization
from minyi.reports.models import Category, Report

#: What the per-group figures count (``stats._out_and_adopted``), after the group's key.
COUNTED = ["is_composite", "state", "adopted"]


class ReportFact(models.Model):
    """A submitted report as the figures count it; a report never submitted has none."""

    report = models.OneToOneField(
        Report, primary_key=True, on_delete=models.CASCADE, related_name="fact"
    )
    submitted_at = models.DateTimeField("报送时间")
    #: The first day of the submitted month, local time: what 各月报送量 groups by.
    month = models.DateField("报送月份")
    state = models.CharField("状态", max_length=20)
    # PROTECT as on the report: what the report keeps, the fact row keeps.
    submitting_unit = models.ForeignKey(
        Organization, null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Indexed as the first column of its counts index below, as is the lead member.
    category = models.ForeignKey(
        Category, null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    #: The member at position 0 of the bylines (第一反映人); none: 无委员署名.
    lead_member = models.ForeignKey(
        Member, null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    #: A source merged into a composite (not a duplicate): the composite, which credits
    #: this report's unit with its publication and adoption (各单位报送与采用).
    credit_to = models.ForeignKey(Report, null=True, on_delete=models.PROTECT, related_name="+")
    urgency = models.CharField("紧急程度", max_length=10)
    is_composite = models.BooleanField("综合稿", default=False)
    forwarded = models.BooleanField("已报送领导机关", default=False)
    adopted = models.BooleanField("已采用", default=False)
    instructed = models.BooleanField("获批示", default=False)
    #: Days from submission to the first 编发/直报 event (kept after a 撤回编发, as before).
    days_to_out = models.FloatField("报送到编发天数", null=True)

    class Meta:
        verbose_name = "统计事实"
        verbose_name_plural = "统计事实"
        indexes = [
            # Every figure filters by the submitted period (year, quarter, date range).
            models.Index(fields=["submitted_at"], name="insights_fact_submitted"),
            models.Index(fields=["month", "state"], name="insights_fact_month_state"),
            models.Index(
                fields=["submitting_unit", "submitted_at"], name="insights_fact_unit_submitted"
            ),
            # The figures per unit, category and lead member over every year count from these
            # alone, in the key's order (``stats.rows``): at 100,000 reports reading the rows
            # for them cost 50-140 ms a figure, the index 10-25.
            *(
                models.Index(fields=[key, *COUNTED], name=f"insights_fact_{name}_counts")
                for key, name in (
                    ("submitting_unit", "unit"),
                    ("category", "category"),
                    ("lead_member", "lead"),
                )
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.report_id} {self.month:%Y-%m} {self.state}"
