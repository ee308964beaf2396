"""Admin for notifications: read-only, they are written by the feedback channel."""

from __future__ import annotations

from django.contrib import admin

from minyi.core.admin import ReadOnlyAdmin
from minyi.notify.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "verb", "message", "created_at", "read_at"]
    list_filter = ["verb"]
    search_fields = ["user__username", "user__display_name", "message"]
    list_select_related = ["user"]
