"""Bulletin series (刊物), their numbered issues (期) and the items in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minyi.core import clock
from minyi.people.models import Role
from minyi.reports.models import Urgency


class Bulletin(models.Model):
    name = models.CharField("刊物名称", max_length=50, unique=True)
    code = models.SlugField("代号", max_length=30, unique=True)
    publisher = models.CharField("编发单位", max_length=100, blank=True)
    active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "刊物"
        verbose_name_plural = "刊物"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"《{self.name}》"


class IssueState(models.TextChoices):
    DRAFT = "draft", "编辑中"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "待签发"
    ISSUED = "issued", "已印发"
    VOIDED = "voided", "已作废"


class IssueQuerySet(models.QuerySet["Issue"]):
    def issued(self) -> IssueQuerySet:
        return self.filter(state=IssueState.ISSUED)


class Issue(models.Model):
    bulletin = models.ForeignKey(
        Bulletin, verbose_name="刊物", on_delete=models.PROTECT, related_name="issues"
    )
    #: The year of the number: the year it was created until it is signed off, then the
    #: year of sign-off (numbers run per year).
    year = models.PositiveIntegerField("年份")
    #: Null while 待编号: a number is taken only at sign-off, so an abandoned draft burns none.
    number = models.PositiveIntegerField("期号", null=True, blank=True)
    #: 总第N期: the series' running count across years, taken with the number.
    cumulative_number = models.PositiveIntegerField("总期号", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=IssueState.choices, default=IssueState.DRAFT
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任编辑",
        on_delete=models.PROTECT,
        related_name="+",
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state_note = models.TextField("处理说明", blank=True)
    #: 编者按: an optional note the editor prints above the items (GB/T 9704 allows it in 正文).
    editor_note = models.TextField("编者按", blank=True)
    #: Index into the issue's approval chain of the step that acts next (审签进度).
    step = models.PositiveSmallIntegerField("审签步骤", default=0)
    created_at = models.DateTimeField("创建时间", default=clock.now)
    signed_off_at = models.DateTimeField("签发时间", null=True, blank=True)
    correction_note = models.TextField("更正说明", blank=True)
    corrected_at = models.DateTimeField("更正时间", null=True, blank=True)
    void_reason = models.TextField("作废理由", blank=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = "期"
        verbose_name_plural = "期"
        ordering = ["-year", "-number", "bulletin_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "year", "number"], name="unique_issue_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bulletin}{self.number_label}"

    @property
    def number_label(self) -> str:
        """ "2026年第3期", or "（待编号）" before sign-off."""
        if self.number is None:
            return f"（待编号，{self.created_at:%Y-%m-%d}新建）"
        return f"{self.year}年第{self.number}期"

    @property
    def cumulative_label(self) -> str:
        return f"总第{self.cumulative_number}期" if self.cumulative_number else ""

    def signer_names(self) -> list[str]:
        """Who signed this issue off (签发), for the masthead's 签发人.

        GB/T 9704 names the person who releases the document; the reviewers of earlier
        steps (审核, 审签) sign their own opinions but are not 签发人.
        """
        names: list[str] = []
        opinions = self.opinions.filter(action=Decision.SIGN_OFF)
        for opinion in opinions.select_related("signer").order_by("id"):
            name = str(opinion.signer)
            if opinion.round == self.current_round() and name not in names:
                names.append(name)
        if not names and self.approver_id:
            names.append(str(self.approver))
        return names

    def current_round(self) -> int:
        """The sign-off round: one more each time it was sent back (退回), so old opinions stay."""
        return self.opinions.filter(action=Decision.REJECT).count()


class IssueItem(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    report = models.ForeignKey(
        "reports.Report", verbose_name="稿件", on_delete=models.PROTECT, related_name="issue_items"
    )
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "本期稿件"
        verbose_name_plural = "本期稿件"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "report"], name="unique_issue_item"),
        ]

    def __str__(self) -> str:
        return f"{self.issue} · {self.report}"


class CopyKind(models.TextChoices):
    MAIN = "main", "主送"
    COPY = "copy", "抄送"


class IssueRecipient(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="issue_recipients")
    recipient = models.ForeignKey(
        "outcomes.Recipient", verbose_name="报送对象", on_delete=models.PROTECT
    )
    kind = models.CharField(
        "主送/抄送", max_length=10, choices=CopyKind.choices, default=CopyKind.MAIN
    )

    class Meta:
        verbose_name = "报送对象"
        verbose_name_plural = "主送抄送"
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "recipient"], name="unique_issue_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.recipient}"


class ApprovalStep(models.Model):
    """One step of a series' approval chain (审签流程), e.g. 科长审核 → 秘书长签发.

    The chain of an issue is the steps of its series for its urgency (the most urgent
    item), or else the series' steps for every urgency, or else one 签发 step by an
    approver. Whoever holds the step's role acts at it, except the issue's own editor.
    """

    bulletin = models.ForeignKey(
        Bulletin, verbose_name="刊物", on_delete=models.CASCADE, related_name="approval_steps"
    )
    urgency = models.CharField(
        "紧急程度",
        max_length=20,
        blank=True,
        choices=[("", "全部")] + list(Urgency.choices),
        help_text="留空表示适用于所有紧急程度；某紧急程度设置了步骤时以其为准。",
    )
    position = models.PositiveSmallIntegerField("顺序", default=1)
    label = models.CharField("步骤名称", max_length=30, help_text="如：科长审核、秘书长签发")
    role = models.CharField(
        "办理角色",
        max_length=30,
        choices=[(Role.EDITOR, Role.EDITOR.label), (Role.APPROVER, Role.APPROVER.label)],
        default=Role.APPROVER,
        help_text="最后一步必须由签发人办理。",
    )

    class Meta:
        verbose_name = "审签步骤"
        verbose_name_plural = "审签流程"
        ordering = ["bulletin_id", "urgency", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "urgency", "position"], name="unique_approval_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bulletin}{self.get_urgency_display()}第{self.position}步：{self.label}"


class Decision(models.TextChoices):
    APPROVE = "approve", "审核同意"
    SIGN_OFF = "sign_off", "签发"
    REJECT = "reject", "退回"
    CORRECT = "correct", "更正"
    VOID = "void", "作废"


class IssueOpinion(models.Model):
    """A 签发意见 (or 审核意见, 退回理由, 更正/作废说明) given on an issue, kept for documents."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="opinions")
    round = models.PositiveSmallIntegerField("轮次", default=0)
    step_label = models.CharField("步骤", max_length=30, blank=True)
    action = models.CharField("办理", max_length=20, choices=Decision.choices)
    text = models.TextField("意见")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办理人", on_delete=models.PROTECT, related_name="+"
    )
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    created_at = models.DateTimeField("时间", default=clock.now)
    event = models.ForeignKey(
        "audit.Event", verbose_name="事件", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "签发意见"
        verbose_name_plural = "签发意见"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.issue} {self.step_label or self.get_action_display()}：{self.text}"


class IssueCopy(models.Model):
    """One printed copy of an issue (分发登记): its 份号 and who received it.

    Numbers run per issue and are never reused: a second print run continues after
    the first, so every 份号 on paper maps to exactly one holder on record.
    """

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="copies")
    number = models.PositiveIntegerField("份号")
    holder = models.CharField("分发对象", max_length=100, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    printed_at = models.DateTimeField("登记时间", default=clock.now)

    class Meta:
        verbose_name = "分发登记"
        verbose_name_plural = "分发登记"
        ordering = ["issue_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "number"], name="unique_issue_copy_number")
        ]

    def __str__(self) -> str:
        return f"{self.issue} 第{self.copy_label}号"

    @property
    def copy_label(self) -> str:
        """份号 as printed: six digits (GB/T 9704 §7.2.1)."""
        return f"{self.number:06d}"
