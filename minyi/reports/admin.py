"""Admin for categories (editable) and reports (read-only: the workflow lives in the app).

Reports here follow ``visible_reports`` like every page: an admin sees no one else's drafts,
and events about them are listed without their payload.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from minyi.audit.admin import PAYLOAD_GUARDS
from minyi.audit.models import Event
from minyi.core.admin import ReadOnlyAdmin
from minyi.reports.access import readable_ids, visible_reports
from minyi.reports.models import Category, Report, ReportAuthor
from minyi.reports.screening import ScreeningItem


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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        # The same rule as every page: drafts stay private to their authors, even here.
        readable = visible_reports(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=readable)


def event_payload_hidden(user: Any, event: Event) -> bool:
    """Whether an event is about a report the user may not read (its payload stays hidden)."""
    return event.report_id is not None and not readable_ids(user, [event.report_id])


PAYLOAD_GUARDS.append(event_payload_hidden)


@admin.register(ScreeningItem)
class ScreeningItemAdmin(admin.ModelAdmin):
    """十报十不报: the checklist shown at triage. Deactivate rather than delete: past events
    keep the text of what was ticked, but a live list should not lose its history."""

    list_display = ["text", "kind", "decline_reason", "sort_order", "active"]
    list_filter = ["kind", "active"]
    list_editable = ["sort_order", "active"]
    search_fields = ["text", "explanation"]
