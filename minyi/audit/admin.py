"""Admin for the event log: a read-only list; rows are never changed or deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from minyi.audit.models import Event
from minyi.audit.verbs import VERB_LABELS
from minyi.core.admin import ReadOnlyAdmin

#: Chinese names for the verbs events are written with; unknown verbs show as they are.


class VerbFilter(admin.SimpleListFilter):
    title = "动作"
    parameter_name = "verb"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        verbs = Event.objects.order_by("verb").values_list("verb", flat=True).distinct()
        return [(v, VERB_LABELS.get(v, v)) for v in verbs]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Event]) -> QuerySet[Event]:
        return queryset.filter(verb=self.value()) if self.value() else queryset


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "created_at",
        "actor",
        "verb_label",
        "object_type",
        "object_id",
        "report_id",
    ]
    list_filter = [VerbFilter, "object_type"]
    search_fields = ["object_id", "hash"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"
    ordering = ["-id"]

    @admin.display(description="动作", ordering="verb")
    def verb_label(self, event: Event) -> str:
        return VERB_LABELS.get(event.verb, event.verb)
