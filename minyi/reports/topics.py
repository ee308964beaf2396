"""The topic guide (选题指南): subjects the office asks members to write about.

A topic is published by the research office for a period; members see the open
topics on their home page and start a report from one, and the report keeps the
topic (``Report.topic``) so the office can see, per topic, who wrote what and
its fate. It lives on the reports floor because a report points to it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from minyi.core import clock


class TopicQuerySet(models.QuerySet["Topic"]):
    def open_on(self, day: dt.date) -> TopicQuerySet:
        """Published topics whose period holds the day: what members are offered."""
        return self.filter(published=True, opens_on__lte=day, closes_on__gte=day)


class Topic(models.Model):
    title = models.CharField("选题", max_length=200)
    background = models.TextField("背景说明", blank=True)
    departments = models.CharField(
        "关注部门", max_length=300, blank=True, help_text="关心此选题的部门，用顿号或逗号分隔"
    )
    category = models.ForeignKey(
        "reports.Category",
        verbose_name="类别",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    published = models.BooleanField("已发布", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=clock.now)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = "选题"
        verbose_name_plural = "选题指南"
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def department_list(self) -> list[str]:
        text = self.departments
        for sep in "，,、；;":
            text = text.replace(sep, "\n")
        return [d.strip() for d in text.splitlines() if d.strip()]

    def is_open(self, day: dt.date | None = None) -> bool:
        day = day or clock.localdate()
        return self.published and self.opens_on <= day <= self.closes_on
