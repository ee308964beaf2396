"""Admin for core tables, and the read-only base other apps' admins use."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from minyi.core.models import Counter


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed and searchable, never changed here: the workflow changes these through the app,
    where every change is checked and written to the event log."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Counter)
class CounterAdmin(ReadOnlyAdmin):
    # Editing a counter would skip or repeat serial numbers, so it is read-only.
    list_display = ["key", "year", "last"]
    list_filter = ["year"]
    search_fields = ["key"]
