"""In-app notifications: the feedback channel to authors and staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minyi.core import clock


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def for_user(self, user: object) -> NotificationQuerySet:
        return self.filter(user=user)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField("事由", max_length=50)
    message = models.CharField("内容", max_length=300)
    url = models.CharField("链接", max_length=200, blank=True)
    event_id = models.BigIntegerField("事件", null=True, blank=True)
    created_at = models.DateTimeField("时间", default=clock.now, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message
