"""The 十报十不报 checklist for the triage forms (reports.screening)."""

from __future__ import annotations

from django import template

from minyi.reports.screening import ScreeningItem

register = template.Library()


@register.simple_tag
def screening_items(kind: str) -> list[ScreeningItem]:
    """The active items of one kind (``report`` 报 / ``not_report`` 不报), in order."""
    return list(ScreeningItem.objects.of_kind(kind))
