from __future__ import annotations

from django.contrib import admin

from minyi.duties.models import Commission


@admin.register(Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = ("topic", "member", "unit", "due_on", "state")
    list_filter = ("state",)
    # The moves are the workflow's: the admin reads, the pages act. The report is named by
    # its number only: a draft's title is its authors' alone, even from the admin.
    exclude = ("report",)
    readonly_fields = [f.name for f in Commission._meta.fields if f.name != "report"] + [
        "report_number"
    ]

    @admin.display(description="所交信息编号")
    def report_number(self, obj: Commission) -> str:
        return str(obj.report_id or "—")

    def has_add_permission(self, request: object) -> bool:
        return False
