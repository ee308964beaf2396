"""十报十不报: the checklist the office screens a report against at triage.

The list is data (``ScreeningItem``, edited by admins in Django admin, seeded by a data
migration). Each 不报 item names the decline reason (``DeclineReason``) it stands for, so
a decline can take its reason from the ticked items. The rules the office works by:

- 受理: the editor may tick the 报 items the report meets; ticking a 不报 item refuses
  the acceptance (a report that must not be reported is declined, not accepted).
- 不予采用: the editor must tick at least one 不报 item, or write the reason in the note
  (for reasons no 不报 item covers: 未做到一事一报、质量不高…). With no reason code chosen,
  the first ticked item's code is taken.

The ticked items go into the ``accept`` / ``decline`` event as they read at that moment,
so a later edit of the list does not rewrite what was decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models

from minyi.audit.statemachine import ActionRefused
from minyi.reports.models import DeclineReason


class ScreeningKind(models.TextChoices):
    REPORT = "report", "报"
    NOT_REPORT = "not_report", "不报"


class ScreeningItemQuerySet(models.QuerySet["ScreeningItem"]):
    def active(self) -> ScreeningItemQuerySet:
        return self.filter(active=True).order_by("kind", "sort_order", "id")

    def of_kind(self, kind: str) -> ScreeningItemQuerySet:
        return self.active().filter(kind=kind)


class ScreeningItem(models.Model):
    kind = models.CharField("类型", max_length=12, choices=ScreeningKind.choices)
    text = models.CharField("内容", max_length=100)
    explanation = models.CharField("说明", max_length=300, blank=True)
    decline_reason = models.CharField(
        "对应不予采用原因",
        max_length=30,
        blank=True,
        choices=DeclineReason.choices,
        help_text="“不报”情形对应的不予采用原因代码",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    objects = ScreeningItemQuerySet.as_manager()

    class Meta:
        app_label = "reports"
        verbose_name = "十报十不报条目"
        verbose_name_plural = "十报十不报条目"
        ordering = ["kind", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.text}"

    def as_payload(self) -> dict[str, Any]:
        return {"id": self.pk, "kind": self.kind, "text": str(self)}


def ticked_items(ids: Iterable[Any]) -> list[ScreeningItem]:
    """The active items behind the ticked ids; an unknown or inactive id is refused."""
    wanted: set[int] = set()
    for value in ids:
        try:
            wanted.add(int(value))
        except (TypeError, ValueError):
            raise ActionRefused("核对清单中有无法识别的条目，请刷新页面后重试。") from None
    items = list(ScreeningItem.objects.active().filter(pk__in=wanted))
    if len(items) != len(wanted):
        raise ActionRefused("核对清单已被管理员修改，请刷新页面后重新勾选。")
    return items


def check_accept_screening(items: Sequence[ScreeningItem]) -> None:
    if barred := [i.text for i in items if i.kind == ScreeningKind.NOT_REPORT]:
        raise ActionRefused(
            f"已勾选“不报”情形（{'、'.join(barred)}），不能受理；如确属不报，请改为不予采用。"
        )


def decline_reason_for(items: Sequence[ScreeningItem], reason: str, note: str) -> str:
    """The decline's reason code: as chosen, or from the first ticked 不报 item.

    Refuses a decline that ticks no 不报 item and gives no reason in words, and one that
    ticks a 报 item (a report that meets a 报 criterion is not declined by this list).
    """
    if wrong := [i.text for i in items if i.kind == ScreeningKind.REPORT]:
        raise ActionRefused(f"不予采用时只能勾选“不报”情形，请取消勾选：{'、'.join(wrong)}。")
    if not reason:
        mapped = [i.decline_reason for i in items if i.decline_reason]
        if not mapped:
            raise ActionRefused("请选择不予采用的原因，或勾选对应的“不报”情形。")
        reason = mapped[0]
    if not items and not note.strip():
        raise ActionRefused("不予采用须至少勾选一项“不报”情形，或在说明中写明理由。")
    return reason


def screening_payload(items: Sequence[ScreeningItem]) -> dict[str, Any]:
    """What the event keeps: the ticked items as they read now (empty when none ticked)."""
    if not items:
        return {}
    ordered = sorted(items, key=lambda i: (i.kind, i.sort_order, i.pk))
    return {"screening": [i.as_payload() for i in ordered]}
