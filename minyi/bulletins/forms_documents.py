"""Forms of the documents pages: 编者按, a print run (分发登记), the yearbook's series and year."""

from __future__ import annotations

from typing import Any

from django import forms

from minyi.bulletins.distribution import MAX_COPIES, holders_from
from minyi.bulletins.models import Bulletin, Issue

EDITOR_NOTE_LIMIT = 1000
HOLDER_LIMIT = 100


class EditorNoteForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["editor_note"]
        widgets = {"editor_note": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"editor_note": "印在目录之后、第一篇之前；留空则不印。"}

    def clean_editor_note(self) -> str:
        note = self.cleaned_data["editor_note"].strip()
        if len(note) > EDITOR_NOTE_LIMIT:
            raise forms.ValidationError(f"编者按不超过{EDITOR_NOTE_LIMIT}字（现有{len(note)}字）。")
        return note


class PrintRunForm(forms.Form):
    copies = forms.IntegerField(
        label="印制份数",
        min_value=1,
        max_value=MAX_COPIES,
        error_messages={
            "required": "请填写印制份数。",
            "invalid": "印制份数须是整数。",
            "min_value": "印制份数至少1份。",
            "max_value": f"印制份数不超过{MAX_COPIES}份。",
        },
    )
    holders = forms.CharField(
        label="分发对象（每行一个，依次领取份号）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="未列出的份数登记为“备用”。",
    )

    def clean_holders(self) -> list[str]:
        holders = holders_from(self.cleaned_data.get("holders", ""))
        long = [h for h in holders if len(h) > HOLDER_LIMIT]
        if long:
            raise forms.ValidationError(f"分发对象名称不超过{HOLDER_LIMIT}字：{long[0][:20]}…")
        return holders

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        copies, holders = data.get("copies"), data.get("holders") or []
        if copies is not None and len(holders) > copies:
            self.add_error("holders", f"分发对象（{len(holders)}个）多于印制份数（{copies}份）。")
        return data


class YearbookForm(forms.Form):
    bulletin = forms.ModelChoiceField(
        label="刊物",
        queryset=Bulletin.objects.all(),
        empty_label=None,
        error_messages={"required": "请选择刊物。", "invalid_choice": "没有这个刊物。"},
    )
    year = forms.IntegerField(
        label="年份",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "请填写年份。",
            "invalid": "年份须是四位数字。",
            "min_value": "年份须在2000年至2100年之间。",
            "max_value": "年份须在2000年至2100年之间。",
        },
    )
