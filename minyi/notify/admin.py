"""Admin for notifications (read-only: written by the app), kind policies and preferences.

Background jobs themselves are listed by django-tasks-db's own admin (任务结果),
and summarised on the staff page ``notify:background``.
"""

from __future__ import annotations

from django.contrib import admin

from minyi.core.admin import ReadOnlyAdmin
from minyi.notify.models import Dispatch, KindPolicy, Notification, Preference, ScheduledRun


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "verb", "message", "delivery", "created_at", "delivered_at"]
    list_filter = ["kind", "delivery", "verb"]
    search_fields = ["user__username", "user__display_name", "message"]
    list_select_related = ["user"]


@admin.register(KindPolicy)
class KindPolicyAdmin(admin.ModelAdmin):
    """The office marks kinds every user must receive (they cannot switch them off)."""

    list_display = ["kind", "mandatory"]
    list_editable = ["mandatory"]


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "delivery", "updated_at"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__username", "user__display_name"]
    list_select_related = ["user"]


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyAdmin):
    list_display = ["key", "created_at"]
    search_fields = ["key"]


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin):
    list_display = ["job", "slot", "enqueued_at", "task_id"]
    list_filter = ["job"]
