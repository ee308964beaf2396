"""Admins keep next year's holidays and the service levels up to date here."""

from __future__ import annotations

from django.contrib import admin

from minyi.deadlines.models import CalendarOverride, FeedbackDeadline, ServiceLevel


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    search_fields = ["note"]
    date_hierarchy = "date"


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    list_display = ["urgency", "stage", "amount", "unit"]
    list_filter = ["urgency", "stage"]
    list_editable = ["amount", "unit"]


@admin.register(FeedbackDeadline)
class FeedbackDeadlineAdmin(admin.ModelAdmin):
    list_display = ["recipient", "working_days"]
    list_editable = ["working_days"]
    list_select_related = ["recipient"]
