"""Forms of the member-side report pages: write or edit a report, filter my list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.db.models import Q

from minyi.core.fields import BoundedModelMultipleChoiceField
from minyi.core.wording import max_length_message
from minyi.people.models import Member, Organization
from minyi.reports.actions import do_update_details, units_for
from minyi.reports.categories import grouped_category_choices
from minyi.reports.member_fields import MEMBER_SELECT_MAX, MemberSearchField, MembersSearchField
from minyi.reports.models import (
    Category,
    Confidentiality,
    Report,
    ReportAuthor,
    State,
    Urgency,
    body_size_problem,
)

if TYPE_CHECKING:
    from minyi.people.models import User

TEXT_FIELDS = ("title", "situation", "analysis", "suggestions")
#: Report attributes besides the text that authors set on the form.
DETAIL_FIELDS = (
    "submitting_unit",
    "category",
    "urgency",
    "informant",
    "consent_to_publish",
    "no_consent_reason",
    "confidentiality_requested",
)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name}（{obj.sector}）" if obj.sector_id else obj.name


class MembersChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name}（{obj.sector}）" if obj.sector_id else obj.name


def category_choices() -> list[tuple[Any, Any]]:
    """Sub-categories grouped under their parent (<optgroup>); lone top-level ones as options."""
    return [("", "（请选择类别）"), *grouped_category_choices(Category.objects.all())]


def member_choices(user: User, report: Report | None) -> Any:
    """Active members of the user's units, plus anyone already credited on the report.

    Subqueries, not joins: an OR over joins to the units and to every authorship needed a
    DISTINCT over whole member rows, 1-2 s on a 100,000-report archive.
    """
    in_units = Member.objects.filter(organizations__in=units_for(user)).values("pk")
    q = Q(active=True, pk__in=in_units)
    if user.member_id:
        q |= Q(pk=user.member_id)
    if report is not None:
        q |= Q(pk__in=ReportAuthor.objects.filter(report=report).values("member_id"))
    return Member.objects.filter(q).select_related("sector").order_by("name", "id")


class ReportForm(forms.Form):
    title = forms.CharField(
        label="标题",
        max_length=200,
        error_messages={"required": "请填写标题。", "max_length": max_length_message("标题")},
    )
    situation = forms.CharField(label="情况", required=False, widget=forms.Textarea)
    analysis = forms.CharField(label="原因分析", required=False, widget=forms.Textarea)
    suggestions = forms.CharField(label="意见建议", required=False, widget=forms.Textarea)
    lead = MemberChoiceField(
        label="第一反映人",
        queryset=Member.objects.none(),
        required=False,
        empty_label="（无委员反映人）",
    )
    cosigners = MembersChoiceField(
        label="联名反映人",
        queryset=Member.objects.none(),
        required=False,
        help_text="可多选：电脑上按住 Ctrl（Mac 为 ⌘）点选，手机上直接勾选。",
    )
    informant = forms.CharField(
        label="非委员反映人",
        max_length=200,
        required=False,
        help_text="反映人不是委员时填写，如群众、专家的姓名和身份。",
    )
    submitting_unit = forms.ModelChoiceField(
        label="报送单位",
        queryset=Organization.objects.none(),
        empty_label="（请选择）",
        error_messages={"required": "请选择报送单位。"},
    )
    category = forms.TypedChoiceField(label="类别", coerce=int, required=False, empty_value=None)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.ROUTINE)
    consent_to_publish = forms.TypedChoiceField(
        label="是否同意公开",
        choices=[("yes", "同意公开"), ("no", "不同意公开")],
        coerce=lambda v: v == "yes",
        initial="yes",
        widget=forms.RadioSelect,
    )
    no_consent_reason = forms.CharField(label="不公开理由", max_length=200, required=False)
    # Authors only ask; the research office decides the 密级 (docs/workflow.md).
    confidentiality_requested = forms.ChoiceField(
        label="建议密级",
        choices=Confidentiality.choices,
        required=False,
        help_text="如认为内容不宜公开传阅，可建议标注“内部”或“秘密”，由研究室审定。",
    )
    # The revision the form was opened on, for optimistic locking (edit only).
    base_revision = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "页面已过期，请刷新后再保存。"},
    )

    def __init__(self, *args: Any, user: User, report: Report | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.user, self.report = user, report
        if report is None:
            del self.fields["base_revision"]
        members = member_choices(user, report)
        if members.count() > MEMBER_SELECT_MAX:
            self._search_members(members)
        else:
            self.fields["lead"].queryset = members
            self.fields["cosigners"].queryset = members
        units = [u.pk for u in units_for(user)]
        if report is not None and report.submitting_unit_id:
            units.append(report.submitting_unit_id)
        self.fields["submitting_unit"].queryset = Organization.objects.filter(pk__in=units)
        self.fields["category"].choices = category_choices()
        self.fields["situation"].widget.attrs["rows"] = 8
        for name in ("situation", "analysis", "suggestions"):
            self.fields[name].widget.attrs["data-count"] = "body"
            # The browser stops typing at the hard limit; clean() checks the sum.
            self.fields[name].widget.attrs["maxlength"] = settings.REPORT_DRAFT_MAX_CHARS

    def _search_members(self, members: Any) -> None:
        """Too many members to list (an office's roster): search fields instead of selects."""
        self.fields["lead"] = MemberSearchField(
            label="第一反映人",
            members=members,
            required=False,
            help_text="输入姓名查找，从列表中选择；不填表示无委员反映人。",
        )
        self.fields["cosigners"] = MembersSearchField(
            label="联名反映人",
            members=members,
            required=False,
            help_text="每行一位委员：在上面的搜索框输入姓名选择，或直接填写姓名。",
        )

    @classmethod
    def initial_for(cls, report: Report) -> dict[str, Any]:
        authors = [ra.member for ra in report.report_authors.all()]
        return {
            **{name: getattr(report, name) for name in TEXT_FIELDS},
            "lead": authors[0].pk if authors else None,
            "cosigners": [m.pk for m in authors[1:]],
            "informant": report.informant,
            "submitting_unit": report.submitting_unit_id,
            "category": report.category_id,
            "urgency": report.urgency,
            "consent_to_publish": "yes" if report.consent_to_publish else "no",
            "no_consent_reason": report.no_consent_reason,
            "confidentiality_requested": report.confidentiality_requested,
            "base_revision": report.revision_number,
        }

    def clean_category(self) -> Category | None:
        pk = self.cleaned_data.get("category")
        if pk is None:
            return None
        return Category.objects.filter(pk=pk).first()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("consent_to_publish") is False
            and not data.get("no_consent_reason", "").strip()
        ):
            self.add_error("no_consent_reason", "选择不同意公开时，请说明理由。")
        body = sum(len(data.get(name) or "") for name in TEXT_FIELDS[1:])
        if problem := body_size_problem(body):
            self.add_error(None, problem)
        return data

    @property
    def max_chars(self) -> int:
        return settings.REPORT_MAX_CHARS

    def text(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in TEXT_FIELDS}

    def authors(self) -> list[Member]:
        """Lead first, then the co-signers in list order (duplicates dropped by set_authors)."""
        lead = self.cleaned_data.get("lead")
        rest = list(self.cleaned_data.get("cosigners") or [])
        return ([lead] if lead else []) + [m for m in rest if m != lead]

    def details(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in DETAIL_FIELDS}
        if data["consent_to_publish"]:
            data["no_consent_reason"] = ""
        return data

    def save_details(self, report: Report) -> bool:
        """Store authors and the other non-text attributes through the domain action."""
        return do_update_details(report, self.user, details=self.details(), authors=self.authors())


class MineFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), *State.choices],
        # Not Django's wording, which repeats the value sent (a "%00" shows as "�").
        error_messages={"invalid_choice": "所选状态无效。"},
    )
