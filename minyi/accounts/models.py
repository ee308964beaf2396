"""The sessions a user has open, so they can be listed and ended one by one or all at once.

Django's database sessions are not indexed by user. A ``UserSession`` row is
written when a session logs in and touched as it is used; a logged-in session
without its row is one that was ended from elsewhere (``sessions.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minyi.core import clock


class UserSession(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="open_sessions",
    )
    session_key = models.CharField("会话标识", max_length=40, unique=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True, default="")
    created_at = models.DateTimeField("登录时间", default=clock.now)
    last_seen = models.DateTimeField("最近活动", default=clock.now)

    class Meta:
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.user} · {self.ip or '-'} · {self.last_seen:%Y-%m-%d %H:%M}"
