"""Forms of the scoring pages: they only parse; rules live in ``rules.py`` and ``actions.py``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from minyi.core.fields import BoundedDateField
from minyi.people.models import Organization
from minyi.reports.models import Category, Topic
from minyi.scoring.models import Campaign, CampaignKind, ScoreRuleSet
from minyi.scoring.rules import (
    DECIMAL_PARAMS,
    DEFAULT_PARAMS,
    INT_PARAMS,
    RuleSetInput,
    all_rule_keys,
    rule_label,
)
from minyi.scoring.vocabulary import LEVEL_RANK, level_label

BAND_ROWS = 5


def _point_name(kind: str, level: str) -> str:
    return f"points__{kind}__{level or 'none'}"


class RuleSetForm(forms.Form):
    """Every rule as its own field; numbers are checked by ``rules.check_ruleset``, not here."""

    note = forms.CharField(label="修改说明", max_length=200, required=False)

    def __init__(self, *args: Any, initial_input: RuleSetInput | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        start = initial_input or RuleSetInput()
        labels = {f.name: f.verbose_name for f in ScoreRuleSet._meta.get_fields() if f.concrete}
        for kind, level in all_rule_keys():
            self.fields[_point_name(kind, level)] = forms.CharField(
                label=rule_label(kind, level),
                required=False,
                initial=start.points.get((kind, level), ""),
            )
        for name in (*DECIMAL_PARAMS, *INT_PARAMS):
            value = start.params.get(name, DEFAULT_PARAMS[name])
            self.fields[name] = forms.CharField(
                label=labels[name], required=False, initial="" if value is None else value
            )
        for name in ("highest_level_only", "duty_fail_lowest"):
            self.fields[name] = forms.BooleanField(
                label=labels[name], required=False, initial=start.params.get(name, True)
            )
        self.fields["excellent_min_level"] = forms.ChoiceField(
            label=labels["excellent_min_level"],
            choices=[(lv, level_label(lv)) for lv in LEVEL_RANK if lv not in ("county",)],
            initial=start.params.get("excellent_min_level", "provincial"),
        )
        for i in range(BAND_ROWS):
            band = start.bands[i] if i < len(start.bands) else ("", "", "")
            for j, part in enumerate(("label", "min", "max")):
                value = band[j]
                self.fields[f"band_{i}_{part}"] = forms.CharField(
                    label=f"档次{i + 1}{('名称', '不低于', '低于')[j]}",
                    required=False,
                    initial="" if value is None else value,
                )

    def point_fields(self) -> list[forms.BoundField]:
        return [self[_point_name(k, lv)] for k, lv in all_rule_keys()]

    def param_fields(self) -> list[forms.BoundField]:
        names = (
            *DECIMAL_PARAMS,
            *INT_PARAMS,
            "highest_level_only",
            "duty_fail_lowest",
            "excellent_min_level",
        )
        return [self[n] for n in names]

    def band_rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"band_{i}_{p}"] for p in ("label", "min", "max")] for i in range(BAND_ROWS)]

    def to_input(self) -> RuleSetInput:
        data = self.cleaned_data
        return RuleSetInput(
            params={
                n: data.get(n)
                for n in (
                    *DECIMAL_PARAMS,
                    *INT_PARAMS,
                    "highest_level_only",
                    "duty_fail_lowest",
                    "excellent_min_level",
                )
            },
            points={(k, lv): data.get(_point_name(k, lv)) for k, lv in all_rule_keys()},
            bands=[
                (data.get(f"band_{i}_label"), data.get(f"band_{i}_min"), data.get(f"band_{i}_max"))
                for i in range(BAND_ROWS)
            ],
        )


class CorrectionForm(forms.Form):
    points = forms.CharField(label="调整分值（可为负数）", max_length=20)
    reason = forms.CharField(label="理由", max_length=200)


class ObjectionForm(forms.Form):
    text = forms.CharField(label="申诉理由", widget=forms.Textarea, max_length=1000)


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label="处理结果", choices=[("upheld", "采纳"), ("rejected", "不予采纳")]
    )
    reply = forms.CharField(label="处理意见", widget=forms.Textarea, max_length=1000)
    points = forms.CharField(label="采纳时调整分值（可留空）", max_length=20, required=False)


#: More reports than any unit writes in a campaign; the form refuses larger quotas.
MAX_QUOTA = 10_000


class CampaignForm(forms.Form):
    name = forms.CharField(label="活动名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=CampaignKind.choices)
    theme = forms.CharField(label="主题", max_length=200, required=False)
    topics = forms.CharField(label="重点选题（每行一个）", widget=forms.Textarea, required=False)
    starts_on = BoundedDateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = BoundedDateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    multiplier = forms.DecimalField(
        label="积分倍数", initial=Decimal("1.00"), max_digits=4, decimal_places=2
    )
    categories = forms.ModelMultipleChoiceField(
        label="计入任务的类别（不选则不按类别）",
        queryset=Category.objects.select_related("parent"),
        required=False,
        error_messages={
            "invalid_choice": "所选类别不存在。",
            "invalid_pk_value": "所选类别不存在。",
        },
    )
    guide_topics = forms.ModelMultipleChoiceField(
        label="计入任务的选题（选题和类别都不选则全部信息计入）",
        queryset=Topic.objects.all(),
        required=False,
        error_messages={
            "invalid_choice": "所选选题不存在。",
            "invalid_pk_value": "所选选题不存在。",
        },
    )

    def __init__(self, *args: Any, campaign: Campaign | None = None, **kw: Any) -> None:
        if campaign is not None and "initial" not in kw:
            kw["initial"] = {
                f: getattr(campaign, f)
                for f in self.base_fields
                if f not in ("categories", "guide_topics")
            }
            kw["initial"]["categories"] = list(campaign.categories.values_list("id", flat=True))
            kw["initial"]["guide_topics"] = list(campaign.guide_topics.values_list("id", flat=True))
        super().__init__(*args, **kw)
        quotas = dict(campaign.quotas.values_list("unit_id", "quota")) if campaign else {}
        self.units = list(
            Organization.objects.filter(active=True).exclude(kind__in=("host", "research_office"))
        )
        for unit in self.units:
            # Bounded: a number past the column's range would fail in the database (a 500).
            self.fields[f"quota_{unit.pk}"] = forms.IntegerField(
                label=unit.label,
                required=False,
                min_value=0,
                max_value=MAX_QUOTA,
                initial=quotas.get(unit.pk, ""),
                error_messages={"max_value": f"任务数不能超过 {MAX_QUOTA} 篇。"},
            )

    def quota_fields(self) -> list[forms.BoundField]:
        return [self[f"quota_{u.pk}"] for u in self.units]

    def split(self) -> tuple[dict[str, Any], dict[int, Any]]:
        data = self.cleaned_data
        fields = {
            f: data[f]
            for f in (
                "name",
                "kind",
                "theme",
                "topics",
                "starts_on",
                "ends_on",
                "multiplier",
                "categories",
                "guide_topics",
            )
        }
        quotas = {u.pk: data.get(f"quota_{u.pk}") or 0 for u in self.units}
        return fields, quotas


class NoticeTextForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    opening = forms.CharField(label="开头段落", widget=forms.Textarea, required=False)
    closing = forms.CharField(label="结尾段落", widget=forms.Textarea, required=False)
