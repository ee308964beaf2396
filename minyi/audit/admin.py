"""Admin for the event log: a read-only list; rows are never changed or deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from minyi.audit.models import Event
from minyi.core.admin import ReadOnlyAdmin

#: Chinese names for the verbs events are written with; unknown verbs show as they are.
VERB_LABELS = {
    "create": "新建稿件",
    "edit": "修改稿件",
    "submit": "报送",
    "resubmit": "重新报送",
    "withdraw": "撤回",
    "return": "退回修改",
    "accept": "受理",
    "decline": "不予采用",
    "merge": "综合（并入）",
    "compose": "形成综合稿",
    "send_for_sign_off": "送审签",
    "sign_off": "签发",
    "reject_sign_off": "退回编辑",
    "publish": "编发",
    "send_directly": "直报",
    "claim": "认领",
    "release": "取消认领",
    "create_issue": "新建期次",
    "compose_issue": "编排刊物",
    "send_issue_for_sign_off": "刊物送审签",
    "reject_issue": "退回刊物",
    "sign_off_issue": "签发刊物",
    "forward": "报送对象",
    "adopt": "采用",
    "not_adopted": "未采用",
    "instruct": "领导批示",
    "import_message": "导入留言",
}


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
