"""Upload, column-mapping and export-filter forms; all messages in Chinese."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from minyi.exchange.outcome_columns import ARCHIVE_STATES
from minyi.exchange.reports_import import FIELDS
from minyi.people.models import Organization
from minyi.reports.categories import CategoryChoiceField
from minyi.reports.models import State, Urgency

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
REQUIRED_MAPPING = ("title", "situation", "suggestions")


def _check_size(f: UploadedFile) -> UploadedFile:
    if f.size and f.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(f"文件“{f.name}”超过 20 MB，请拆分后分批上传。")
    return f


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="委员名册（.xlsx）",
        error_messages={"required": "请选择要上传的 Excel 文件。", "empty": "上传的文件是空的。"},
    )

    def clean_file(self) -> UploadedFile:
        return _check_size(self.cleaned_data["file"])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx,.csv,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError("请选择要上传的文件。")
        return [_check_size(super(MultipleFileField, self).clean(f, initial)) for f in files]


class ReportUploadForm(forms.Form):
    files = MultipleFileField(
        label="文件",
        help_text="一个 Excel（.xlsx）或 CSV 文件；或多个 Word（.docx）文件，每个一篇。",
    )
    unit = forms.ModelChoiceField(
        label="默认报送单位",
        required=False,
        queryset=Organization.objects.filter(active=True),
        empty_label="（不设置）",
        help_text="文件中没有写明报送单位时使用。",
    )
    informant = forms.CharField(
        label="默认反映人",
        required=False,
        max_length=200,
        help_text="文件中没有写明反映人时使用；多人用“、”分隔。",
    )

    state = forms.ChoiceField(
        label="未写明状态的行按",
        required=False,
        choices=[("", "（每行须写明状态）")] + [(s.value, s.label) for s in ARCHIVE_STATES],
        help_text="历史信息保留原日期和状态，不进入受理和时限；状态列可写已编发、已采用、已直报或不予采用。",
    )

    def clean_files(self) -> list[UploadedFile]:
        files = self.cleaned_data["files"]
        kinds = {f.name.lower().rsplit(".", 1)[-1] for f in files}
        if not kinds <= {"xlsx", "csv", "docx"}:
            raise forms.ValidationError("只能上传 .xlsx、.csv 或 .docx 文件。")
        if kinds != {"docx"} and len(files) > 1:
            raise forms.ValidationError(
                "Excel 或 CSV 文件一次只能上传一个；多个文件请用 Word 格式。"
            )
        return files

    def options(self) -> dict[str, Any]:
        unit = self.cleaned_data.get("unit")
        return {
            "unit_id": unit.pk if unit else None,
            "informant": self.cleaned_data["informant"],
            "state": self.cleaned_data.get("state", ""),
        }


class MappingForm(forms.Form):
    """One select per report field, listing the file's columns."""

    def __init__(self, headers: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "（不导入）")] + [
            (str(i), h or f"第 {i + 1} 列") for i, h in enumerate(headers)
        ]
        for key, label, _ in FIELDS:
            self.fields[key] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=key in REQUIRED_MAPPING,
                error_messages={"required": f"请指定哪一列是“{label}”。"},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        used = [v for v in data.values() if v]
        if len(used) != len(set(used)):
            raise forms.ValidationError("同一列不能对应两个字段，请检查。")
        return data

    def mapping(self) -> dict[str, int | None]:
        return {key: int(v) if (v := self.cleaned_data.get(key)) else None for key, _, _ in FIELDS}


class ExportFilterForm(forms.Form):
    """The triage list's filters, over every state, so its query string can be passed on."""

    state = forms.MultipleChoiceField(label="状态", required=False, choices=State.choices)
    urgency = forms.ChoiceField(
        label="紧急程度", required=False, choices=[("", ""), *Urgency.choices]
    )
    unit = forms.ModelChoiceField(
        label="报送单位", required=False, queryset=Organization.objects.all()
    )
    category = CategoryChoiceField(
        label="类别", required=False, empty_label="", parents_selectable=True
    )
    q = forms.CharField(label="标题", required=False, max_length=100)
