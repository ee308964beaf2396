"""Rule sets, the points ledger, corrections, objections, campaigns and the annual notice.

The ledger (``Score``) is a projection of the event log: every row names the
event and the rule that produced it, and ``manage.py recompute_scores YEAR``
rebuilds it from the events (``minyi.scoring.projection``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from minyi.core import clock


class RuleKind(models.TextChoices):
    SUBMITTED = "submitted", "报送信息"
    PUBLISHED = "published", "本级刊物编发"
    SENT_DIRECTLY = "sent_directly", "急报直报"
    ADOPTED = "adopted", "上级采用"
    INSTRUCTED = "instructed", "领导批示"
    COMMISSIONED = "commissioned", "约稿加分"
    URGENT_ADOPTED = "urgent_adopted", "急报按时采用加分"


class ScoreKind(models.TextChoices):
    """What a ledger row is for: a rule kind, or an admin's correction."""

    SUBMITTED = "submitted", "报送信息"
    PUBLISHED = "published", "本级刊物编发"
    SENT_DIRECTLY = "sent_directly", "急报直报"
    ADOPTED = "adopted", "上级采用"
    INSTRUCTED = "instructed", "领导批示"
    COMMISSIONED = "commissioned", "约稿加分"
    URGENT_ADOPTED = "urgent_adopted", "急报按时采用加分"
    CORRECTION = "correction", "管理员更正"


class ScoreRuleSetQuerySet(models.QuerySet["ScoreRuleSet"]):
    def for_year(self, year: int) -> ScoreRuleSetQuerySet:
        return self.filter(year=year)

    def current(self, year: int) -> ScoreRuleSet | None:
        """The newest version for the year: the one in force."""
        return (
            self.for_year(year)
            .select_related("organization")
            .prefetch_related("rules", "bands")
            .order_by("-version")
            .first()
        )


class ScoreRuleSet(models.Model):
    """One version of one organisation's scheme for one year. Versions are never edited."""

    organization = models.ForeignKey(
        "people.Organization", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField("年度")
    version = models.PositiveIntegerField("版本", default=1)
    highest_level_only = models.BooleanField(
        "多级采用只计最高级", default=True, help_text="不勾选则每一级采用分别计分"
    )
    lead_share = models.DecimalField(
        "第一反映人份额",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="0–1；留空则全体反映人平分",
    )
    item_cap = models.DecimalField(
        "单篇上限", max_digits=8, decimal_places=2, null=True, blank=True
    )
    year_cap = models.DecimalField(
        "个人年度上限", max_digits=8, decimal_places=2, null=True, blank=True
    )
    combined_factor = models.DecimalField(
        "综合采用系数", max_digits=4, decimal_places=2, default=Decimal("0.5")
    )
    transfer_factor = models.DecimalField(
        "转送系数", max_digits=4, decimal_places=2, default=Decimal("0.3")
    )
    urgent_within_days = models.PositiveIntegerField("急报按时采用天数", default=3)
    member_min_reports = models.PositiveIntegerField("委员每年最少报送篇数", default=1)
    officer_min_monthly = models.PositiveIntegerField("特约信息员每月最少报送篇数", default=1)
    min_volume_for_rate = models.PositiveIntegerField("参与采用率排名的最低报送量", default=5)
    duty_fail_lowest = models.BooleanField("未完成最低任务者定为最低档", default=True)
    top_units = models.PositiveIntegerField("先进单位名额", default=5)
    top_members = models.PositiveIntegerField("先进个人名额", default=10)
    excellent_min_level = models.CharField(
        "优秀信息最低采用层级",
        max_length=20,
        default="provincial",
        help_text="被该层级及以上采用或获批示的信息列为优秀信息",
    )
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField("创建时间", default=clock.now)

    objects = ScoreRuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = "积分规则"
        verbose_name_plural = "积分规则"
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "version"], name="unique_ruleset_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年度积分规则（第{self.version}版）"


class ScoreRule(models.Model):
    """Points for one kind of event at one level (level blank where kinds have none)."""

    ruleset = models.ForeignKey(ScoreRuleSet, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField("事项", max_length=20, choices=RuleKind.choices)
    level = models.CharField("层级", max_length=20, blank=True)
    points = models.DecimalField("分值", max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = "积分规则项"
        verbose_name_plural = "积分规则项"
        ordering = ["ruleset", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "kind", "level"], name="unique_rule")
        ]

    def __str__(self) -> str:
        from minyi.scoring.rules import rule_label

        return f"{rule_label(self.kind, self.level)} {self.points} 分"


