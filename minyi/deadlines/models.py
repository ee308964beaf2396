"""Working-day calendar overrides and the service levels (办理时限) per urgency and stage."""

from __future__ import annotations

from django.db import models

from minyi.outcomes.models import Recipient
from minyi.reports.models import Report, Urgency

#: Working days a recipient has to answer before the office chases (when it has no row).
DEFAULT_FEEDBACK_WORKING_DAYS = 20


class CalendarOverride(models.Model):
    """One day whose working status the office sets by hand; it wins over the package."""

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField(
        "工作日", help_text="勾选为上班（如调休上班），不勾选为放假"
    )
    note = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["-date"]

    def __str__(self) -> str:
        kind = "上班" if self.is_working_day else "放假"
        return f"{self.date:%Y-%m-%d} {kind}"


class Stage(models.TextChoices):
    TRIAGE = "triage", "受理"
    DECISION = "decision", "办结"
    SIGN_OFF = "sign_off", "签发"


class TimeUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", "工作小时"
    WORKING_DAYS = "working_days", "工作日"


class ServiceLevel(models.Model):
    """How long a stage may take for reports of one urgency."""

    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices)
    stage = models.CharField("办理环节", max_length=20, choices=Stage.choices)
    amount = models.PositiveIntegerField("时限")
    unit = models.CharField("单位", max_length=20, choices=TimeUnit.choices)

    class Meta:
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"
        ordering = ["urgency", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["urgency", "stage"], name="unique_service_level")
        ]

    def __str__(self) -> str:
        return f"{self.get_urgency_display()} · {self.get_stage_display()}：{self.describe()}"

    def describe(self) -> str:
        return f"{self.amount} 个{self.get_unit_display()}"


class FeedbackDeadline(models.Model):
    """How long one recipient may take to say whether it adopted an item before we chase it."""

    recipient = models.OneToOneField(
        Recipient,
        verbose_name="报送对象",
        on_delete=models.CASCADE,
        related_name="feedback_deadline",
    )
    working_days = models.PositiveIntegerField(
        "反馈时限（工作日）",
        help_text=f"未设置的报送对象按 {DEFAULT_FEEDBACK_WORKING_DAYS} 个工作日计",
    )

    class Meta:
        verbose_name = "采用反馈时限"
        verbose_name_plural = "采用反馈时限"
        ordering = ["recipient__sort_order", "recipient_id"]

    def __str__(self) -> str:
        return f"{self.recipient}：{self.working_days} 个工作日"


class ClockStatus(models.TextChoices):
    """A stored clock's state; whether a running one is due soon or late is read against now."""

    RUNNING = "running", "计时中"
    MET = "met", "按时办结"
    MISSED = "missed", "超期办结"


class ReportClock(models.Model):
    """A report's latest clock of one stage, kept by the ``report_clocks`` consumer.

    Stores moments rather than "overdue": ``soon_at`` is when the last quarter of the
    allowance begins, ``due_at`` the deadline, so the boards are indexed comparisons
    with now and nothing goes stale between events.
    """

    report = models.ForeignKey(
        Report, verbose_name="稿件", on_delete=models.CASCADE, related_name="clocks"
    )
    stage = models.CharField("办理环节", max_length=20, choices=Stage.choices)
    started_at = models.DateTimeField("起算时间")
    soon_at = models.DateTimeField("即将到期时间")
    due_at = models.DateTimeField("办理期限")
    finished_at = models.DateTimeField("办结时间", null=True, blank=True)
    status = models.CharField("计时状态", max_length=10, choices=ClockStatus.choices)
    allowance = models.CharField("时限", max_length=40)

    class Meta:
        verbose_name = "办理计时"
        verbose_name_plural = "办理计时"
        constraints = [
            models.UniqueConstraint(fields=["report", "stage"], name="unique_report_clock")
        ]
        indexes = [
            # The boards: running clocks past their "due soon" moment, by due time.
            models.Index(fields=["status", "soon_at"], name="deadlines_clock_soon"),
            models.Index(fields=["status", "due_at"], name="deadlines_clock_due"),
            # Re-timing after a calendar override: clocks whose span includes the day.
            models.Index(fields=["due_at", "started_at"], name="deadlines_clock_span"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_stage_display()} {self.due_at:%Y-%m-%d %H:%M}"
