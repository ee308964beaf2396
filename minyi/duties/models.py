"""约稿: the office asks named members (or a unit) for a report on a topic, by a date.

One ``Commission`` per member asked (or per unit), so each answers for themselves:
accept, or decline with a reason. A report started from an accepted commission is
linked to it; when that report is submitted the commission is delivered
(``delivery.py``), and the points ledger gives the report the rule set's
约稿加分 (``scoring.ledger``). The moves are the table in ``workflow.py``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from minyi.core import clock


class CommissionState(models.TextChoices):
    OFFERED = "offered", "待答复"
    ACCEPTED = "accepted", "已接受"
    DECLINED = "declined", "已婉拒"
    DELIVERED = "delivered", "已交稿"
    CANCELLED = "cancelled", "已撤销"


#: States in which the commission still waits for the member's report.
OPEN_STATES = frozenset({CommissionState.OFFERED, CommissionState.ACCEPTED})
#: States in which the member has answered (the 履职 record's "commissions answered").
ANSWERED_STATES = frozenset(
    {CommissionState.ACCEPTED, CommissionState.DECLINED, CommissionState.DELIVERED}
)

#: States in which a linked report earns the rule set's 约稿加分.
EARNING_STATES = frozenset({CommissionState.ACCEPTED, CommissionState.DELIVERED})


class CommissionQuerySet(models.QuerySet["Commission"]):
    def open(self) -> CommissionQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def for_user(self, user: object) -> CommissionQuerySet:
        """The commissions a user answers: as the member asked, or as the unit's liaison."""
        q = models.Q(pk__in=[])
        if getattr(user, "member_id", None):
            q |= models.Q(member_id=user.member_id)  # type: ignore[attr-defined]
        units = getattr(user, "liaison_unit_ids", frozenset())
        if units:
            q |= models.Q(unit_id__in=units)
        return self.filter(q)


class Commission(models.Model):
    topic = models.ForeignKey(
        "reports.Topic", verbose_name="选题", on_delete=models.PROTECT, related_name="commissions"
    )
    member = models.ForeignKey(
        "people.Member",
        verbose_name="约稿委员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commissions",
    )
    unit = models.ForeignKey(
        "people.Organization",
        verbose_name="约稿单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField("交稿期限")
    request = models.TextField("约稿说明", blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=CommissionState.choices, default=CommissionState.OFFERED
    )
    reply = models.CharField("答复或理由", max_length=500, blank=True)
    report = models.OneToOneField(
        "reports.Report",
        verbose_name="所交信息",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commission",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("约稿时间", default=clock.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    objects = CommissionQuerySet.as_manager()

    class Meta:
        verbose_name = "约稿"
        verbose_name_plural = "约稿"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False, unit__isnull=True)
                | models.Q(member__isnull=True, unit__isnull=False),
                name="commission_member_or_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic}（{self.addressee}）"

    @property
    def addressee(self) -> str:
        return self.member.name if self.member_id else self.unit.label  # type: ignore[union-attr]

    def is_addressed_to(self, user: object) -> bool:
        if self.member_id and self.member_id == getattr(user, "member_id", None):
            return True
        return bool(self.unit_id and self.unit_id in getattr(user, "liaison_unit_ids", ()))

    def is_overdue(self, day: dt.date | None = None) -> bool:
        day = day or clock.localdate()
        return self.state in OPEN_STATES and self.due_on < day
