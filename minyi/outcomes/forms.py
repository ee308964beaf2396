"""Forms for the outcome pages: filters, forwarding, adoption and instructions.

Forms check what was typed (required fields, readable dates); the rules about
dates and states live in ``outcomes.actions`` and come back as ``ActionRefused``.
"""

from __future__ import annotations

from typing import Any

from django import forms

from minyi.core.fields import BoundedModelMultipleChoiceField
from minyi.outcomes.models import (
    AdoptionKind,
    ForwardingState,
    InstructionLevel,
    Recipient,
)

DATE_HELP = "格式：年-月-日，如 2026-03-18"
ALL = "all"


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"],
        help_text=DATE_HELP,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}格式不正确，请按“年-月-日”填写，如 2026-03-18。",
        },
    )


def _required(label: str, verb: str = "填写") -> dict[str, str]:
    return {"required": f"请{verb}{label}。"}


class OutcomeForm(forms.Form):
    """A form whose labels carry no ASCII colon (labels sit above the fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PendingFilterForm(OutcomeForm):
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[*ForwardingState.choices, (ALL, "全部")],
    )
    recipient = forms.ModelChoiceField(
        label="报送对象",
        required=False,
        queryset=Recipient.objects.all(),
        empty_label="全部报送对象",
    )

    def chosen(self) -> tuple[str, Recipient | None]:
        """The state (待反馈 unless another was picked) and recipient to show."""
        if not self.is_bound or not self.is_valid():
            return ForwardingState.PENDING, None
        return self.cleaned_data["state"] or ForwardingState.PENDING, self.cleaned_data["recipient"]


class AdoptionForm(OutcomeForm):
    kind = forms.ChoiceField(
        label="采用类型",
        choices=AdoptionKind.choices,
        widget=forms.RadioSelect,
        error_messages={**_required("采用类型", "选择"), "invalid_choice": "请选择采用类型。"},
    )
    carrier = forms.CharField(
        label="采用载体",
        required=False,
        max_length=100,
        help_text="如：全国政协《社情民意信息》第 12 期",
    )
    adopted_on = _date_field("采用日期")


class InstructionForm(OutcomeForm):
    leader_name = forms.CharField(
        label="批示领导", max_length=50, error_messages=_required("批示领导姓名")
    )
    leader_title = forms.CharField(
        label="领导职务", max_length=100, required=False, help_text="如：副省长"
    )
    level = forms.ChoiceField(
        label="批示级别",
        choices=[("", "请选择"), *InstructionLevel.choices],
        error_messages={**_required("批示级别", "选择"), "invalid_choice": "请选择批示级别。"},
    )
    text = forms.CharField(
        label="批示内容",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required("批示内容"),
    )
    instructed_on = _date_field("批示日期")


class ForwardForm(OutcomeForm):
    recipients = BoundedModelMultipleChoiceField(
        label="报送对象",
        queryset=Recipient.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            **_required("报送对象", "选择"),
            "invalid_choice": "所选报送对象已报送过或已停用，请刷新页面后重试。",
            "invalid_pk_value": "所选报送对象无效，请刷新页面后重试。",
        },
    )
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args: Any, open_recipients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = open_recipients
