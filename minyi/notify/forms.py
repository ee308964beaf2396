"""The notification settings form: one choice of delivery per kind."""

from __future__ import annotations

from typing import Any

from django import forms

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
