"""Admin for the event log: a read-only list; rows are never changed or deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from minyi.audit.models import Event
from minyi.audit.verbs import VERB_LABELS
from minyi.core.admin import ReadOnlyAdmin

#: Checks from higher floors: does this event's payload tell ``user`` something they may
#: not read? The reports app registers one for events about reports (a draft's "create"
#: event carries its title). Such an event stays listed (who, what, when); its payload is
#: withheld. A registry, because the audit floor may not import the apps above it.
PAYLOAD_GUARDS: list[Callable[[Any, Event], bool]] = []
WITHHELD = "（不可见：涉及您无权查看的稿件）"


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

    def get_fields(self, request: HttpRequest, obj: Event | None = None) -> list[str]:
        fields = [f for f in super().get_fields(request, obj) if f != "payload_withheld"]
        if obj is not None and any(hidden(request.user, obj) for hidden in PAYLOAD_GUARDS):
            fields = ["payload_withheld" if f == "payload" else f for f in fields]
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Event | None = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "payload_withheld"]

    @admin.display(description="内容")
    def payload_withheld(self, event: Event) -> str:
        return WITHHELD

    @admin.display(description="动作", ordering="verb")
    def verb_label(self, event: Event) -> str:
        return VERB_LABELS.get(event.verb, event.verb)
