"""Forms for the outcome pages: filters, forwarding, adoption and instructions.

Forms check what was typed (required fields, readable dates); the rules about
dates and states live in ``outcomes.actions`` and come back as ``ActionRefused``.
"""

from __future__ import annotations

from typing import Any

from django import forms

from minyi.core.fields import BoundedDateField, BoundedModelMultipleChoiceField
from minyi.core.wording import max_length_message
from minyi.outcomes.models import (
    AdoptionKind,
    ForwardingState,
    InstructionLevel,
    NotAdoptedReason,
    Recipient,
)
from minyi.people.models import Organization

DATE_HELP = "格式：年-月-日，如 2026-03-18"
ALL = "all"


def _date_field(label: str) -> forms.DateField:
    return BoundedDateField(
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

    def value(self, name: str) -> Any:
        """A field's cleaned value, or nothing when the form was not sent or the field is invalid.

        Per field, not per form: one mistyped filter must not drop the others (the
        register would then list rows that only look filtered).
        """
        if not self.is_bound:
            return None
        self.is_valid()  # cleans once; a field with an error has no cleaned value
        if name in self.errors or name in self.ignored_together:
            return None
        return self.cleaned_data.get(name)

    #: Fields dropped together when the form's own ``clean`` finds them inconsistent.
    ignored_together: tuple[str, ...] = ()

    def ignored(self) -> list[str]:
        """The labels of the filters sent but not applied (each has its message)."""
        if not self.is_bound:
            return []
        self.is_valid()
        names = [n for n in self.fields if n in self.errors or n in self.ignored_together]
        return [str(self.fields[n].label) for n in names]

    def chosen(self) -> tuple[str, Recipient | None]:
        """The state (待反馈 unless another was picked) and recipient to show."""
        return self.value("state") or ForwardingState.PENDING, self.value("recipient")


SORT_NEWEST, SORT_OLDEST, SORT_WAITING = "newest", "oldest", "waiting"
SORTS = [
    (SORT_WAITING, "等待最久（待反馈）"),
    (SORT_NEWEST, "最新报送"),
    (SORT_OLDEST, "最早报送"),
]


class RegisterForm(PendingFilterForm):
    """The outcomes register's search, filters and sort (all optional, all in the URL)."""

    q = forms.CharField(
        label="流水号或标题",
        required=False,
        max_length=100,
        error_messages={"max_length": max_length_message("流水号或标题")},
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "如 2026-0012 或 养老"}),
    )
    unit = forms.ModelChoiceField(
        label="报送单位",
        required=False,
        queryset=Organization.objects.filter(active=True),
        empty_label="全部单位",
    )
    since = BoundedDateField(
        label="报送日期自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = BoundedDateField(
        label="报送日期至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label="只看逾期未反馈", required=False)
    sort = forms.ChoiceField(label="排序", required=False, choices=SORTS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django's own wording repeats the value sent (a "%00" shows as "�").
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = f"{field.label}的选项无效，请重新选择。"
        for name in ("since", "until"):
            self.fields[name].error_messages["invalid"] = "日期格式不对，请按 年-月-日 填写。"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            # Neither date is applied (which one is wrong is the editor's call).
            self.ignored_together = ("since", "until")
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data

    def sort_key(self) -> str:
        return self.value("sort") or SORT_WAITING


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
    text_for_authors = forms.BooleanField(
        label="批示内容可告知反映人",
        required=False,
        help_text="不勾选时，反映人只看到有批示及其级别、日期，看不到批示原文",
    )


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


class NotAdoptedForm(OutcomeForm):
    """登记为未采用: a coded reason, a note, and an explicit confirmation."""

    reason = forms.ChoiceField(
        label="未采用原因",
        choices=[("", "请选择"), *NotAdoptedReason.choices],
        error_messages={**_required("未采用原因", "选择"), "invalid_choice": "请选择未采用原因。"},
    )
    note = forms.CharField(
        label="说明",
        required=False,
        max_length=200,
        help_text="选择“其他”时必填",
        error_messages={"max_length": max_length_message("说明")},
    )
    confirm = forms.BooleanField(
        label="确认登记为未采用（作者将收到通知）",
        error_messages={"required": "请勾选确认后再登记为未采用。"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("reason") == NotAdoptedReason.OTHER and not data.get("note", "").strip():
            self.add_error("note", "选择“其他”时须填写说明。")
        return data
