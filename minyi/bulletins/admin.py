"""Admin for bulletin series (editable) and issues (read-only: issued through the app)."""

from __future__ import annotations

from django.contrib import admin

from minyi.bulletins.models import Bulletin, Issue
from minyi.core.admin import ReadOnlyAdmin


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["__str__", "code", "publisher", "active", "sort_order"]
    list_filter = ["active"]
    list_editable = ["active", "sort_order"]
    search_fields = ["name", "code"]


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "state", "editor", "approver", "signed_off_at"]
    list_filter = ["bulletin", "state", "year"]
    search_fields = ["bulletin__name", "items__report__title"]
    list_select_related = ["bulletin", "editor", "approver"]
