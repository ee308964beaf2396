"""Recipients, forwarding of items, and the outcomes that come back."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from minyi.core import clock
from minyi.people.models import Role
from minyi.reports.models import attachment_storage

if TYPE_CHECKING:
    from minyi.people.models import User


class RecipientLevel(models.TextChoices):
    NATIONAL = "national", "全国/中央"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    DEPARTMENT = "department", "部门"


class Recipient(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    level = models.CharField("层级", max_length=20, choices=RecipientLevel.choices)
    active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "报送对象"
        verbose_name_plural = "报送对象"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class ForwardingState(models.TextChoices):
    PENDING = "pending", "待反馈"
    ADOPTED = "adopted", "已采用"
    NOT_ADOPTED = "not_adopted", "未采用"
    RECALLED = "recalled", "已撤回"


class NotAdoptedReason(models.TextChoices):
    """Why a recipient did not adopt (登记为未采用), coded so the register can count them."""

    REFUSED = "refused", "对方明确答复不予采用"
    NO_ANSWER = "no_answer", "逾期未反馈，按未采用处理"
    ALREADY_KNOWN = "already_known", "对方已掌握同类情况"
    OUT_OF_SCOPE = "out_of_scope", "不属对方职责范围"
    OUTDATED = "outdated", "时效已过"
    OTHER = "other", "其他（见说明）"


class Forwarding(models.Model):
    """One published or fast-tracked report sent to one recipient."""

    report = models.ForeignKey(
        "reports.Report", verbose_name="稿件", on_delete=models.PROTECT, related_name="forwardings"
    )
    recipient = models.ForeignKey(
        Recipient, verbose_name="报送对象", on_delete=models.PROTECT, related_name="forwardings"
    )
    issue = models.ForeignKey(
        "bulletins.Issue",
        verbose_name="所在期",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwardings",
    )
    state = models.CharField(
        "状态", max_length=20, choices=ForwardingState.choices, default=ForwardingState.PENDING
    )
    forwarded_at = models.DateTimeField("报送时间", default=clock.now)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("备注", max_length=200, blank=True)
    not_adopted_reason = models.CharField(
        "未采用原因", max_length=20, choices=NotAdoptedReason.choices, blank=True
    )
    not_adopted_note = models.CharField("未采用说明", max_length=200, blank=True)
    #: Set by a chase (催办, ``actions.do_chase``); each chase is also an event.
    last_chased_at = models.DateTimeField("最近催办", null=True, blank=True)
    chase_count = models.PositiveIntegerField("催办次数", default=0)

    class Meta:
        verbose_name = "报送记录"
        verbose_name_plural = "报送记录"
        ordering = ["forwarded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "recipient"], name="unique_forwarding")
        ]
        # The outcomes register filters by state (and recipient) and sorts by date:
        # these keep its pages and per-filter counts indexed at archive scale.
        indexes = [
            models.Index(fields=["forwarded_at", "id"], name="forwarding_date"),
            models.Index(fields=["state", "forwarded_at"], name="forwarding_state_date"),
            models.Index(
                fields=["recipient", "state", "forwarded_at"], name="forwarding_rcpt_state_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} → {self.recipient}"


class AdoptionKind(models.TextChoices):
    SINGLE = "single", "单篇采用"
    COMBINED = "combined", "综合采用"
    TRANSFER = "transfer", "转送"


class Adoption(models.Model):
    forwarding = models.OneToOneField(Forwarding, on_delete=models.CASCADE, related_name="adoption")
    kind = models.CharField("采用类型", max_length=20, choices=AdoptionKind.choices)
    carrier = models.CharField(
        "采用载体", max_length=100, blank=True, help_text="如：全国政协《社情民意信息》第 N 期"
    )
    adopted_on = models.DateField("采用日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", default=clock.now)

    class Meta:
        verbose_name = "采用"
        verbose_name_plural = "采用"

    def __str__(self) -> str:
        return f"{self.forwarding} · {self.get_kind_display()}"


class InstructionLevel(models.TextChoices):
    NATIONAL = "national", "中央/全国"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    COUNTY = "county", "区县级"


class Instruction(models.Model):
    """A leader's written instruction (批示) on a forwarded item."""

    forwarding = models.ForeignKey(
        Forwarding, on_delete=models.CASCADE, related_name="instructions"
    )
    leader_name = models.CharField("批示领导", max_length=50)
    leader_title = models.CharField("领导职务", max_length=100, blank=True)
    level = models.CharField("批示级别", max_length=20, choices=InstructionLevel.choices)
    text = models.TextField("批示内容")
    #: Authors always learn that there is a 批示, its level and date; its words only
    #: when the office records that they may (批示内容往往不宜扩散).
    text_for_authors = models.BooleanField(
        "批示内容可告知反映人",
        default=False,
        help_text="勾选后反映人可看到批示原文；不勾选时只告知有批示及其级别、日期",
    )
    instructed_on = models.DateField("批示日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", default=clock.now)

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["instructed_on", "id"]

    def __str__(self) -> str:
        return f"{self.leader_name}批示"

    def text_shown_to(self, user: User) -> str:
        """The words for ``user``: the office and leaders always, others only when allowed."""
        if self.text_for_authors or user.is_office or user.has_role(Role.LEADER):
            return self.text
        return ""


def scan_path(instance: IncomingScan, filename: str) -> str:
    # A random name on disk, as for attachments: the original name stays in the row.
    ext = Path(filename).suffix.lower()
    return f"incoming/{clock.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class IncomingScan(models.Model):
    """收文登记: a scan of the 批示件 or adoption notice that came back, kept with its outcome.

    Exactly one of ``adoption`` and ``instruction`` is set. The file is never served by URL:
    the register's download view sends it after the office-role check and records it.
    """

    adoption = models.ForeignKey(
        Adoption, null=True, blank=True, on_delete=models.CASCADE, related_name="scans"
    )
    instruction = models.ForeignKey(
        Instruction, null=True, blank=True, on_delete=models.CASCADE, related_name="scans"
    )
    file = models.FileField("扫描件", storage=attachment_storage, upload_to=scan_path)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    doc_number = models.CharField("来文文号", max_length=100, blank=True)
    received_on = models.DateField("收文日期")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("登记时间", default=clock.now)

    class Meta:
        verbose_name = "收文登记"
        verbose_name_plural = "收文登记"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(adoption__isnull=False, instruction__isnull=True)
                | models.Q(adoption__isnull=True, instruction__isnull=False),
                name="scan_of_one_outcome",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def outcome(self) -> Adoption | Instruction:
        return self.adoption if self.adoption_id else self.instruction  # type: ignore[return-value]

    @property
    def forwarding(self) -> Forwarding:
        return self.outcome.forwarding
