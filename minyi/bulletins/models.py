"""Bulletin series (刊物), their numbered issues (期) and the items in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minyi.core import clock


class Bulletin(models.Model):
    name = models.CharField("刊物名称", max_length=50, unique=True)
    code = models.SlugField("代号", max_length=30, unique=True)
    publisher = models.CharField("编发单位", max_length=100, blank=True)
    active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "刊物"
        verbose_name_plural = "刊物"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"《{self.name}》"


class IssueState(models.TextChoices):
    DRAFT = "draft", "编辑中"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "待签发"
    ISSUED = "issued", "已印发"


class IssueQuerySet(models.QuerySet["Issue"]):
    def issued(self) -> IssueQuerySet:
        return self.filter(state=IssueState.ISSUED)


class Issue(models.Model):
    bulletin = models.ForeignKey(
        Bulletin, verbose_name="刊物", on_delete=models.PROTECT, related_name="issues"
    )
    year = models.PositiveIntegerField("年份")
    number = models.PositiveIntegerField("期号")
    state = models.CharField(
        "状态", max_length=20, choices=IssueState.choices, default=IssueState.DRAFT
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任编辑",
        on_delete=models.PROTECT,
        related_name="+",
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state_note = models.TextField("处理说明", blank=True)
    created_at = models.DateTimeField("创建时间", default=clock.now)
    signed_off_at = models.DateTimeField("签发时间", null=True, blank=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = "期"
        verbose_name_plural = "期"
        ordering = ["-year", "-number", "bulletin_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "year", "number"], name="unique_issue_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bulletin}{self.year}年第{self.number}期"


class IssueItem(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    report = models.ForeignKey(
        "reports.Report", verbose_name="稿件", on_delete=models.PROTECT, related_name="issue_items"
    )
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "本期稿件"
        verbose_name_plural = "本期稿件"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "report"], name="unique_issue_item"),
        ]

    def __str__(self) -> str:
        return f"{self.issue} · {self.report}"


class CopyKind(models.TextChoices):
    MAIN = "main", "主送"
    COPY = "copy", "抄送"


class IssueRecipient(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="issue_recipients")
    recipient = models.ForeignKey(
        "outcomes.Recipient", verbose_name="报送对象", on_delete=models.PROTECT
    )
    kind = models.CharField(
        "主送/抄送", max_length=10, choices=CopyKind.choices, default=CopyKind.MAIN
    )

    class Meta:
        verbose_name = "报送对象"
        verbose_name_plural = "主送抄送"
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "recipient"], name="unique_issue_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.recipient}"
