"""Admin for bulletin series with their approval chains (editable) and issues (read-only)."""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.contrib import admin

from minyi.bulletins.chain import check_chain
from minyi.bulletins.models import ApprovalStep, Bulletin, Issue, IssueOpinion
from minyi.core.admin import ReadOnlyAdmin


class ChainFormSet(forms.BaseInlineFormSet):
    """Refuse a chain whose positions repeat or whose last step is not an approver's."""

    def clean(self) -> None:
        super().clean()
        chains: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("label"):
                continue
            chains[data.get("urgency", "")].append(
                (data.get("position") or 0, data["label"], data.get("role", ""))
            )
        for steps in chains.values():
            if problem := check_chain(steps):
                raise forms.ValidationError(problem)


class ApprovalStepInline(admin.TabularInline):
    model = ApprovalStep
    formset = ChainFormSet
    extra = 0
    fields = ["urgency", "position", "label", "role"]


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["__str__", "code", "publisher", "active", "sort_order"]
    list_filter = ["active"]
    list_editable = ["active", "sort_order"]
    search_fields = ["name", "code"]
    inlines = [ApprovalStepInline]


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "state", "cumulative_number", "editor", "approver", "signed_off_at"]
    list_filter = ["bulletin", "state", "year"]
    search_fields = ["bulletin__name", "items__report__title"]
    list_select_related = ["bulletin", "editor", "approver"]


@admin.register(IssueOpinion)
class IssueOpinionAdmin(ReadOnlyAdmin):
    list_display = ["issue", "step_label", "action", "text", "signer", "ip", "created_at"]
    list_filter = ["action"]
    list_select_related = ["issue__bulletin", "signer"]
