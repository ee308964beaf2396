"""In-app notifications, delivery preferences, and the rows that make sending idempotent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, models, transaction

from minyi.core import clock
from minyi.notify.kinds import KINDS, Delivery

if TYPE_CHECKING:
    from minyi.people.models import User


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def for_user(self, user: object) -> NotificationQuerySet:
        return self.filter(user=user)

    def awaiting_digest(self) -> NotificationQuerySet:
        return self.filter(delivery=Delivery.DIGEST, delivered_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField("事由", max_length=50)
    kind = models.CharField("类别", max_length=30, default="report_status")
    message = models.CharField("内容", max_length=300)
    url = models.CharField("链接", max_length=200, blank=True)
    event_id = models.BigIntegerField("事件", null=True, blank=True)
    created_at = models.DateTimeField("时间", default=clock.now, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    #: How it leaves the app, fixed when it is made from the user's preference then.
    delivery = models.CharField(
        "发送方式", max_length=20, choices=Delivery.choices, default=Delivery.OFF
    )
    delivered_at = models.DateTimeField("发送时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            # The list's order (newest first) within one user: read backwards, no sort of
            # every notification the user ever had.
            models.Index(fields=["user", "created_at", "id"], name="notification_user_time_idx"),
            models.Index(fields=["delivery", "delivered_at"]),
            # Each consumer that notifies checks which (event, user) it has told already, so
            # handling an event twice tells nobody twice: without it, every action's nudge read
            # every notification (298,000 at 100,000 reports: 88 ms of a 130 ms 受理).
            models.Index(fields=["event_id"], name="notification_event_idx"),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def kind_label(self) -> str:
        kind = KINDS.get(self.kind)
        return kind.label if kind else self.kind


class KindPolicy(models.Model):
    """The office's word on one kind: whether members may switch it off."""

    kind = models.CharField(
        "通知类别", max_length=30, unique=True, choices=[(k.code, k.label) for k in KINDS.values()]
    )
    mandatory = models.BooleanField(
        "必须接收", default=False, help_text="勾选后用户不能关闭此类通知"
    )

    class Meta:
        verbose_name = "通知类别设置"
        verbose_name_plural = "通知类别设置"
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{'（必须接收）' if self.mandatory else ''}"

    @classmethod
    def mandatory_kinds(cls) -> frozenset[str]:
        """Kinds nobody may switch off: the office's rows, else the registry's defaults."""
        rows = dict(cls.objects.values_list("kind", "mandatory"))
        return frozenset(
            code for code, kind in KINDS.items() if rows.get(code, kind.mandatory_by_default)
        )


class PreferenceQuerySet(models.QuerySet["Preference"]):
    def choices_for(self, user: User) -> dict[str, str]:
        """The user's delivery per kind: their own choice, else the kind's default."""
        chosen = dict(self.filter(user=user).values_list("kind", "delivery"))
        return {code: chosen.get(code, kind.default) for code, kind in KINDS.items()}


class Preference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preferences"
    )
    kind = models.CharField("通知类别", max_length=30)
    delivery = models.CharField("发送方式", max_length=20, choices=Delivery.choices)
    updated_at = models.DateTimeField("修改时间", default=clock.now)

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = "通知偏好"
        verbose_name_plural = "通知偏好"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="unique_notify_preference")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.get_delivery_display()}"


class Dispatch(models.Model):
    """A unique key per thing that must happen once (a reminder, a day's digest).

    Inserting the key in the same transaction as the work makes the work
    idempotent: a second run, a restarted worker or two workers racing all hit
    the unique constraint and do nothing.
    """

    key = models.CharField("键", max_length=200, unique=True)
    created_at = models.DateTimeField("时间", default=clock.now)

    class Meta:
        verbose_name = "已发送记录"
        verbose_name_plural = "已发送记录"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.key

    @classmethod
    def claim(cls, key: str) -> bool:
        """Insert ``key``; False when it was already there. Call inside the work's transaction."""
        try:
            with transaction.atomic():
                cls.objects.create(key=key[:200])
        except IntegrityError:
            return False
        return True


class ScheduledRun(models.Model):
    """One slot of a periodic job that has been put on the queue (at most once per slot)."""

    job = models.CharField("任务", max_length=50)
    slot = models.CharField("时段", max_length=40)
    task_id = models.CharField("队列任务编号", max_length=64, blank=True)
    enqueued_at = models.DateTimeField("入队时间", default=clock.now)

    class Meta:
        verbose_name = "定时任务记录"
        verbose_name_plural = "定时任务记录"
        ordering = ["-enqueued_at"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="unique_scheduled_run")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot}"
