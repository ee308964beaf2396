"""The office's 密级 form (workbench and approver's read page)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from minyi.reports.models import Confidentiality, Report, confidentiality_problem


class ConfidentialityForm(forms.Form):
    level = forms.ChoiceField(label="密级", choices=Confidentiality.choices, required=False)
    until = forms.DateField(
        label="保密期限（至）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "保密期限须为日期，如 2027-06-30。"},
        help_text="标注“秘密”时必填",
    )
    note = forms.CharField(label="说明", required=False, max_length=200)

    @classmethod
    def for_report(cls, report: Report) -> ConfidentialityForm:
        return cls(initial={"level": report.confidentiality, "until": report.confidential_until})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        level, until = data.get("level") or "", data.get("until")
        if "until" not in self.errors and (problem := confidentiality_problem(level, until)):
            self.add_error("until", problem)
        return data

    def marking(self) -> tuple[str, datetime.date | None]:
        return self.cleaned_data.get("level") or "", self.cleaned_data.get("until")
