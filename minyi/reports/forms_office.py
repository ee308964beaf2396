"""Forms for the research office pages: the triage filters and the workbench inputs.

Forms only parse and validate what was typed; permissions and state checks stay
in ``workflow.check_transition`` and the ``do_*`` functions, so a message about
a refused move is written in one place.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from minyi.people.models import Organization
from minyi.reports.categories import CategoryChoiceField
from minyi.reports.models import (
    DeclineReason,
    Report,
    ReportQuerySet,
    Revision,
    State,
    Urgency,
)

#: The states the triage queue shows unless the editor picks others.
TRIAGE_STATES = (State.SUBMITTED, State.ACCEPTED, State.AWAITING_SIGN_OFF, State.SIGNED_OFF)

CLAIM_CHOICES = [("", "不限"), ("me", "我认领的"), ("nobody", "无人认领")]


class OfficeForm(forms.Form):
    """A form whose labels carry no ASCII colon (the layout puts labels above fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


ORDER_BY_CLOCK = "clock"
#: How the triage queue may be ordered: by the deadline clock (the default: what is
#: most at risk first) or by urgency, then arrival (the queryset's own order).
TRIAGE_ORDERS = [(ORDER_BY_CLOCK, "剩余时限（最紧迫在前）"), ("arrival", "紧急程度、报送时间")]


class TriageFilterForm(OfficeForm):
    state = forms.MultipleChoiceField(
        label="状态",
        required=False,
        choices=[(s.value, s.label) for s in TRIAGE_STATES],
        widget=forms.CheckboxSelectMultiple,
    )
    urgency = forms.ChoiceField(
        label="紧急程度", required=False, choices=[("", "不限"), *Urgency.choices]
    )
    unit = forms.ModelChoiceField(
        label="报送单位",
        required=False,
        queryset=Organization.objects.filter(active=True),
        empty_label="全部单位",
    )
    category = CategoryChoiceField(
        label="类别", required=False, empty_label="全部类别", parents_selectable=True
    )
    claimed = forms.ChoiceField(label="认领", required=False, choices=CLAIM_CHOICES)
    q = forms.CharField(label="标题", required=False, max_length=100)
    order = forms.ChoiceField(label="排序", required=False, choices=TRIAGE_ORDERS)

    def ordering(self) -> str:
        """The chosen order; the clock unless the editor asked otherwise."""
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("order") or ORDER_BY_CLOCK

    def apply(self, reports: ReportQuerySet, user: Any) -> ReportQuerySet:
        """Narrow ``reports`` by the valid filters; an invalid form filters nothing extra."""
        data = self.cleaned_data if self.is_valid() else {}
        states = data.get("state") or [s.value for s in TRIAGE_STATES]
        reports = reports.filter(state__in=states)
        reports = reports.narrowed(
            unit=data.get("unit"), category=data.get("category"), urgency=data.get("urgency")
        )
        if data.get("claimed") == "me":
            reports = reports.filter(claimed_by=user)
        elif data.get("claimed") == "nobody":
            reports = reports.filter(claimed_by__isnull=True)
        if q := (data.get("q") or "").strip():
            reports = reports.filter(Q(title__icontains=q) | Q(serial=q))
        return reports


class TextForm(OfficeForm):
    title = forms.CharField(label="标题", max_length=200)
    situation = forms.CharField(label="情况", required=False, widget=forms.Textarea)
    analysis = forms.CharField(label="原因分析", required=False, widget=forms.Textarea)
    suggestions = forms.CharField(label="意见建议", required=False, widget=forms.Textarea)
    note = forms.CharField(
        label="修改说明", required=False, max_length=200, help_text="简要说明改了什么、为什么改"
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput)

    # Django strips whitespace by default; the text is prose whose line breaks matter.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("situation", "analysis", "suggestions"):
            self.fields[name].strip = False

    def text_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in Revision.TEXT_FIELDS}


class ClassifyForm(OfficeForm):
    # Required: the office's correction never leaves a report 未分类 (boards and the
    # annual figures count by category).
    category = CategoryChoiceField(
        label="类别",
        empty_label="请选择类别",
        error_messages={
            "required": "请选择类别：受理后的稿件必须归入一个类别。",
            "invalid_choice": "所选类别不存在，请重新选择。",
        },
    )
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices)


class NoteForm(OfficeForm):
    """A reason for 退回修改 / 退回编辑; whether it is required is the workflow's call."""

    note = forms.CharField(label="理由", required=False, max_length=1000)


class DeclineForm(OfficeForm):
    reason = forms.ChoiceField(
        label="不予采用原因",
        choices=[("", "按勾选的“不报”情形"), *DeclineReason.choices],
        # Optional: the first ticked 不报 item gives the code (reports.screening).
        required=False,
    )
    note = forms.CharField(label="说明", required=False, max_length=1000)


class DuplicateForm(OfficeForm):
    original = forms.CharField(
        label="重复于（流水号或编号）",
        max_length=20,
        error_messages={"required": "请填写所重复稿件的流水号或编号。"},
    )

    def find_original(self, reports: ReportQuerySet) -> Report | None:
        """Look the earlier report up among ``reports`` (what this user may see)."""
        value = self.cleaned_data["original"].strip()
        q = Q(serial=value)
        if value.isascii() and value.isdigit() and len(value) <= 18:
            q |= Q(pk=int(value))
        return reports.filter(q).order_by("id").first()


class MergeForm(OfficeForm):
    title = forms.CharField(
        label="综合稿标题",
        max_length=200,
        required=False,
        help_text="不填则沿用第一篇稿件的标题",
    )
    situation = forms.CharField(label="情况", required=False, widget=forms.Textarea)
    analysis = forms.CharField(label="原因分析", required=False, widget=forms.Textarea)
    suggestions = forms.CharField(label="意见建议", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("situation", "analysis", "suggestions"):
            self.fields[name].strip = False  # prose: its line breaks matter
            self.fields[name].widget.attrs["rows"] = 8

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any((data.get(n) or "").strip() for n in ("situation", "analysis", "suggestions")):
            raise forms.ValidationError("综合稿的正文不能为空，请填写情况、原因分析或意见建议。")
        return data

    def text(self) -> dict[str, str]:
        return {n: self.cleaned_data[n] for n in ("situation", "analysis", "suggestions")}
