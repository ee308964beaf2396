"""Reports (社情民意信息), their authors, revisions and attachments."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models

from minyi.core import clock, mime
from minyi.people.models import OFFICE_ROLES, Member, Organization, RoleAssignment, User


class State(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    WITHDRAWN = "withdrawn", "已撤回"
    RETURNED = "returned", "退回修改"
    ACCEPTED = "accepted", "已受理"
    DECLINED = "declined", "不予采用"
    MERGED = "merged", "已综合"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "待签发"
    SIGNED_OFF = "signed_off", "已签发"
    PUBLISHED = "published", "已编发"
    SENT_DIRECTLY = "sent_directly", "已直报"


#: States in which the report has gone out and can be forwarded to recipients.
OUT_STATES = frozenset({State.PUBLISHED, State.SENT_DIRECTLY})
#: States in which the authors may still change the text.
AUTHOR_EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED, State.WITHDRAWN})
#: States in which the research office edits the text.
OFFICE_EDITABLE_STATES = frozenset({State.SUBMITTED, State.ACCEPTED})


class Urgency(models.TextChoices):
    ROUTINE = "routine", "常规"
    URGENT = "urgent", "急报"
    SPECIAL = "special", "特报"


class DeclineReason(models.TextChoices):
    NOT_SINGLE_MATTER = "not_single_matter", "未做到一事一报"
    INSUFFICIENT_FACTS = "insufficient_facts", "情况不实或事实依据不足"
    NO_SUGGESTIONS = "no_suggestions", "缺少意见建议或建议不具可操作性"
    ROUTINE_WORK = "routine_work", "属于一般性工作动态或总结"
    ALREADY_REPORTED = "already_reported", "已有同类信息报送"
    OUTDATED = "outdated", "时效已过"
    PERSONAL_MATTER = "personal_matter", "属个人诉求或个案纠纷"
    PETITION = "petition", "属信访事项，请通过信访渠道反映"
    BEYOND_SCOPE = "beyond_scope", "不属于社情民意信息范畴"
    SENSITIVE = "sensitive", "涉密或内容敏感，不宜报送"
    PLAGIARISM = "plagiarism", "抄袭或转载他人成果"
    POOR_QUALITY = "poor_quality", "内容空泛，质量不高"
    OTHER = "other", "其他（见说明）"


class Confidentiality(models.TextChoices):
    """密级 of a report. The office marks; an author may only ask (docs/workflow.md)."""

    NONE = "", "普通"
    INTERNAL = "internal", "内部"
    SECRET = "secret", "秘密"


class Category(models.Model):
    name = models.CharField("名称", max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级类别",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "类别"
        verbose_name_plural = "类别"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unique_category_name")
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class ReportQuerySet(models.QuerySet["Report"]):
    def in_state(self, *states: str) -> ReportQuerySet:
        return self.filter(state__in=states)

    def narrowed(
        self,
        *,
        unit: Organization | int | None = None,
        category: Category | int | None = None,
        urgency: str | None = None,
    ) -> ReportQuerySet:
        """The list pages' common filters; a blank one filters nothing.

        A first-level category stands for itself and all its children.
        """
        qs = self
        if unit:
            qs = qs.filter(submitting_unit=unit)
        if category:
            qs = qs.filter(models.Q(category=category) | models.Q(category__parent=category))
        if urgency:
            qs = qs.filter(urgency=urgency)
        return qs

    def unmarked(self) -> ReportQuerySet:
        """Reports with no 密级: what members may find in search and similar-report hints."""
        return self.filter(confidentiality="")

    def with_people(self) -> ReportQuerySet:
        return self.select_related(
            "submitting_unit", "category", "category__parent", "created_by", "claimed_by"
        ).prefetch_related("report_authors__member")

    def triage(self) -> ReportQuerySet:
        """What the research office still has to act on, most urgent first (never an archive)."""
        return (
            self.in_state(
                State.SUBMITTED, State.ACCEPTED, State.AWAITING_SIGN_OFF, State.SIGNED_OFF
            )
            .filter(is_historical=False)
            .order_by(
                models.Case(
                    models.When(urgency=Urgency.SPECIAL, then=0),
                    models.When(urgency=Urgency.URGENT, then=1),
                    default=2,
                ),
                "submitted_at",
                "id",
            )
        )


def body_size_problem(length: int) -> str | None:
    """Refuse a body beyond what any draft may hold (``REPORT_DRAFT_MAX_CHARS``), in Chinese."""
    limit = settings.REPORT_DRAFT_MAX_CHARS
    if length > limit:
        return f"正文共 {length} 字，超过草稿保存上限 {limit} 字，请删减后再保存。"
    return None


def confidentiality_problem(level: str, until: object) -> str | None:
    """Why a marking is not acceptable, in Chinese, or None."""
    if level and level not in Confidentiality.values:
        return "密级不在可选范围内。"
    if level == Confidentiality.SECRET and until is None:
        return "标注为“秘密”须填写保密期限。"
    if not level and until is not None:
        return "未标注密级的信息不能填写保密期限。"
    return None


class Report(models.Model):
    serial = models.CharField("流水号", max_length=20, blank=True, db_index=True)
    title = models.CharField("标题", max_length=200)
    situation = models.TextField("情况", blank=True)
    analysis = models.TextField("原因分析", blank=True)
    suggestions = models.TextField("意见建议", blank=True)
    informant = models.CharField(
        "非委员反映人", max_length=200, blank=True, help_text="不是委员的反映人，如群众、专家"
    )
    submitting_unit = models.ForeignKey(
        Organization,
        verbose_name="报送单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    category = models.ForeignKey(
        Category, verbose_name="类别", null=True, blank=True, on_delete=models.PROTECT
    )
    urgency = models.CharField(
        "紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    consent_to_publish = models.BooleanField("同意公开", default=True)
    no_consent_reason = models.CharField("不公开理由", max_length=200, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    is_composite = models.BooleanField("综合稿", default=False)
    # 历史: an archived report imported from past years. It keeps its own dates and state and
    # never enters triage, deadlines or this year's points (docs/exchange.md).
    is_historical = models.BooleanField("历史稿件", default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="并入",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_sources",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="重复于",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    decline_reason = models.CharField(
        "不予采用原因", max_length=30, blank=True, choices=DeclineReason.choices
    )
    state_note = models.TextField("最近一次处理说明", blank=True)
    topic = models.ForeignKey(
        "reports.Topic",
        verbose_name="选题",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    confidentiality = models.CharField(
        "密级", max_length=10, blank=True, default="", choices=Confidentiality.choices
    )
    confidential_until = models.DateField("保密期限", null=True, blank=True)
    confidentiality_requested = models.CharField(
        "作者建议密级",
        max_length=10,
        blank=True,
        default="",
        choices=Confidentiality.choices,
        help_text="作者在报送时建议的密级，由研究室决定是否标注",
    )
    revision_number = models.PositiveIntegerField("当前版本", default=0)
    original_revision_number = models.PositiveIntegerField("原稿版本", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        on_delete=models.PROTECT,
        related_name="created_reports",
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="认领编辑",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_reports",
    )
    claimed_at = models.DateTimeField("认领时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=clock.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True, db_index=True)
    state_changed_at = models.DateTimeField("状态变更时间", default=clock.now)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "社情民意信息"
        verbose_name_plural = "社情民意信息"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["submitting_unit", "state"]),
            # A liaison's unit list (我的信息, ``access.own_filter``) takes the composites
            # the unit's reports were merged into from this index: alone, the planner
            # walked the ``duplicate_of`` index for ``IS NULL``, i.e. nearly every report.
            models.Index(
                fields=["submitting_unit", "duplicate_of", "merged_into"],
                name="report_unit_merged_idx",
            ),
            # 我的信息 pages a liaison's reports as a UNION of sets (``access.own_sets``):
            # the unit's set is read from here in ``created_at`` order, not sorted.
            models.Index(fields=["submitting_unit", "created_at"], name="report_unit_created_idx"),
            # 采用登记's title search (``deadlines.register``) scans the titles of the
            # reports that went out: from this narrow index, not the wide rows.
            models.Index(fields=["state", "title"], name="report_state_title_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def body_length(self) -> int:
        return len(self.situation) + len(self.analysis) + len(self.suggestions)

    def clean(self) -> None:
        """Model validation (the admin's forms) applies the same bounds as the actions."""
        super().clean()
        if problem := body_size_problem(self.body_length):
            raise ValidationError(problem)
        if problem := confidentiality_problem(self.confidentiality, self.confidential_until):
            raise ValidationError({"confidential_until": problem})

    @property
    def is_confidential(self) -> bool:
        """Marked 内部 or 秘密: kept out of members' search and hints, every download an event."""
        return bool(self.confidentiality)

    @property
    def is_fast_track(self) -> bool:
        return self.urgency in (Urgency.URGENT, Urgency.SPECIAL)

    def author_names(self) -> list[str]:
        names = [ra.member.name for ra in self.report_authors.all()]
        if self.informant:
            names.append(self.informant)
        return names

    def author_users(self) -> list[User]:
        """Accounts that hear about this report's fate: its writer and every author with one."""
        return accounts_by_report([self])[self.pk]

    def is_authored_by(self, user: User) -> bool:
        if self.created_by_id == user.pk:
            return True
        if user.member_id and self.report_authors.filter(member_id=user.member_id).exists():
            return True
        return bool(self.submitting_unit_id and self.submitting_unit_id in user.liaison_unit_ids)

    def text_fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in Revision.TEXT_FIELDS}

    def current_revision(self) -> Revision | None:
        return self.revisions.filter(number=self.revision_number).first()

    def original_revision(self) -> Revision | None:
        if self.original_revision_number is None:
            return None
        return self.revisions.filter(number=self.original_revision_number).first()


