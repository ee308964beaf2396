from __future__ import annotations

from django.contrib import admin

from minyi.duties.models import Commission


@admin.register(Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = ("topic", "member", "unit", "due_on", "state")
    list_filter = ("state",)
    # The moves are the workflow's: the admin reads, the pages act.
    readonly_fields = [f.name for f in Commission._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