class ScoreBand(models.Model):
    """A grading band (优秀/称职/基本称职/不称职): ``min_points`` ≤ points < ``max_points``."""

    ruleset = models.ForeignKey(ScoreRuleSet, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField("档次", max_length=20)
    min_points = models.DecimalField("不低于", max_digits=8, decimal_places=2)
    max_points = models.DecimalField(
        "低于", max_digits=8, decimal_places=2, null=True, blank=True, help_text="留空为不设上限"
    )

    class Meta:
        verbose_name = "评定档次"
        verbose_name_plural = "评定档次"
        ordering = ["-min_points"]

    def __str__(self) -> str:
        return self.label

    def contains(self, points: Decimal) -> bool:
        return points >= self.min_points and (self.max_points is None or points < self.max_points)


class ScoreQuerySet(models.QuerySet["Score"]):
    def for_year(self, year: int) -> ScoreQuerySet:
        return self.filter(year=year)

    def explained(self) -> ScoreQuerySet:
        return self.select_related("report", "event", "rule", "campaign", "unit").order_by(
            "event_id", "id"
        )


class Score(models.Model):
    """One ledger row: points one member (or, without members, one unit) earned from one event."""

    # Indexes: only the three (year, …) pairs below. The year alone is their prefix, and
    # events, rule sets and rules are never deleted, so their foreign keys need no index
    # for PROTECT checks; each index dropped makes the yearly rewrite of the ledger cheaper.
    year = models.PositiveIntegerField("年度")
    member = models.ForeignKey(
        "people.Member",
        verbose_name="委员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scores",
    )
    unit = models.ForeignKey(
        "people.Organization",
        verbose_name="报送单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report = models.ForeignKey(
        "reports.Report",
        verbose_name="稿件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    event = models.ForeignKey(
        "audit.Event",
        verbose_name="事件",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    ruleset = models.ForeignKey(
        ScoreRuleSet,
        verbose_name="规则版本",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    rule = models.ForeignKey(
        ScoreRule,
        verbose_name="规则",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    campaign = models.ForeignKey(
        "scoring.Campaign",
        verbose_name="活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField("事项", max_length=20, choices=ScoreKind.choices)
    level = models.CharField("层级", max_length=20, blank=True)
    base = models.DecimalField("本篇分值", max_digits=8, decimal_places=2)
    share = models.DecimalField("份额", max_digits=4, decimal_places=2)
    points = models.DecimalField("积分", max_digits=8, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = "积分"
        verbose_name_plural = "积分台账"
        ordering = ["year", "event_id", "id"]
        indexes = [
            models.Index(fields=["year", "member"]),
            models.Index(fields=["year", "unit"]),
            models.Index(fields=["year", "report"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points} 分"


class ScoreTotals(models.Model):
    """A year's totals of ledger rows, as the rankings count them (``rankings.ledger_counts``).

    Derived data: ``minyi.scoring.totals`` rebuilds the rows a ledger write touches, in the
    same transaction, so a ranking reads one row per member or unit instead of grouping the
    year's ledger on every request. Absent: no ledger row, every total zero.
    """

    year = models.PositiveIntegerField("年度")
    points = models.DecimalField("积分", max_digits=14, decimal_places=2, default=Decimal(0))
    submitted = models.IntegerField("报送篇数", default=0)
    published = models.IntegerField("编发篇数", default=0)
    adopted = models.IntegerField("采用篇数", default=0)
    instructed = models.IntegerField("获批示篇数", default=0)
    instructions = models.IntegerField("批示件次", default=0)
    adopted_national = models.IntegerField("全国/中央采用篇数", default=0)
    adopted_provincial = models.IntegerField("省级采用篇数", default=0)
    adopted_municipal = models.IntegerField("市级采用篇数", default=0)
    adopted_department = models.IntegerField("部门采用篇数", default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.year}年度 {self.points} 分"


class MemberScoreTotal(ScoreTotals):
    """积分合计: one member's totals for one year, what the member ranking orders by."""

    member = models.ForeignKey(
        "people.Member",
        verbose_name="委员",
        on_delete=models.CASCADE,
        related_name="score_totals",
    )

    class Meta:
        verbose_name = "委员年度积分合计"
        verbose_name_plural = "委员年度积分合计"
        ordering = ["year", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "member"], name="unique_member_score_total")
        ]


class UnitScoreTotal(ScoreTotals):
    """积分合计: one unit's totals for one year (the ledger rows it earned as 报送单位)."""

    unit = models.ForeignKey(
        "people.Organization",
        verbose_name="报送单位",
        on_delete=models.CASCADE,
        related_name="score_totals",
    )

    class Meta:
        verbose_name = "单位年度积分合计"
        verbose_name_plural = "单位年度积分合计"
        ordering = ["year", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="unique_unit_score_total")
        ]


class Correction(models.Model):
    """An admin's correction to a member's points for a year; written as an event with a reason."""

    year = models.PositiveIntegerField("年度")
    member = models.ForeignKey(
        "people.Member", verbose_name="委员", on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField("调整分值", max_digits=8, decimal_places=2)
    reason = models.CharField("理由", max_length=200)
    event = models.ForeignKey(
        "audit.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("时间", default=clock.now)

    class Meta:
        verbose_name = "积分更正"
        verbose_name_plural = "积分更正"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member} {self.points:+} 分"


class ObjectionState(models.TextChoices):
    OPEN = "open", "待处理"
    UPHELD = "upheld", "已采纳"
    REJECTED = "rejected", "不予采纳"


class Objection(models.Model):
    """申诉: a member disputes their points; an admin resolves it."""

    year = models.PositiveIntegerField("年度")
    member = models.ForeignKey(
        "people.Member", verbose_name="委员", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("申诉理由")
    state = models.CharField(
        "状态", max_length=10, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    reply = models.TextField("处理意见", blank=True)
    correction = models.ForeignKey(
        Correction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField("提出时间", default=clock.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "积分申诉"
        verbose_name_plural = "积分申诉"
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member}的申诉（{self.get_state_display()}）"


class CampaignKind(models.TextChoices):
    MONTH = "month", "信息月"
    WEEK = "week", "信息周"
    COMMISSION = "commission", "约稿"


class Campaign(models.Model):
    """信息月 / 信息周 / 约稿: a period with a theme, quotas per unit and an optional multiplier."""

    name = models.CharField("活动名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=CampaignKind.choices)
    theme = models.CharField("主题", max_length=200, blank=True)
    topics = models.TextField("重点选题", blank=True, help_text="每行一个")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    multiplier = models.DecimalField(
        "积分倍数", max_digits=4, decimal_places=2, default=Decimal("1.00")
    )
    # What counts towards the quotas (``campaigns.matching``): reports written from one of
    # these topics, or filed in one of these categories; with neither, every report does.
    categories = models.ManyToManyField(
        "reports.Category", verbose_name="计入类别", blank=True, related_name="+"
    )
    guide_topics = models.ManyToManyField(
        "reports.Topic", verbose_name="计入选题", blank=True, related_name="campaigns"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=clock.now)

    class Meta:
        verbose_name = "信息活动"
        verbose_name_plural = "信息活动"
        ordering = ["-starts_on", "id"]

    def __str__(self) -> str:
        return self.name

    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.splitlines() if t.strip()]


class CampaignUnit(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey(
        "people.Organization", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    quota = models.PositiveIntegerField("任务数", default=0)

    class Meta:
        verbose_name = "参加单位"
        verbose_name_plural = "参加单位"
        ordering = ["unit__sort_order", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="unique_campaign_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit}：{self.quota} 篇"


class NoticeState(models.TextChoices):
    DRAFT = "draft", "起草中"
    CONFIRMED = "confirmed", "已审定"
    PUBLISHED = "published", "已发布"


class AnnualNotice(models.Model):
    """年度通报: the year's figures, frozen into ``figures`` when it is published."""

    year = models.PositiveIntegerField("年度", unique=True)
    title = models.CharField("标题", max_length=200)
    opening = models.TextField("开头段落", blank=True)
    closing = models.TextField("结尾段落", blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=NoticeState.choices, default=NoticeState.DRAFT
    )
    figures = models.JSONField("发布时的数据", default=dict, blank=True)
    public = models.BooleanField("在公开页面显示", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=clock.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField("审定时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "年度通报"
        verbose_name_plural = "年度通报"
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class CommendationKind(models.TextChoices):
    UNIT = "unit", "先进单位"
    MEMBER = "member", "先进个人"
    REPORT = "report", "优秀信息"


class Commendation(models.Model):
    notice = models.ForeignKey(AnnualNotice, on_delete=models.CASCADE, related_name="commendations")
    kind = models.CharField("类别", max_length=10, choices=CommendationKind.choices)
    unit = models.ForeignKey(
        "people.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        "people.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("名称", max_length=200)
    reason = models.CharField("依据", max_length=200, blank=True)
    position = models.PositiveIntegerField("顺序", default=0)
    confirmed = models.BooleanField("已确认", default=True)

    class Meta:
        verbose_name = "表彰"
        verbose_name_plural = "表彰"
        ordering = ["kind", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}"


class ReviewDecision(models.TextChoices):
    CONFIRM = "confirm", "维持"
    OVERRIDE = "override", "改定"


class RatingReview(models.Model):
    """The editor's review of one adverse rating (lowest band) in a draft notice, with a note.

    ``band`` and ``reason`` are the rating as computed when reviewed: if the ledger later
    gives another band or reason, the review no longer matches and the rating is unreviewed
    again (``ratings.unreviewed``), so a notice is never confirmed on a stale review.
    """

    notice = models.ForeignKey(
        AnnualNotice, on_delete=models.CASCADE, related_name="rating_reviews"
    )
    member = models.ForeignKey(
        "people.Member", verbose_name="委员", on_delete=models.PROTECT, related_name="+"
    )
    band = models.CharField("计算档次", max_length=20)
    reason = models.CharField("计算依据", max_length=300)
    decision = models.CharField("复核结论", max_length=10, choices=ReviewDecision.choices)
    final_band = models.CharField("确定档次", max_length=20)
    note = models.CharField("复核说明", max_length=200)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("复核时间", default=clock.now)

    class Meta:
        verbose_name = "评定复核"
        verbose_name_plural = "评定复核"
        ordering = ["notice", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "member"], name="unique_rating_review")
        ]

    def __str__(self) -> str:
        return f"{self.member}：{self.get_decision_display()}为{self.final_band}"
