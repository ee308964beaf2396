"""签发意见 on a report's direct sign-off: who signed, what they wrote, when and from where.

Kept as a row (not only in the event's payload) so documents and pages can show it
without reading the log; the event it came with is linked for the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.safestring import SafeString

from minyi.core import clock
from minyi.core.wording import too_long
from minyi.reports.diff import revision_diff

#: Longest opinion accepted; a 签发意见 is a line or two ("同意，报省政协").
OPINION_MAX = 500


class SignOffOpinion(models.Model):
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="sign_off_opinions"
    )
    text = models.TextField("签发意见")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, related_name="+"
    )
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    created_at = models.DateTimeField("签发时间", default=clock.now)
    event = models.ForeignKey(
        "audit.Event", verbose_name="事件", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        app_label = "reports"
        verbose_name = "稿件签发意见"
        verbose_name_plural = "稿件签发意见"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.report_id}：{self.text}"


def clean_opinion(text: str) -> str:
    """The opinion as stored, or ``ValueError`` with the Chinese message to show."""
    text = (text or "").strip()
    if not text:
        raise ValueError("请填写签发意见，如“同意，报省政协”。")
    if len(text) > OPINION_MAX:
        raise ValueError(too_long("签发意见", OPINION_MAX, len(text)))
    return text


def original_diff(report: Any) -> list[tuple[str, SafeString]]:
    """Each text field of the report's current text against the submitted original.

    Empty when the office left the text as submitted: the approver then reads the original.
    """
    return text_diff(report.original_revision(), report.current_revision())


def text_diff(original: Any, current: Any) -> list[tuple[str, SafeString]]:
    """``original_diff`` from revisions already at hand (a list page fetches them in one query)."""
    from minyi.reports.models import Revision

    if not (original and current) or original.pk == current.pk:
        return []
    diff = revision_diff(original.text_fields(), current.text_fields())
    return [
        (str(Revision._meta.get_field(name).verbose_name), diff[name])
        for name in Revision.TEXT_FIELDS
    ]
