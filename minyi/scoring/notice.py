"""The annual notice (年度通报): its figures, and commendations proposed by the rule set.

A draft notice shows live figures; publishing freezes them into
``AnnualNotice.figures`` so a later recompute never changes what was issued.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth

from minyi.scoring.models import AnnualNotice, Commendation, CommendationKind, Score, ScoreRuleSet
from minyi.scoring.projection import REVERSED
from minyi.scoring.rankings import (
    MEMBER_TIE_BREAK,
    UNIT_TIE_BREAK,
    Line,
    member_table,
    submitted_count,
    unit_table,
)
from minyi.scoring.ratings import Rating, ratings
from minyi.scoring.vocabulary import ADOPTION_LEVELS, LEVEL_RANK, level_label

MAX_EXCELLENT_REPORTS = 30


def default_texts(year: int) -> dict[str, str]:
    host = settings.HOST_NAME
    return {
        "title": f"关于{year}年度社情民意信息工作情况的通报",
        "opening": (
            f"{year}年，全市各级政协组织、各民主党派、工商联和广大政协委员围绕市委市政府中心工作，"
            "积极反映社情民意，为党委政府科学决策提供了有益参考。现将全年社情民意信息工作情况通报如下。"
        ),
        "closing": (
            "希望受到表彰的单位和个人珍惜荣誉、再接再厉；各单位要进一步提高认识、加强组织，"
            f"推动{host}社情民意信息工作再上新台阶。"
        ),
    }


def _unit_dict(line: Line) -> dict[str, Any]:
    return {
        "rank": line.rank,
        "name": line.name,
        "submitted": line.submitted,
        "published": line.published,
        "adopted": line.adopted,
        "by_level": line.by_level,
        "instructions": line.instructions,
        "rate": str(line.rate) if line.rate is not None else "",
        "points": str(line.points),
        "per_member": str(line.per_member) if line.per_member is not None else "",
    }


def totals(year: int) -> dict[str, Any]:
    rows = Score.objects.for_year(year).aggregate(
        submitted=submitted_count(),
        published=Count("report", distinct=True, filter=Q(kind__in=("published", "sent_directly"))),
        adopted=Count("report", distinct=True, filter=Q(kind="adopted")),
        instructions=Count("event", distinct=True, filter=Q(kind="instructed")),
        points=Sum("points"),
        **{
            f"adopted_{lv}": Count("report", distinct=True, filter=Q(kind="adopted", level=lv))
            for lv in ADOPTION_LEVELS
        },
    )
    rows["points"] = str(Decimal(rows["points"] or 0).quantize(Decimal("0.01")))
    rows["by_level"] = {level_label(lv): rows.pop(f"adopted_{lv}") for lv in ADOPTION_LEVELS}
    return rows


def figures(notice: AnnualNotice) -> dict[str, Any]:
    """What the notice shows: frozen once published, live while it is a draft."""
    if notice.figures:
        return notice.figures
    return compute_figures(notice)


def compute_figures(notice: AnnualNotice) -> dict[str, Any]:
    year = notice.year
    ruleset = ScoreRuleSet.objects.current(year)
    units = unit_table(year, ruleset)
    chosen: dict[str, list[dict[str, str]]] = {kind: [] for kind in CommendationKind.values}
    for c in notice.commendations.filter(confirmed=True):
        chosen[c.kind].append({"name": c.name, "reason": c.reason})
    return {
        "year": year,
        "totals": totals(year),
        "units": [_unit_dict(line) for line in units.ranked + units.unranked],
        "ranked_units": len(units.ranked),
        "min_volume": units.min_volume,
        "unit_tie_break": UNIT_TIE_BREAK,
        "member_tie_break": MEMBER_TIE_BREAK,
        "members": [_member_dict(rating) for rating in ratings(notice)],
        "commendations": chosen,
        "level_labels": [level_label(lv) for lv in ADOPTION_LEVELS],
        "trend": monthly_trend(year),
    }


def monthly_trend(year: int) -> dict[str, list[int]]:
    """Reports submitted and adopted in each month of the year: the notice's trend chart."""
    rows = (
        Score.objects.for_year(year)
        .filter(kind="adopted")
        .annotate(month=ExtractMonth("event__created_at"))
        .values("kind", "month")
        .annotate(n=Count("report", distinct=True))
    )
    trend = {"submitted": [0] * 12, "adopted": [0] * 12}
    for row in rows:
        trend[row["kind"]][row["month"] - 1] = row["n"]
    # A withdrawn submission counts in no month (its reversing row cancels it).
    standing: dict[int, int] = {}
    submissions = (
        Score.objects.for_year(year)
        .filter(kind="submitted")
        .annotate(month=ExtractMonth("event__created_at"))
        .order_by("event_id")
        .values_list("report_id", "level", "month")
    )
    for report_id, level, month in submissions:
        if level == REVERSED:
            standing.pop(report_id, None)
        else:
            standing[report_id] = month
    for month in standing.values():
        trend["submitted"][month - 1] += 1
    return trend


