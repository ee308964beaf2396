"""Admin for recipients (editable) and forwardings with their outcomes (read-only)."""

from __future__ import annotations

from django.contrib import admin

from minyi.core.admin import ReadOnlyAdmin
from minyi.outcomes.models import Adoption, Forwarding, Instruction, Recipient


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "active", "sort_order"]
    list_filter = ["level", "active"]
    list_editable = ["active", "sort_order"]
    search_fields = ["name"]


@admin.register(Forwarding)
class ForwardingAdmin(ReadOnlyAdmin):
    list_display = ["report", "recipient", "issue", "state", "forwarded_at"]
    list_filter = ["state", "recipient"]
    search_fields = ["report__title", "report__serial", "recipient__name"]
    list_select_related = ["report", "recipient", "issue__bulletin"]
    date_hierarchy = "forwarded_at"


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAdmin):
    list_display = ["forwarding", "kind", "carrier", "adopted_on"]
    list_filter = ["kind", "forwarding__recipient"]
    search_fields = ["forwarding__report__title", "carrier"]
    list_select_related = ["forwarding__report", "forwarding__recipient"]


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyAdmin):
    list_display = ["leader_name", "leader_title", "level", "instructed_on", "forwarding"]
    list_filter = ["level"]
    search_fields = ["leader_name", "forwarding__report__title", "text"]
    list_select_related = ["forwarding__report", "forwarding__recipient"]
