"""The rule kinds (a registry), the default scheme, and checking and saving a rule set.

A rule set is data an admin edits: points per kind and level, caps, shares,
minimum duties and grading bands. Saving never edits a version in place: it
adds the next version, writes a ``score_rules_change`` event and recomputes
the year's ledger from the event log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction

from minyi.audit.models import record
from minyi.audit.statemachine import ActionRefused
from minyi.outcomes.models import InstructionLevel, RecipientLevel
from minyi.people.models import Organization, OrgKind, Role
from minyi.scoring.models import RuleKind, ScoreBand, ScoreRule, ScoreRuleSet
from minyi.scoring.vocabulary import LEVEL_RANK, level_label

if TYPE_CHECKING:
    from minyi.people.models import User


@dataclass(frozen=True)
class KindSpec:
    label: str
    levels: tuple[tuple[str, str], ...] = ()  # (code, 中文) — empty: the kind has no levels


#: Every kind of rule; the projection looks rules up by (kind, level).
RULE_KINDS: dict[str, KindSpec] = {
    RuleKind.SUBMITTED: KindSpec("报送信息（每篇）"),
    RuleKind.PUBLISHED: KindSpec("本级刊物编发"),
    RuleKind.SENT_DIRECTLY: KindSpec("急报、特报直报"),
    RuleKind.ADOPTED: KindSpec("单篇采用", tuple(RecipientLevel.choices)),
    RuleKind.INSTRUCTED: KindSpec("领导批示", tuple(InstructionLevel.choices)),
    RuleKind.COMMISSIONED: KindSpec("约稿加分"),
    RuleKind.URGENT_ADOPTED: KindSpec("急报在时限内被采用加分"),
}

#: The default scheme, from published schemes (see docs/scoring.md).
DEFAULT_POINTS: dict[tuple[str, str], str] = {
    (RuleKind.SUBMITTED, ""): "1",
    (RuleKind.PUBLISHED, ""): "3",
    (RuleKind.SENT_DIRECTLY, ""): "3",
    (RuleKind.ADOPTED, RecipientLevel.NATIONAL): "20",
    (RuleKind.ADOPTED, RecipientLevel.PROVINCIAL): "10",
    (RuleKind.ADOPTED, RecipientLevel.MUNICIPAL): "5",
    (RuleKind.ADOPTED, RecipientLevel.DEPARTMENT): "2",
    (RuleKind.INSTRUCTED, InstructionLevel.NATIONAL): "30",
    (RuleKind.INSTRUCTED, InstructionLevel.PROVINCIAL): "20",
    (RuleKind.INSTRUCTED, InstructionLevel.MUNICIPAL): "10",
    (RuleKind.INSTRUCTED, InstructionLevel.COUNTY): "5",
    (RuleKind.COMMISSIONED, ""): "2",
    (RuleKind.URGENT_ADOPTED, ""): "2",
}
DEFAULT_PARAMS: dict[str, Any] = {
    "highest_level_only": True,
    "lead_share": Decimal("0.60"),
    "item_cap": Decimal("60"),
    "year_cap": Decimal("200"),
    "combined_factor": Decimal("0.5"),
    "transfer_factor": Decimal("0.3"),
    "urgent_within_days": 3,
    "member_min_reports": 1,
    "officer_min_monthly": 1,
    "min_volume_for_rate": 5,
    "duty_fail_lowest": True,
    "top_units": 5,
    "top_members": 10,
    "excellent_min_level": "provincial",
}
DEFAULT_BANDS: list[tuple[str, str, str | None]] = [
    ("优秀", "20", None),
    ("称职", "5", "20"),
    ("基本称职", "1", "5"),
    ("不称职", "0", "1"),
]
DECIMAL_PARAMS = ("lead_share", "item_cap", "year_cap", "combined_factor", "transfer_factor")
INT_PARAMS = (
    "urgent_within_days",
    "member_min_reports",
    "officer_min_monthly",
    "min_volume_for_rate",
    "top_units",
    "top_members",
)


def rule_label(kind: str, level: str = "") -> str:
    spec = RULE_KINDS.get(kind)
    base = spec.label if spec else kind
    return f"{base}（{level_label(level)}）" if level else base


def all_rule_keys() -> list[tuple[str, str]]:
    """Every (kind, level) a complete rule set must give points for."""
    keys = []
    for kind, spec in RULE_KINDS.items():
        codes = [code for code, _ in spec.levels] or [""]
        keys.extend((kind, code) for code in codes)
    return keys


@dataclass
class RuleSetInput:
    """What an admin typed, before it is checked: strings or numbers, any of them wrong."""

    params: dict[str, Any] = field(default_factory=dict)
    points: dict[tuple[str, str], Any] = field(default_factory=dict)
    bands: list[tuple[str, Any, Any]] = field(default_factory=list)


def _decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number


def _check_points(data: RuleSetInput, errors: list[str]) -> dict[tuple[str, str], Decimal]:
    points = {}
    for kind, level in all_rule_keys():
        label = rule_label(kind, level)
        try:
            value = _decimal(data.points.get((kind, level)))
        except ValueError:
            errors.append(f"“{label}”的分值不是有效数字。")
            continue
        if value is None:
            errors.append(f"缺少“{label}”的分值，每个层级都必须设定。")
        elif value < 0:
            errors.append(f"“{label}”的分值不能为负数。")
        else:
            points[(kind, level)] = value
    return points


def _check_params(data: RuleSetInput, errors: list[str]) -> dict[str, Any]:
    params = {**DEFAULT_PARAMS, **data.params}
    labels = {f.name: str(f.verbose_name) for f in ScoreRuleSet._meta.get_fields() if f.concrete}
    for name in DECIMAL_PARAMS:
        try:
            params[name] = _decimal(params.get(name))
        except ValueError:
            errors.append(f"“{labels[name]}”不是有效数字。")
            continue
        value = params[name]
        if value is None and name in ("combined_factor", "transfer_factor"):
            errors.append(f"请填写“{labels[name]}”。")
        elif value is not None and value < 0:
            errors.append(f"“{labels[name]}”不能为负数。")
        elif value is not None and name in ("lead_share", "combined_factor", "transfer_factor"):
            if value > 1:
                errors.append(f"“{labels[name]}”应在 0 到 1 之间。")
        elif value is not None and value == 0:
            errors.append(f"“{labels[name]}”须大于 0；不设上限请留空。")
    for name in INT_PARAMS:
        try:
            params[name] = int(str(params.get(name)).strip())
        except (TypeError, ValueError):
            errors.append(f"“{labels[name]}”须为整数。")
            continue
        if params[name] < 0:
            errors.append(f"“{labels[name]}”不能为负数。")
    if params["excellent_min_level"] not in LEVEL_RANK:
        errors.append("请选择优秀信息的最低层级。")
    params["highest_level_only"] = bool(params["highest_level_only"])
    params["duty_fail_lowest"] = bool(params["duty_fail_lowest"])
    return params


def _check_bands(
    data: RuleSetInput, errors: list[str]
) -> list[tuple[str, Decimal, Decimal | None]]:
    bands = []
    for label, low, high in data.bands:
        if not str(label or "").strip() and low in (None, "") and high in (None, ""):
            continue  # an empty row of the form
        try:
            lo, hi = _decimal(low), _decimal(high)
        except ValueError:
            errors.append(f"档次“{label}”的分数线不是有效数字。")
            continue
        if not str(label or "").strip():
            errors.append("每个档次都须填写名称。")
        elif lo is None or lo < 0:
            errors.append(f"档次“{label}”的下限须为不小于 0 的数。")
        elif hi is not None and hi <= lo:
            errors.append(f"档次“{label}”的上限须大于下限。")
        else:
            bands.append((str(label).strip(), lo, hi))
    if not bands and not errors:
        errors.append("请至少设定一个评定档次。")
    return _check_band_layout(sorted(bands, key=lambda b: b[1]), errors)


def _check_band_layout(
    bands: list[tuple[str, Decimal, Decimal | None]], errors: list[str]
) -> list[tuple[str, Decimal, Decimal | None]]:
    """Bands must tile [0, ∞): no overlap, no gap, the top one open."""
    if len({b[0] for b in bands}) != len(bands):
        errors.append("档次名称不能重复。")
    if bands and bands[0][1] != 0:
        errors.append("最低档次的下限须为 0，否则低分委员无档可评。")
    for (label_a, _, high_a), (label_b, low_b, _) in zip(bands, bands[1:], strict=False):
        if high_a is None or high_a > low_b:
            errors.append(f"档次“{label_a}”与“{label_b}”的分数区间重叠。")
        elif high_a < low_b:
            errors.append(f"档次“{label_a}”与“{label_b}”之间有空档（{high_a}–{low_b} 分）。")
    if bands and bands[-1][2] is not None:
        errors.append(f"最高档次“{bands[-1][0]}”不应设上限。")
    return bands


def check_ruleset(user: User, data: RuleSetInput) -> tuple[dict, dict, list]:
    """Validate everything; raise one ActionRefused listing every problem in Chinese."""
    if not user.has_role(Role.ADMIN):
        raise ActionRefused("只有系统管理员可以修改积分规则。")
    errors: list[str] = []
    points = _check_points(data, errors)
    params = _check_params(data, errors)
    bands = _check_bands(data, errors)
    if errors:
        raise ActionRefused("；".join(e.rstrip("。") for e in errors) + "。")
    return params, points, bands


def host_organization() -> Organization:
    host = Organization.objects.filter(kind=OrgKind.HOST).order_by("id").first()
    if host is None:
        raise ActionRefused("尚未设置本级政协（类型为“市政协”的单位），无法建立积分规则。")
    return host


def do_save_ruleset(user: User, year: int, data: RuleSetInput, *, note: str = "") -> ScoreRuleSet:
    """Add the next version for the year, record the change, recompute the year's ledger."""
    params, points, bands = check_ruleset(user, data)
    from minyi.scoring.ledger import recompute_year

    with transaction.atomic():
        host = host_organization()
        previous = ScoreRuleSet.objects.current(year)
        version = previous.version + 1 if previous else 1
        ruleset = ScoreRuleSet.objects.create(
            organization=host,
            year=year,
            version=version,
            note=note[:200],
            created_by=user,
            **params,
        )
        ScoreRule.objects.bulk_create(
            ScoreRule(ruleset=ruleset, kind=k, level=lv, points=p) for (k, lv), p in points.items()
        )
        ScoreBand.objects.bulk_create(
            ScoreBand(ruleset=ruleset, label=label, min_points=lo, max_points=hi)
            for label, lo, hi in bands
        )
        record(
            "score_rules_change",
            ruleset,
            actor=user,
            payload={
                "year": year,
                "version": version,
                "note": note[:200],
                "changes": describe_changes(previous, params, points),
            },
        )
        recompute_year(year)
    return ruleset


