"""Forms for the topic guide and commissions; every message in Chinese."""

from __future__ import annotations

from typing import Any

from django import forms

from minyi.core.fields import BoundedDateField
from minyi.core.widgets import QuickCheckboxes, QuickSelect, QuickSelectMultiple
from minyi.core.wording import max_length_message
from minyi.people.models import Member, Organization
from minyi.reports.models import Category

DATE = forms.DateInput(attrs={"type": "date"})
DATE_ERRORS = {"required": "请填写日期。", "invalid": "日期格式不正确，应为 年-月-日。"}


def _date(label: str, **kwargs: Any) -> BoundedDateField:
    # The years a term may start in (as ``start_year`` below): a member appointed
    # before 2000 is on record, and "the day before" a date stays a date.
    return BoundedDateField(label=label, first_year=1950, last_year=2200, **kwargs)


class TopicForm(forms.Form):
    title = forms.CharField(
        label="选题",
        max_length=200,
        error_messages={"required": "请填写选题。", "max_length": max_length_message("选题")},
    )
    background = forms.CharField(label="背景说明", widget=forms.Textarea, required=False)
    departments = forms.CharField(
        label="关注部门",
        max_length=300,
        required=False,
        help_text="关心此选题的部门，用顿号分隔，如：市卫健委、市民政局",
        error_messages={"max_length": max_length_message("关注部门")},
    )
    category = forms.ModelChoiceField(
        label="类别",
        queryset=Category.objects.select_related("parent"),
        required=False,
        empty_label="（不限类别）",
        error_messages={"invalid_choice": "所选类别不存在。"},
    )
    opens_on = _date(label="开始日期", widget=DATE, error_messages=DATE_ERRORS)
    closes_on = _date(label="截止日期", widget=DATE, error_messages=DATE_ERRORS)
    published = forms.BooleanField(
        label="发布（委员在首页看到此选题）", required=False, initial=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "截止日期不能早于开始日期。")
        return data


class CommissionForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label="约稿委员",
        queryset=Member.objects.filter(active=True).order_by("name", "id"),
        required=False,
        # Every active member (3,000 in a big city): options joined in Python.
        widget=QuickSelectMultiple,
        help_text="可多选；每位委员各自答复。",
        error_messages={
            "invalid_choice": "所选委员不存在。",
            "invalid_pk_value": "所选委员不存在。",
        },
    )
    unit = forms.ModelChoiceField(
        label="或约稿单位",
        queryset=Organization.objects.filter(active=True).exclude(
            kind__in=("host", "research_office")
        ),
        required=False,
        empty_label="（不向单位约稿）",
        error_messages={"invalid_choice": "所选单位不存在。"},
    )
    due_on = _date(label="交稿期限", widget=DATE, error_messages=DATE_ERRORS)
    request = forms.CharField(
        label="约稿说明",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
        error_messages={"max_length": max_length_message("约稿说明")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("members") and not data.get("unit") and not self.errors:
            raise forms.ValidationError("请选择约稿的委员或单位。")
        return data


class AnswerForm(forms.Form):
    reason = forms.CharField(
        label="理由",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": max_length_message("理由")},
    )


class ChangeTermForm(forms.Form):
    name = forms.CharField(
        label="新一届名称",
        max_length=30,
        error_messages={
            "required": "请填写新一届的名称。",
            "max_length": max_length_message("名称"),
        },
    )
    start_year = forms.IntegerField(
        label="起始年份",
        min_value=1950,
        max_value=2200,
        error_messages={"required": "请填写起始年份。", "invalid": "年份须为整数。"},
    )
    end_year = forms.IntegerField(
        label="结束年份",
        min_value=1950,
        max_value=2200,
        error_messages={"required": "请填写结束年份。", "invalid": "年份须为整数。"},
    )
    starts_on = _date(label="换届日期", widget=DATE, error_messages=DATE_ERRORS)
    continuing = forms.ModelMultipleChoiceField(
        label="留任委员（未勾选的委员在换届前一天离任）",
        queryset=Member.objects.none(),
        required=False,
        # Every serving member is a box (3,000 at a time): joined in Python, not per template.
        widget=QuickCheckboxes,
        error_messages={"invalid_choice": "所选委员不是本届在任委员。"},
    )

    def __init__(self, *args: Any, serving: list[Member], **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["continuing"]
        # Only what a box shows: the page lists every serving member.
        field.queryset = (
            Member.objects.filter(pk__in=[m.pk for m in serving]).order_by("name").only("name")
        )
        field.initial = [m.pk for m in serving]


class AppointForm(forms.Form):
    member = forms.ModelChoiceField(
        label="委员",
        # Every active member is an option (3,000 at a time): only what the option and the
        # checks read, and joined in Python, not one template per option.
        queryset=Member.objects.filter(active=True).order_by("name", "id").only("name", "active"),
        widget=QuickSelect,
        error_messages={"required": "请选择委员。", "invalid_choice": "所选委员不存在或已不在职。"},
    )
    appointed_on = _date(label="聘任日期", widget=DATE, error_messages=DATE_ERRORS)
    letter = forms.CharField(
        label="聘任文号",
        max_length=60,
        error_messages={"required": "请填写聘任文号。", "max_length": max_length_message("文号")},
    )


class RemoveOfficerForm(forms.Form):
    removed_on = _date(label="解聘日期", widget=DATE, error_messages=DATE_ERRORS)
    letter = forms.CharField(label="解聘文号", max_length=60, required=False)
    reason = forms.CharField(
        label="解聘原因",
        max_length=200,
        error_messages={"required": "请填写解聘原因。", "max_length": max_length_message("原因")},
    )