class ReportAuthor(models.Model):
    """An author (反映人) of a report, in order; the first is the lead author."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="report_authors")
    member = models.ForeignKey(
        Member, verbose_name="委员", on_delete=models.PROTECT, related_name="authorships"
    )
    position = models.PositiveSmallIntegerField("排序", default=0)
    # On a composite report, the source report this author's credit came from.
    via_report = models.ForeignKey(
        Report,
        verbose_name="来源稿件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "反映人"
        verbose_name_plural = "反映人"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "member"], name="unique_report_author")
        ]

    def __str__(self) -> str:
        return self.member.name


class Revision(models.Model):
    """One version of a report's text. Rows are never updated, only added."""

    TEXT_FIELDS = ("title", "situation", "analysis", "suggestions")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField("版本号")
    title = models.CharField("标题", max_length=200)
    situation = models.TextField("情况", blank=True)
    analysis = models.TextField("原因分析", blank=True)
    suggestions = models.TextField("意见建议", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT, related_name="+"
    )
    by_office = models.BooleanField("编辑修改", default=False)
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", default=clock.now)

    class Meta:
        verbose_name = "版本"
        verbose_name_plural = "版本"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"

    def text_fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.TEXT_FIELDS}


# No location given: FileSystemStorage then reads settings.MEDIA_ROOT when used,
# not at import, so tests and deployments can move it. No base_url: files are
# never served by URL, only through the access-checked download view.
attachment_storage = FileSystemStorage(base_url=None)


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name on disk: the original name is kept in the row, never
    # trusted as a path.
    ext = Path(filename).suffix.lower()
    return f"{clock.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", storage=attachment_storage, upload_to=attachment_path)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=clock.now)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def kind_label(self) -> str:
        """The file's type as users name it: PDF, Word, Excel, 图片."""
        return ATTACHMENT_KINDS.get(self.content_type, self.content_type)