def describe_changes(
    previous: ScoreRuleSet | None, params: dict[str, Any], points: dict[tuple[str, str], Decimal]
) -> list[str]:
    """What changed since the previous version, in words, for the event and the history page."""
    if previous is None:
        return ["建立本年度积分规则"]
    changes = []
    old_points = {(r.kind, r.level): r.points for r in previous.rules.all()}
    for key, value in points.items():
        if old_points.get(key) != value:
            changes.append(f"{rule_label(*key)}：{old_points.get(key, '无')} → {value}")
    for name, value in params.items():
        if getattr(previous, name) != value:
            label = ScoreRuleSet._meta.get_field(name).verbose_name
            changes.append(f"{label}：{getattr(previous, name)} → {value}")
    return changes or ["规则未变，重新计算"]


def default_input() -> RuleSetInput:
    return RuleSetInput(
        params=dict(DEFAULT_PARAMS),
        points={k: Decimal(v) for k, v in DEFAULT_POINTS.items()},
        bands=list(DEFAULT_BANDS),
    )


def input_from(ruleset: ScoreRuleSet) -> RuleSetInput:
    """A rule set as editable input: the starting point of its next version."""
    return RuleSetInput(
        params={name: getattr(ruleset, name) for name in DEFAULT_PARAMS},
        points={(r.kind, r.level): r.points for r in ruleset.rules.all()},
        bands=[(b.label, b.min_points, b.max_points) for b in ruleset.bands.all()],
    )