def _member_dict(rating: Rating) -> dict[str, Any]:
    m = rating.line
    return {
        "rank": m.rank,
        "name": m.name,
        "sector": m.extra["sector"],
        "points": str(m.points),
        "submitted": m.submitted,
        "adopted": m.adopted,
        **rating.shown(),  # band, reason, review: as reviewed, if the rating was
    }


def propose_commendations(notice: AnnualNotice) -> list[Commendation]:
    """Choose 先进单位、先进个人、优秀信息 by the rule set's rules; the approver confirms them."""
    year = notice.year
    ruleset = ScoreRuleSet.objects.current(year)
    found: list[Commendation] = []
    units = unit_table(year, ruleset)
    for line in units.ranked[: ruleset.top_units if ruleset else 5]:
        reason = f"采用率 {line.rate}%，采用 {line.adopted} 篇，报送 {line.submitted} 篇"
        found.append(
            Commendation(
                kind=CommendationKind.UNIT, unit_id=line.key, name=line.name, reason=reason
            )
        )
    bands = sorted(ruleset.bands.all(), key=lambda b: b.min_points) if ruleset else []
    top_band = bands[-1].label if bands else None
    # A member short of their duties is proposed only if the editor's review changed the band.
    scored = [m for m in member_table(year, ruleset) if m.points > 0]
    eligible = [
        r
        for r in ratings(notice, scored)
        if not r.line.extra["shortfall"] or r.shown()["band"] != r.band
    ]
    for rating in eligible[: ruleset.top_members if ruleset else 10]:
        line, band = rating.line, rating.shown()["band"]
        if top_band and band != top_band:
            continue
        found.append(
            Commendation(
                kind=CommendationKind.MEMBER,
                member_id=line.key,
                name=line.name,
                reason=f"年度积分 {line.points} 分",
            )
        )
    found.extend(_excellent_reports(year, ruleset))
    for position, commendation in enumerate(found):
        commendation.notice, commendation.position = notice, position
    return found


def _excellent_reports(year: int, ruleset: ScoreRuleSet | None) -> list[Commendation]:
    least = LEVEL_RANK.get(ruleset.excellent_min_level if ruleset else "provincial", 3)
    levels = [lv for lv, rank in LEVEL_RANK.items() if rank >= least]
    rows = (
        Score.objects.for_year(year)
        .filter(kind__in=("adopted", "instructed"), level__in=levels, report__isnull=False)
        .values("report_id", "report__title", "kind", "level")
        .distinct()
        .order_by("report_id")
    )
    reasons: dict[int, tuple[str, list[str]]] = {}
    for row in rows:
        what = "采用" if row["kind"] == "adopted" else "批示"
        title, parts = reasons.setdefault(row["report_id"], (row["report__title"], []))
        parts.append(f"{level_label(row['level'])}{what}")
    return [
        Commendation(
            kind=CommendationKind.REPORT,
            report_id=pk,
            name=f"《{title}》",
            reason="、".join(dict.fromkeys(parts))[:200],
        )
        for pk, (title, parts) in list(reasons.items())[:MAX_EXCELLENT_REPORTS]
    ]