ATTACHMENT_KINDS = {
    mime.PDF: "PDF",
    mime.DOCX: "Word",
    mime.XLSX: "Excel",
    mime.PNG: "PNG 图片",
    mime.JPEG: "JPG 图片",
}


def accounts_by_report(reports: Sequence[Report]) -> dict[int, list[User]]:
    """For each report, the active accounts of its writer and of every author with one.

    The office compiles composites and enters reports for members: a creator who
    holds an office role is told only if they are also one of the report's
    authors, so an editor's own progress notices are not flooded by her work.
    Three queries for any number of reports, so feedback on a batch of events
    does not ask three times per event.
    """
    members: dict[int, set[int]] = {report.pk: set() for report in reports}
    for report_id, member_id in ReportAuthor.objects.filter(
        report_id__in=list(members)
    ).values_list("report_id", "member_id"):
        members[report_id].add(member_id)
    creators = {report.created_by_id for report in reports}
    office = set(
        RoleAssignment.objects.filter(user_id__in=creators, role__in=OFFICE_ROLES).values_list(
            "user_id", flat=True
        )
    )
    every_member = set().union(*members.values())
    users = User.objects.filter(
        models.Q(id__in=creators - office) | models.Q(member_id__in=every_member), is_active=True
    ).order_by("pk")
    found: dict[int, list[User]] = {report.pk: [] for report in reports}
    for user in users:
        for report in reports:
            wrote = user.pk == report.created_by_id and user.pk not in office
            if wrote or user.member_id in members[report.pk]:
                found[report.pk].append(user)
    return found


# The topic guide's model, kept in its own module; imported here so Django registers it.
from minyi.reports.opinions import SignOffOpinion  # noqa: E402, F401
from minyi.reports.screening import ScreeningItem  # noqa: E402, F401
from minyi.reports.topics import Topic  # noqa: E402, F401
