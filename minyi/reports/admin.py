"""Admin for categories (editable) and reports (read-only: the workflow lives in the app)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from minyi.core.admin import ReadOnlyAdmin
from minyi.reports.models import Category, Report, ReportAuthor


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "parent", "sort_order"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_editable = ["sort_order"]
    search_fields = ["name", "parent__name"]
    autocomplete_fields = ["parent"]


class ReportAuthorInline(admin.TabularInline):
    model = ReportAuthor
    fk_name = "report"
    fields = ["position", "member", "via_report"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["serial", "title", "state", "urgency", "submitting_unit", "submitted_at"]
    list_filter = ["state", "urgency", "is_composite", "submitting_unit__kind"]
    search_fields = ["serial", "title", "informant", "report_authors__member__name"]
    list_select_related = ["submitting_unit"]
    date_hierarchy = "submitted_at"
    inlines = [ReportAuthorInline]
