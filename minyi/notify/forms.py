"""The notification settings form (one choice of delivery per kind) and the list's filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from minyi.notify.kinds import KINDS, Delivery


class PreferencesForm(forms.Form):
    """One radio group per kind; a mandatory kind cannot be set to "off"."""

    def __init__(
        self,
        *args: Any,
        current: dict[str, str],
        mandatory: frozenset[str],
        kinds: list[str] | None = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.mandatory = mandatory & set(kinds or KINDS)
        self.kinds = kinds or list(KINDS)
        for code in self.kinds:
            kind = KINDS[code]
            self.fields[code] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=kind.choices,
                initial=current[code],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"请为“{kind.label}”选择发送方式。",
                    "invalid_choice": f"“{kind.label}”的发送方式无效，请重新选择。",
                },
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for code in self.mandatory:
            if data.get(code) == Delivery.OFF:
                label = KINDS[code].label
                self.add_error(
                    code, f"研究室已将“{label}”设为必须接收，不能关闭；可选即时发送或每日汇总。"
                )
        return data

    def rows(self) -> list[tuple[forms.BoundField, bool]]:
        return [(self[code], code in self.mandatory) for code in self.kinds]


#: How far back the notification list looks (days), or everything.
PERIODS = [("", "全部时间"), ("1", "今天"), ("7", "近 7 天"), ("30", "近 30 天")]
READ_STATES = [("", "全部"), ("unread", "未读"), ("read", "已读")]


class NotificationFilterForm(forms.Form):
    """The notification list's filters: kind, read or unread, period (all optional)."""

    kind = forms.ChoiceField(
        label="类别",
        required=False,
        choices=[("", "全部类别"), *((k.code, k.label) for k in KINDS.values())],
        error_messages={"invalid_choice": "通知类别无效，请重新选择。"},
    )
    read = forms.ChoiceField(
        label="状态",
        required=False,
        choices=READ_STATES,
        error_messages={"invalid_choice": "已读状态无效，请重新选择。"},
    )
    period = forms.ChoiceField(
        label="时间",
        required=False,
        choices=PERIODS,
        error_messages={"invalid_choice": "时间范围无效，请重新选择。"},
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("label_suffix", "")
        super().__init__(*args, **kw)

    def apply(self, notes: Any, now: dt.datetime) -> Any:
        """Narrow ``notes`` by the valid filters; an invalid form narrows nothing."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("kind"):
            notes = notes.filter(kind=data["kind"])
        if data.get("read") == "unread":
            notes = notes.filter(read_at__isnull=True)
        elif data.get("read") == "read":
            notes = notes.filter(read_at__isnull=False)
        if data.get("period"):
            start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
            notes = notes.filter(created_at__gte=start - dt.timedelta(days=int(data["period"]) - 1))
        return notes
